"""The one Jinja environment factory: sandboxed, strict about undefined names."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, pass_context
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

from .errors import InputError
from .resources import templates_dir


def wrap(text: str, width: int = 78, indent: str = "", first: str | None = None) -> str:
    """Wrap `text` to `width`, indenting continuation lines (a Jinja filter)."""
    return textwrap.fill(
        " ".join(text.split()),
        width=width,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
    )


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|"})


@pass_context
def md_filter(context: Context, text: object) -> str:
    """The `md` filter: content text with its variables filled in, made safe for Markdown.

    Content may use the kit's variables (`{{ teknologi }}`); they render in the same
    sandbox, and a variable that is not set is an error naming it.
    """
    value = str(text)
    if "{{" in value or "{%" in value:
        variables = context.get("vars") or {}
        try:
            value = context.environment.from_string(value).render(**variables)
        except TemplateError as exc:
            raise InputError(
                f"content text {value[:50]!r}: {exc.message or exc} "
                "(set it with --set NAME=VALUE or in the kit file's variables)"
            ) from None
    return md(value)


def md(text: object) -> str:
    """Content text made safe to put inside a line of Markdown."""
    flat = " ".join(str(text).split()).translate(_MD_SPECIAL)
    # A line that starts like a list item or a quote would become one.
    if flat[:1] in ("-", "+", ">"):
        return "\\" + flat
    return re.sub(r"^(\d{1,9})([.)])", r"\1\\\2", flat)


@cache
def environment(overrides: tuple[Path, ...] = ()) -> SandboxedEnvironment:
    """A sandboxed environment that looks in `overrides` first, then the built-in templates."""
    search = [str(p) for p in overrides] + [str(templates_dir())]
    env = SandboxedEnvironment(
        loader=FileSystemLoader(search),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["wrap"] = wrap
    env.filters["md"] = md_filter
    return env


def render(name: str, overrides: Iterable[Path] = (), **context: Any) -> str:
    """Render the template `name` with `context`; template faults become `InputError`."""
    try:
        return environment(tuple(overrides)).get_template(name).render(**context)
    except TemplateError as exc:
        where = getattr(exc, "filename", None) or name
        line = getattr(exc, "lineno", None)
        at = f"{where}:{line}" if line else str(where)
        raise InputError(f"{at}: template error: {exc.message or exc}") from None
