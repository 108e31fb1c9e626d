"""Renode (Antmicro) for the STM32 boards it has platforms for. It runs the project's own
`renode.resc` (tinygen/codegen/renode.py: the script a user runs by hand), with the UART on a
server socket terminal at a free port; emulation starts only once tinygen is connected, so
nothing printed at boot is lost. Its traps, handled here: it deletes other `renode-*` folders in
$TMPDIR (it gets its own), quits at the end of stdin (a pipe kept open), and STM32 platforms
download an SVD file at load (an overlay without it is loaded instead: offline here, faster
everywhere). Log level errors-only, so unmodelled registers do not flood the log."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ...boards.registry import Board
from ...codegen.renode import RENODE_VERSION, renode_files, renode_timing
from ...errors import SimulatorError, ToolMissingError
from .base import TcpUartSimulator
from .process import start_process

HOW_TO_GET = (f"install Renode (https://renode.io, {RENODE_VERSION} or later) and put `renode` on PATH or set "
              f"$RENODE, or run make setup with ../shared/tools/renode present")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tinygen" / f"renode-{RENODE_VERSION}"


def find_renode() -> Path:
    """$RENODE (the launcher or its folder), then `renode` on PATH, then make setup's cache."""
    env = os.environ.get("RENODE")
    if env:
        p = Path(env)
        p = p / "renode" if p.is_dir() else p
        if not (p.is_file() and os.access(p, os.X_OK)):
            raise ToolMissingError(f"$RENODE={env} is not a Renode launcher; {HOW_TO_GET}")
        return p
    on_path = shutil.which("renode")
    if on_path:
        return Path(on_path)
    cached = cache_dir() / "renode"
    if cached.is_file():
        return cached
    raise ToolMissingError(f"Renode not found; {HOW_TO_GET}")


def renode_root(launcher: Path) -> Path | None:
    """The folder with platforms/ (the launcher may be a symlink into it)."""
    for d in (launcher.resolve().parent, launcher.resolve().parent.parent / "lib" / "renode"):
        if (d / "platforms").is_dir():
            return d
    return None


def launch_command(launcher: Path) -> tuple[list[str], bool]:
    """How to start Renode, and whether it must run in a process group of its own. The portable
    Mono build's `renode` is a bash script that does not exec: run Mono on Renode.exe directly so
    that stopping (and the parent-death signal) reaches Renode itself."""
    root = renode_root(launcher)
    exe = root / "output" / "bin" / "Release" / "Renode.exe" if root else None
    mono = shutil.which("mono")
    if exe is not None and exe.is_file():
        if mono is None:
            raise ToolMissingError("mono not found: Renode's Mono build needs it (apt-get install mono-runtime "
                                   "libmono-posix4.0-cil libmono-microsoft-csharp4.0-cil libmono-system-xml-linq4.0-cil "
                                   "libmono-system-drawing4.0-cil, or run make setup)")
        return [mono, str(exe)], False
    return [str(launcher)], True


# -- the platform without its SVD download ---------------------------------------------------------
_USING = re.compile(r'^using\s+"([^"]+)"', re.M)


def _resolve(root: Path, here: Path, name: str) -> Path:
    for base in (here.parent, root):
        p = (base / name).resolve()
        if p.is_file():
            return p
    raise SimulatorError(f"Renode platform {name} not found (looked in {here.parent} and {root})")


def _sysbus_init(root: Path, path: Path, lines: list[str] | None = None) -> list[str] | None:
    """sysbus's effective `init` lines after this file and the files it uses: a plain `init:`
    replaces what came before, `init add:` appends."""
    text = path.read_text(errors="replace")
    for used in _USING.findall(text):
        lines = _sysbus_init(root, _resolve(root, path, used), lines)
    block = re.search(r"^sysbus:\s*\n((?:[ \t]+.*\n?|\s*\n)+)", text, re.M)
    if block:
        body = block.group(1).splitlines()
        for i, line in enumerate(body):
            m = re.match(r"^(\s+)init(\s+add)?:\s*$", line)
            if not m:
                continue
            indent = len(m.group(1))
            cmds = []
            for nxt in body[i + 1:]:
                if nxt.strip() and len(nxt) - len(nxt.lstrip()) <= indent:
                    break
                if nxt.strip() and not nxt.strip().startswith("//"):
                    cmds.append(nxt.strip())
            lines = (lines or []) + cmds if m.group(2) else cmds
    return lines


def offline_platform(root: Path, platform: str, out: Path) -> Path | None:
    """Writes an overlay of `platform` whose sysbus init lacks `ApplySVD @https://...` (Renode
    cannot load the platform offline in a Robot test with it); None when it has none."""
    src = _resolve(root, root / "x", platform)
    init = _sysbus_init(root, src) or []
    if not any(l.startswith("ApplySVD") for l in init):
        return None
    kept = [l for l in init if not l.startswith("ApplySVD")]
    body = "".join(f"        {l}\n" for l in kept) or "        // nothing else\n"
    out.write_text(f"// {platform} without the SVD download at load (written by tinygen; a plain `init:` replaces\n"
                   f"// the platform's own).\nusing \"{src}\"\n\nsysbus:\n    init:\n{body}")
    return out


