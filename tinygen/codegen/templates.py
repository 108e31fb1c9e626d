"""Templates -> text. Rendering returns strings; only callers at the edge write files."""

from __future__ import annotations

from functools import lru_cache

import jinja2

from ..resources import templates_dir


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
        autoescape=False,
    )


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)
