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
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    BytecodeCache,
    Environment,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    UndefinedError,
    nodes,
    pass_context,
)
from jinja2.bccache import Bucket
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

from . import cache as kept
from .errors import InputError, KitError
from .intake import TEMPLATE_LIMIT, read_bytes
from .library import VARIABLE_TEXTS
from .oskit import memory_in_use
from .resources import templates_dir

MAX_OUTPUT = 5_000_000
"""Characters one render may write, and one expression may make: a guide is 30,000."""
MAX_NUMBER = 100_000
"""The largest number passed to a filter or method (a width, a count)."""
MAX_SECONDS = 3.0
"""A render takes milliseconds; a template that runs for seconds is looping."""
MAX_GROWTH = 200 * 1024 * 1024
"""Memory one render may add: a guide needs a megabyte or two."""


def wrap(text: str, width: int = 78, indent: str = "", first: str | None = None) -> str:
    """Wrap `text` to `width`, indenting continuation lines (a Jinja filter)."""
    return textwrap.fill(
        " ".join(text.split()),
        width=width,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
    )


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|"})


class Value(str):
    """A text the kit's user gave (a `--set` value, a kit-file value): data. It is never run
    as a template, and a Markdown template that prints it as it is (`{{ vars.teknologi }}`,
    without a filter) prints it escaped (`finalize`), so that it cannot become a heading,
    a rule, a list or a new field."""

    __slots__ = ()


def values(variables: Mapping[str, str] | None) -> dict[str, Value]:
    """The template variables, each marked as a `Value`."""
    return {name: Value(text) for name, text in (variables or {}).items()}


@pass_context
def md_filter(context: Context, text: object) -> str:
    """The `md` filter: text made safe for Markdown, with the kit's variables filled into
    content text that uses them (`Vi afprøver {{ teknologi }}`).

    Only text the content library holds is filled in; a variable's value, a kit-file
    value or anything else printed with `md` is data and is printed as written.
    """
    return md(fill(text, context.get("vars") or {}, context.environment))


@pass_context
def finalize(context: Context, value: Any) -> Any:
    """What a template prints with `{{ … }}`: a `Value` printed without a filter in a
    Markdown template is escaped as text; everything else (the library's own markup, the
    result of a filter) as it is."""
    if isinstance(value, Value) and (context.name or "").endswith(".md.j2"):
        return md(value)
    return value


def fill(text: object, variables: Mapping[str, str], env: Environment | None = None) -> str:
    """`text` with the kit's variables filled in, where it is content text that uses them;
    any other text (a value, a kit-file entry) is returned as written."""
    value = str(text)
    if isinstance(text, Value) or value not in VARIABLE_TEXTS:
        return value
    try:
        # The variables as one mapping, not as keywords: a variable named like a
        # parameter of `render` (`self`) is then just a name.
        return (env or environment()).from_string(value).render(dict(variables))
    except (TemplateError, SecurityError) as exc:
        hint = (
            " (set it with --set NAME=VALUE or in the kit file's variables)"
            if isinstance(exc, UndefinedError)
            else ""
        )
        raise InputError(
            f"content text {value[:50]!r}: {getattr(exc, 'message', None) or exc}{hint}"
        ) from None


def filler(variables: Mapping[str, str]) -> Callable[[str], str]:
    """`fill` bound to the kit's variables: what a deck as shown is filled with."""
    return lambda text: fill(text, variables)


_SUSPENDED = re.compile(r" (og|eller) -(?=\w)")
"""`kerneopgaver og -fagligheder`: the suspended compound stays with its `og`, so no line
starts with `-fagligheder`."""


_ENTITY = re.compile(r"&(?=#?\w+;)")
"""`&amp;`, `&#35;`: Markdown would print the character it names, not what was written."""


def md(text: object) -> str:
    """Content text made safe to put inside a line of Markdown: on one line, with every
    character that Markdown reads as structure escaped."""
    flat = " ".join(str(text).split())
    flat = _SUSPENDED.sub("\u00a0\\1\u00a0-", flat).translate(_MD_SPECIAL)
    if "&" in flat:
        flat = _ENTITY.sub("\\&", flat)
    # A line that starts like a list item, a quote, a fence (`~~~`) or a heading's
    # underline (`===` under a line of text) would become one.
    if flat[:1] in ("-", "+", ">", "=", "~"):
        return "\\" + flat
    return re.sub(r"^(\d{1,9})([.)])", r"\1\\\2", flat)


_KEYWORDS = """true false none and or not in is if else elif for block extends include import
from as with without context macro call filter set raw recursive ignore missing scoped
required do continue break"""
RESERVED = {
    **dict.fromkeys(
        ("self", "loop", "super", "caller", "varargs", "kwargs"),
        "a name Jinja gives a template itself",
    ),
    **dict.fromkeys(
        ("range", "dict", "lipsum", "cycler", "joiner", "namespace"),
        "a function of the template language",
    ),
    **dict.fromkeys(
        _KEYWORDS.split(),
        "a word of the template language",
    ),
}
"""Names a variable cannot have: a template would see Jinja's own thing, or nothing."""


