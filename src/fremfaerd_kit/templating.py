"""The one Jinja environment factory: sandboxed, strict about undefined names, bounded.

Templates a consultant receives (overrides in a kit) and content text that uses the kit's
variables run here. Jinja's sandbox stops them reaching Python's insides; it does not stop
`{{ 'x' * 10**9 }}`, a width of a billion in a filter, or loops nested until the heat
death of the universe. So the environment below also bounds what one expression may
make (operators, filter and method arguments, results), what a whole render may write,
and how long it may take; going past any of them is an `InputError` that names the
template and its line. Values (variables, the kit file's texts) are data: they are
printed as written and never run as templates.
"""

from __future__ import annotations

import ctypes
import functools
import re
import textwrap
import threading
import traceback
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, StrictUndefined, TemplateError, TemplateNotFound, pass_context
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

from .errors import InputError, KitError
from .intake import TEMPLATE_LIMIT, read_bytes
from .library import VARIABLE_TEXTS
from .resources import templates_dir

MAX_OUTPUT = 5_000_000
"""Characters one render may write, and one expression may make: a guide is 30,000."""
MAX_NUMBER = 100_000
"""The largest number passed to a filter or method (a width, a count)."""
MAX_SECONDS = 3.0
"""A render takes milliseconds; a template that runs for seconds is looping."""


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
    """The `md` filter: text made safe for Markdown, with the kit's variables filled into
    content text that uses them (`Vi afprøver {{ teknologi }}`).

    Only text the content library holds is filled in; a variable's value, a kit-file
    value or anything else printed with `md` is data and is printed as written.
    """
    value = str(text)
    if value in VARIABLE_TEXTS:
        variables = context.get("vars") or {}
        try:
            value = context.environment.from_string(value).render(**variables)
        except (TemplateError, SecurityError) as exc:
            raise InputError(
                f"content text {value[:50]!r}: {getattr(exc, 'message', None) or exc} "
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


# --- bounds ----------------------------------------------------------------------------

_WIDE_FORMAT = re.compile(r"%[-#0 +]*(?:\d{6,}|\*)|%[-#0 +]*\d*\.(?:\d{6,}|\*)")
_WIDE_BRACE = re.compile(r"\{[^{}]*[:!][^{}]*\d{6,}[^{}]*\}")


def _too_big(what: str) -> SecurityError:
    return SecurityError(f"{what} would be too large (the kit allows {MAX_OUTPUT:,} characters)")


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | bytes | list | tuple) else 0


def _check_arguments(args: Iterable[Any]) -> None:
    for arg in args:
        if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_NUMBER:
            raise SecurityError(f"the number {arg} is too large (the kit allows {MAX_NUMBER:,})")
        if isinstance(arg, str) and (_WIDE_BRACE.search(arg) or _WIDE_FORMAT.search(arg)):
            raise SecurityError("a format width or precision of six digits or more")


def _checked_result(value: Any) -> Any:
    if _size(value) > MAX_OUTPUT:
        raise _too_big("the result")
    return value


def _replace_size(text: str, old: str, new: str, count: int = -1) -> int:
    times = text.count(old) if count < 0 else min(count, text.count(old))
    return len(text) + times * (len(new) - len(old))


class BoundedSandbox(SandboxedEnvironment):
    """Jinja's sandbox with bounds on operators, calls and their results."""

    intercepted_binops = frozenset(("*", "**", "%", "+"))

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """`*`, `**`, `%` and `+`, refused before they would make something huge."""
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if _size(seq) and isinstance(times, int) and _size(seq) * times > MAX_OUTPUT:
                    raise _too_big("a repeated text or list")
        elif operator == "**":
            if isinstance(right, int | float) and abs(right) > 1000:
                raise SecurityError(f"the exponent {right} is too large")
            if (
                isinstance(left, int)
                and isinstance(right, int)
                and abs(left).bit_length() * right > 100_000
            ):
                raise SecurityError("the power would be too large a number")
        elif operator == "%" and isinstance(left, str):
            _check_arguments([left])
        elif operator == "+" and _size(left) + _size(right) > MAX_OUTPUT:
            raise _too_big("the joined text")
        return _checked_result(super().call_binop(context, operator, left, right))

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """A method or function call from a template, with its numbers and result bounded."""
        _check_arguments([*args, *kwargs.values()])
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            method = getattr(__obj, "__name__", "")
            if (
                method == "replace"
                and len(args) >= 2
                and _replace_size(owner, *args[:3]) > MAX_OUTPUT
            ):
                raise _too_big("the replaced text")
            if method in ("format", "format_map"):
                _check_arguments([owner])
        return _checked_result(super().call(__context, __obj, *args, **kwargs))