class Renode(TcpUartSimulator):
    name = "renode"
    # the script makes the firmware's timer count instructions (codegen/renode.py)
    timer_unit = "instructions"
    connect_timeout = 60.0  # Mono starts in 3-6 s, more on a loaded machine
    SCRIPT_DONE = "tinygen-script-done"

    def __init__(self, elf, board, log_path=None):
        super().__init__(elf, board, log_path)
        self.workdir: Path | None = None
        self.launcher: Path | None = None
        self._group = False
        self._serving = False

    @property
    def spec(self) -> dict:
        return self.board["simulator"]["renode"]

    def _board(self) -> Board:
        return Board(**self.board) if isinstance(self.board, dict) else self.board

    def describe(self) -> str:
        t = renode_timing(self._board())
        return f"renode {self.spec['platform']} (PerformanceInMips {t['mips']}, {t['timer']} {t['timer_hz']} Hz)"

    def check_available(self) -> None:
        self.launcher = find_renode()

    def env(self) -> dict:
        # its own TMPDIR: at start Renode deletes every renode-* folder there that no live process owns
        tmp = self.workdir / "tmp"
        tmp.mkdir(exist_ok=True)
        return {**os.environ, "TMPDIR": str(tmp)}

    def _project_script(self) -> Path:
        """The project's renode.resc (beside build/), or the same script rendered for this board."""
        project = Path(self.elf).resolve().parent.parent
        script = project / "renode.resc"
        if script.is_file():
            return script
        files = renode_files(board=self._board(), version="", runtime="", sha256="", model_name=Path(self.elf).name)
        script = self.workdir / "board.resc"
        script.write_text(files["renode.resc"])
        return script

    def make_command(self, host: str, port: int) -> list[str]:
        if self.workdir is None:
            self.workdir = Path(tempfile.mkdtemp(prefix="tinygen-sim-"))
        root = renode_root(self.launcher)
        overlay = offline_platform(root, self.spec["platform"], self.workdir / "platform.repl") if root else None
        lines = [f"$elf=@{Path(self.elf).resolve()}", f"$port={port}"]
        if overlay:
            lines.append(f"$platform=@{overlay}")
        lines.append(f"include @{self._project_script()}")
        if self._serving:
            lines.append("start")
        wrapper = self.workdir / "run.resc"
        wrapper.write_text("\n".join(lines) + "\n")
        cmd, self._group = launch_command(self.launcher)
        return cmd + ["--console", "--disable-xwt", "--plain", "--config", str(self.workdir / "renode.config"),
                      str(wrapper)]

    def _start(self, cmd: list[str]):
        # stdin: a pipe that stays open (Renode's console quits at its end; `start` goes through it)
        return start_process(cmd, self.log_path, stdin=subprocess.PIPE, env=self.env(),
                             cwd=str(Path(self._project_script()).parent), new_session=self._group)

    def _connect(self, port: int):
        """Connects, waits until the script has run to its end (the UART socket opens half-way
        through it), and only then starts the emulation."""
        import time

        conn = super()._connect(port)
        try:
            self.proc.stdin.write(b"echo " + self.SCRIPT_DONE.encode() + b"\n")
            self.proc.stdin.flush()
            deadline = time.monotonic() + self.connect_timeout
            while self.SCRIPT_DONE not in self._log_text().replace("echo " + self.SCRIPT_DONE, ""):
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise SimulatorError(f"{self.describe()}: its script did not finish within "
                                         f"{self.connect_timeout:.0f} s (see {self.log_path})")
                time.sleep(0.05)
            reason = self.failed_while_running(self._log_text())
            if reason:
                raise SimulatorError(f"{self.describe()} failed at start: {reason}")
            self.proc.stdin.write(b"start\n")
            self.proc.stdin.flush()
        except BaseException:
            conn.close()
            raise
        return conn

    def failed_while_running(self, log_text: str) -> str | None:
        """A failed script command leaves Renode at its prompt, never serving the UART: say which."""
        lines = log_text.splitlines()
        for i, line in enumerate(lines):
            if line.startswith("There was an error executing command"):
                detail = next((l.strip() for l in lines[i + 1:] if l.strip()), "")
                return f"{line.strip()}: {detail}" if detail else line.strip()
        return None

    def start_failed(self, log_text: str) -> str | None:
        errors = [l for l in log_text.splitlines() if "error" in l.lower() or "exception" in l.lower()]
        if any("Address already in use" in l for l in errors):
            from .base import PortInUse

            raise PortInUse()
        return errors[-1].strip() if errors else super().start_failed(log_text)

    def __enter__(self):
        try:
            return super().__enter__()
        except BaseException:  # __exit__ does not run when __enter__ fails
            self._cleanup()
            raise

    def __exit__(self, *exc) -> None:
        try:
            super().__exit__(*exc)
        finally:
            self._cleanup()

    def _cleanup(self) -> None:
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def serve(self, host: str, port: int) -> int:
        """Renode listens on all interfaces at `port` (its server socket terminal takes no address)."""
        self._serving = True
        try:
            return super().serve(host, port)
        finally:
            self._cleanup()