def variable_problem(name: str) -> str | None:
    """Why `name` cannot be a variable's name (`self`), or None."""
    why = RESERVED.get(name)
    if why is None:
        return None
    return f"`{name}` is {why}, not free for a variable; call the variable something else"


# --- bounds ----------------------------------------------------------------------------

_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d*)(?:\.(\*|\d*))?")
_BRACE_SPEC = re.compile(r"\{[^{}]*:([^{}]*)\}|\{[^{}]*\{")


def _too_big(what: str) -> SecurityError:
    return SecurityError(f"{what} would be too large (the kit allows {MAX_OUTPUT:,} characters)")


def _size(value: Any, depth: int = 0) -> int:
    """About how many characters `value` makes as text: a list counts what it holds (its
    text is the text of every item), so `["x" * 100000] * 100000` is ten thousand million,
    not a hundred thousand."""
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, list | tuple):
        if depth >= 4 or len(value) > MAX_OUTPUT:
            return len(value) if depth >= 4 else MAX_OUTPUT + 1
        return len(value) + sum(_size(item, depth + 1) for item in value)
    return 0


def _check_arguments(args: Iterable[Any]) -> None:
    for arg in args:
        if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_NUMBER:
            raise SecurityError(f"the number {arg} is too large (the kit allows {MAX_NUMBER:,})")


def _check_format(text: str) -> None:
    """Refuse a format string whose fields' widths add up to more than a document."""
    if "%" not in text and "{" not in text:
        return
    widths = 0
    for match in _PERCENT_SPEC.finditer(text):
        if "*" in match.group(0):
            raise SecurityError("a format width taken from the arguments (`*`)")
        widths += sum(int(g) for g in match.groups() if g)
    for match in _BRACE_SPEC.finditer(text):
        if match.group(1) is None or "{" in match.group(0)[1:]:
            raise SecurityError("a format width taken from the arguments (nested `{}`)")
        widths += sum(int(d) for d in re.findall(r"\d+", match.group(1)))
    if widths > MAX_OUTPUT:
        raise _too_big("the formatted text")


def _checked_result(value: Any) -> Any:
    if _size(value) > MAX_OUTPUT:
        raise _too_big("the result")
    return value


def _replace_size(text: str, old: str, new: str, count: int = -1) -> int:
    times = text.count(old) if count < 0 else min(count, text.count(old))
    return len(text) + times * (len(new) - len(old))


