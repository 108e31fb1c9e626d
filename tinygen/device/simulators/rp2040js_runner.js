// tinygen's rp2040js runner: loads a UF2 into the emulated RP2040's flash, starts it as the boot ROM
// would (checks the second stage's CRC-32/MPEG-2, copies it to SRAM 0x20041F00 and runs it), and
// serves UART0 on a local TCP port. It waits for the one client before running so nothing the
// firmware prints at boot is lost, and feeds the 32-entry RX FIFO only when it has room.
// Usage: node rp2040js_runner.js <rp2040js dir> <firmware.uf2> <host> <port>
'use strict';
const fs = require('fs');
const net = require('net');
const path = require('path');

const [rp2040jsDir, uf2Path, host, port] = process.argv.slice(2);
const { RP2040 } = require(path.join(rp2040jsDir, 'node_modules', 'rp2040js'));

function fail(msg) {
  process.stderr.write(`error: ${msg}\n`);
  process.exit(2);
}

function crc32mpeg2(bytes) {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b << 24;
    for (let i = 0; i < 8; i++) crc = crc & 0x80000000 ? ((crc << 1) ^ 0x04c11db7) >>> 0 : (crc << 1) >>> 0;
  }
  return crc >>> 0;
}

const mcu = new RP2040();
const uf2 = fs.readFileSync(uf2Path);
for (let off = 0; off + 512 <= uf2.length; off += 512) {
  if (uf2.readUInt32LE(off) !== 0x0a324655 || uf2.readUInt32LE(off + 4) !== 0x9e5d5157) fail(`${uf2Path}: not a UF2 file`);
  const addr = uf2.readUInt32LE(off + 12), size = uf2.readUInt32LE(off + 16);
  if (addr < 0x10000000 || addr + size > 0x10000000 + mcu.flash.length) fail(`${uf2Path}: block outside flash`);
  mcu.flash.set(uf2.subarray(off + 32, off + 32 + size), addr - 0x10000000);
}
const boot2 = mcu.flash.subarray(0, 256);
if (crc32mpeg2(boot2.subarray(0, 252)) !== Buffer.from(boot2).readUInt32LE(252)) fail('second-stage bootloader CRC mismatch: the boot ROM would not run it');
mcu.sram.set(boot2, 0x41f00);
mcu.core.SP = 0x20042000;
mcu.core.PC = 0x20041f00;

let client = null;
const rx = [];
mcu.uart[0].onByte = (b) => { if (client) client.write(Buffer.from([b])); };

const NS_PER_CYCLE = 8; // 125 MHz
function run() {
  for (let i = 0; i < 200000; i++) {
    while (rx.length && !mcu.uart[0].rxFIFO.full) mcu.uart[0].feedByte(rx.shift());
    if (mcu.core.waiting) {
      mcu.clock.tick(mcu.clock.nanosToNextAlarm);
    } else {
      mcu.clock.tick(mcu.core.executeInstruction() * NS_PER_CYCLE);
    }
  }
  setImmediate(run);
}

const server = net.createServer((sock) => {
  if (client) { sock.destroy(); return; }
  client = sock;
  sock.setNoDelay(true);
  sock.on('data', (d) => { for (const b of d) rx.push(b); });
  sock.on('close', () => process.exit(0));
  sock.on('error', () => process.exit(0));
  server.close();
  run();
});
server.on('error', (e) => fail(e.code === 'EADDRINUSE' ? 'Address already in use' : e.message));
server.listen(Number(port), host);