def _bounded_filter(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def checked(*args: Any, **kwargs: Any) -> Any:
        values = [a for a in (*args, *kwargs.values()) if not isinstance(a, Context)]
        _check_arguments(values[1:] if values else values)
        if func.__name__ in ("do_replace", "replace") and len(values) >= 3:
            text, old, new = (str(v) for v in values[:3])
            if _replace_size(text, old, new) > MAX_OUTPUT:
                raise _too_big("the replaced text")
        if func.__name__ == "do_format" and values:
            _check_arguments(values[:1])
        return _checked_result(func(*args, **kwargs))

    return checked


class GatedLoader(BaseLoader):
    """Templates from `search` folders in order, each read through the reading gate."""

    def __init__(self, search: Iterable[Path]) -> None:
        self.search = list(search)

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        """The text of `template` from the first folder that has it."""
        pieces = split_template_path(template)  # refuses `..`
        for root in self.search:
            path = root.joinpath(*pieces)
            if not path.exists() and not path.is_symlink():
                continue
            text = read_bytes(path, limit=TEMPLATE_LIMIT, inside=root, what="template")
            try:
                return text.decode("utf-8"), str(path), lambda: False
            except UnicodeDecodeError:
                raise InputError(f"{path}: the template is not UTF-8; save it as UTF-8") from None
        raise TemplateNotFound(template)


@cache
def environment(overrides: tuple[Path, ...] = ()) -> SandboxedEnvironment:
    """A bounded sandbox that looks in `overrides` first, then the built-in templates."""
    env = BoundedSandbox(
        loader=GatedLoader([*overrides, templates_dir()]),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["wrap"] = wrap
    env.filters["md"] = md_filter
    for name, func in list(env.filters.items()):
        if name != "md":  # functools.wraps keeps Jinja's pass_context mark
            env.filters[name] = _bounded_filter(func)
    return env


def render(name: str, overrides: Iterable[Path] = (), **context: Any) -> str:
    """Render the template `name` with `context`; every fault becomes an `InputError`
    naming the template and line (a received template is input, not the kit's bug)."""
    env = environment(tuple(overrides))
    try:
        with Deadline(MAX_SECONDS):
            template = env.get_template(name)
            parts: list[str] = []
            written = 0
            for part in template.generate(**context):
                written += len(part)
                if written > MAX_OUTPUT:
                    raise _too_big("the document")
                parts.append(part)
            return "".join(parts)
    except KitError:
        raise
    except TemplateError as exc:
        where = getattr(exc, "filename", None) or name
        line = getattr(exc, "lineno", None)
        at = f"{where}:{line}" if line else str(where)
        raise InputError(f"{at}: template error: {exc.message or exc}") from None
    except TimeoutError:
        raise InputError(
            f"{_where(name, None)}: template error: still running after {MAX_SECONDS:g} s "
            "(a loop that does not end?)"
        ) from None
    except RecursionError as exc:
        raise InputError(
            f"{_where(name, exc)}: template error: calls itself without end (recursion)"
        ) from None
    except MemoryError as exc:
        raise InputError(f"{_where(name, exc)}: template error: needs too much memory") from None
    except Exception as exc:  # a received template can raise anything Python can
        raise InputError(f"{_where(name, exc)}: template error: {exc}") from None


def _where(name: str, exc: BaseException | None) -> str:
    """`file:line` of the innermost template frame of `exc`'s traceback."""
    if exc is not None:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith(".j2") or frame.filename == "<template>":
                return f"{frame.filename}:{frame.lineno}"
    return name


class Deadline:
    """Raise `TimeoutError` in this thread if the block runs longer than `seconds`.

    A timer thread sets an asynchronous exception in the rendering thread, which Python
    raises at its next bytecode: it works in any thread, unlike an alarm signal.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.target = threading.get_ident()
        self.lock = threading.Lock()
        self.active = False
        self.timer = threading.Timer(seconds, self._expire)
        self.timer.daemon = True

    def __enter__(self) -> Deadline:
        self.active = True
        self.timer.start()
        return self

    def _expire(self) -> None:
        with self.lock:
            if self.active:
                _async_raise(self.target, TimeoutError)

    def __exit__(self, *exc: object) -> None:
        with self.lock:
            self.active = False
        self.timer.cancel()
        _async_raise(self.target, None)  # withdraw one that has not been raised yet


def _async_raise(thread: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread), ctypes.py_object(exc) if exc is not None else None
    )