class _BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with `~` (a concatenation) sized before it is made: Jinja
    compiles it to a plain join the sandbox never sees, so doubling a text forty times
    (`{% set ns.s = ns.s ~ ns.s %}`) reached gigabytes between two looks of the watchdog."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"environment.bounded_concat({join}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BoundedSandbox(SandboxedEnvironment):
    """Jinja's sandbox with bounds on operators, calls and their results."""

    intercepted_binops = frozenset(("*", "**", "%", "+"))
    code_generator_class = _BoundedCodeGenerator

    def bounded_concat(self, join: Callable[[Iterable[Any]], str], parts: tuple[Any, ...]) -> str:
        """`a ~ b ~ …`, refused before it would make something huge."""
        if sum(_size(part) for part in parts) > MAX_OUTPUT:
            raise _too_big("the joined text")
        return _checked_result(join(parts))  # type: ignore[no-any-return]

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
            _check_format(left)
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
        return _checked_result(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """`str.format` from a template, its format string checked first."""
        owner = getattr(value, "__self__", None)
        if isinstance(owner, str) and getattr(value, "__name__", "") in ("format", "format_map"):
            _check_format(owner)
        return super().wrap_str_format(value)


def _bounded_filter(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def checked(*args: Any, **kwargs: Any) -> Any:
        values = [a for a in (*args, *kwargs.values()) if not isinstance(a, Context | EvalContext)]
        _check_arguments(values[1:])
        name = func.__name__
        if name == "do_replace" and len(values) >= 3:
            text, old, new = (str(v) for v in values[:3])
            if _replace_size(text, old, new) > MAX_OUTPUT:
                raise _too_big("the replaced text")
        elif name == "do_join" and values:
            separator = values[1] if len(values) > 1 else ""
            if not isinstance(separator, str):
                raise SecurityError("join's separator is a text, not a list or a number")
            seq = values[0]
            joined = (
                _size(seq) + len(separator) * len(seq) if isinstance(seq, str | list | tuple) else 0
            )
            if joined > MAX_OUTPUT:
                raise _too_big("the joined text")
        elif name == "do_format" and values:
            _check_format(str(values[0]))
        elif name == "do_indent" and values:
            width = values[1] if len(values) > 1 else 4
            step = width if isinstance(width, int) else len(str(width))
            if _size(values[0]) + str(values[0]).count("\n") * step > MAX_OUTPUT:
                raise _too_big("the indented text")
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


class KeptTemplates(BytecodeCache):
    """Jinja's compilation of each template kept between runs (`cache.recall_code`): lexing,
    parsing and generating Python for the templates of a kit is a sixth of its build.
    The key is the template's name, path and text, Jinja's version and the kit's code
    (which sets how the sandbox compiles)."""

    ENTRIES = 64
    """Compiled templates kept: every built-in one and a few folders of overrides."""

    def _key(self, bucket: Bucket) -> str:
        from jinja2 import __version__

        return kept.digest("template", bucket.key, bucket.checksum, __version__)

    def load_bytecode(self, bucket: Bucket) -> None:
        bucket.code = kept.recall_code("templates", self._key(bucket))

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            kept.keep_code("templates", self._key(bucket), bucket.code, self.ENTRIES)


@cache
def environment(overrides: tuple[Path, ...] = ()) -> SandboxedEnvironment:
    """A bounded sandbox that looks in `overrides` first, then the built-in templates."""
    env = BoundedSandbox(
        loader=GatedLoader([*overrides, templates_dir()]),
        undefined=StrictUndefined,
        # HTML pages escape every value; the Markdown and text templates escape with `md`.
        autoescape=lambda name: name is not None and ".html" in name,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=KeptTemplates(),
        finalize=finalize,
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":")}
    del env.globals["lipsum"]  # a hundred thousand paragraphs of a hundred thousand words
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
    shown = name
    try:
        with Watchdog(MAX_SECONDS):
            template = env.get_template(name)
            shown = template.filename or name
            parts: list[str] = []
            written = 0
            for part in template.generate(**context):
                written += len(part)
                if written > MAX_OUTPUT:
                    raise InputError(
                        f"{shown}: template error: the document would be longer than "
                        f"{MAX_OUTPUT:,} characters"
                    )
                parts.append(part)
            text = "".join(parts)
            if name.startswith("documents/") and name.endswith(".md.j2"):
                from .markdown import SLIDES, parse

                # Front matter and the document's bounds, checked where the template's file
                # is known (the typesetters read the same parse).
                parse(text, shown, slides=name in SLIDES)
            return text
    except KitError:
        raise
    except TemplateError as exc:
        where = getattr(exc, "filename", None)
        line = getattr(exc, "lineno", None)
        at = f"{where}:{line}" if where and line else _where(shown, exc)
        raise InputError(f"{at}: template error: {exc.message or exc}") from None
    except TimeoutError as exc:
        raise InputError(
            f"{_where(shown, exc)}: template error: still running after {MAX_SECONDS:g} s "
            "(a loop that does not end?)"
        ) from None
    except RecursionError as exc:
        raise InputError(
            f"{_where(shown, exc)}: template error: calls itself without end (recursion)"
        ) from None
    except MemoryError as exc:
        raise InputError(f"{_where(shown, exc)}: template error: needs too much memory") from None
    except Exception as exc:  # a received template can raise anything Python can
        raise InputError(f"{_where(shown, exc)}: template error: {exc}") from None


def _where(name: str, exc: BaseException | None) -> str:
    """`file:line` of the innermost template frame of `exc`'s traceback."""
    if exc is not None:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith(".j2") or frame.filename == "<template>":
                return f"{frame.filename}:{frame.lineno}"
    return name


class Watchdog:
    """Stop the block in this thread if it runs longer than `seconds` or grows the process
    by more than `memory` bytes: `TimeoutError` or `MemoryError` is raised in it.

    A thread looks every few milliseconds and sets an asynchronous exception in the
    rendering thread, which Python raises at its next bytecode; unlike an alarm signal
    it works in any thread. (One huge allocation in C is not stopped this way: the
    bounds on operators and calls above, and the CLI's cap on memory, are for that.)
    """

    def __init__(self, seconds: float, memory: int = MAX_GROWTH) -> None:
        self.seconds = seconds
        self.memory = memory
        self.target = threading.get_ident()
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> Watchdog:
        self.thread.start()
        return self

    def _watch(self) -> None:
        start, base = time.monotonic(), _resident()
        while not self.done.wait(0.01):
            if time.monotonic() - start > self.seconds:
                self._stop(TimeoutError)
                return
            if _resident() - base > self.memory:
                self._stop(MemoryError)
                return

    def _stop(self, exc: type[BaseException]) -> None:
        with self.lock:
            if not self.done.is_set():
                _async_raise(self.target, exc)

    def __exit__(self, *exc: object) -> None:
        with self.lock:
            self.done.set()
        _async_raise(self.target, None)  # withdraw one that has not been raised yet


def _resident() -> int:
    """This process's resident memory in bytes, on every platform (oskit)."""
    return memory_in_use()


def _async_raise(thread: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread), ctypes.py_object(exc) if exc is not None else None
    )
