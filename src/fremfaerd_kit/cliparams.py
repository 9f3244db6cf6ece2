"""Reading the command line's values without pydantic.

Typer 0.29 turns every option's text into its Python value through a pydantic
`TypeAdapter`, built when the option is first read. That imports pydantic and builds a
schema per option: for `kit cards` about a third of the command's start-up, spent on
turning "2" into 2. The kit's options are only text, whole numbers, numbers, paths,
choices and lists of these; `install()` gives those a plain reader with the same results
and messages, and leaves every other kind of option to Typer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

from typer import _coercion, core
from typer._click.exceptions import BadParameter
from typer._param_types import coerce_cli_choice


def _number(kind: type) -> Any:
    word = "integer" if kind is int else "number"

    def read(value: Any, ctx: Any = None) -> Any:
        if isinstance(value, kind) and not isinstance(value, bool):
            return value
        text = str(value).strip()
        try:
            if kind is int and not text.lstrip("+-").isascii():
                raise ValueError
            return kind(text)
        except ValueError:
            raise ValueError(f"{value!r} is not a valid {word}.") from None

    return read


def _text(value: Any, ctx: Any = None) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


_TRUTH = dict.fromkeys(("1", "y", "yes", "t", "true", "on"), True) | dict.fromkeys(
    ("0", "n", "no", "f", "false", "off"), False
)


def _flag(value: Any, ctx: Any = None) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text == "":
        return False
    if text not in _TRUTH:
        raise ValueError(f"{value!r} is not a valid boolean.")
    return _TRUTH[text]


def _path(value: Any, ctx: Any = None) -> Path:
    return value if isinstance(value, Path) else Path(_text(value))


def _reader(annotation: Any, descriptor: Any) -> Any | None:
    """How to read one value of `annotation`, or None when Typer should."""
    info = descriptor.parameter_info
    if info.parser is not None or info.min is not None or info.max is not None:
        return None
    if annotation is str:
        return _text
    if annotation is bool:
        return _flag
    if annotation in (int, float):
        return _number(annotation)
    if (
        annotation is Path
        and info.path_type is None
        and not (info.exists or info.resolve_path or not info.file_okay or not info.dir_okay)
    ):
        return _path
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        choices = list(annotation)

        def choose(value: Any, ctx: Any = None) -> Any:
            return coerce_cli_choice(
                value, choices=choices, case_sensitive=info.case_sensitive, ctx=ctx
            )

        return choose
    return None


@dataclass(frozen=True)
class PlainParam(_coercion.RuntimeParam):
    """One option read by a plain function (a list's items one by one)."""

    read: Any = None
    many: bool = False

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        try:
            if self.many:
                items = value if isinstance(value, list | tuple) else [value]
                return [self.read(item, ctx) for item in items]
            return self.read(value, ctx)
        except ValueError as exc:
            raise BadParameter(str(exc), ctx=ctx, param=param) from None


def plain_param(descriptor: Any) -> PlainParam | None:
    """A pydantic-free reader for the option `descriptor` describes, when it is a plain kind."""
    if descriptor.file_annotation is not None:
        return None
    annotation, many = descriptor.annotation, False
    if get_origin(annotation) is list:
        (annotation,), many = get_args(annotation), True
    read = _reader(annotation, descriptor)
    if read is None:
        return None
    return PlainParam(
        parameter_info=descriptor.parameter_info,
        annotation=descriptor.annotation,
        read=read,
        many=many,
    )


def install() -> None:
    """Read plain options without pydantic from now on (Typer keeps the other kinds)."""
    typer_builds = _coercion.build_runtime_param
    if getattr(getattr(core, "build_runtime_param", None), "plain", False):
        return

    def build(descriptor: Any) -> Any:
        return plain_param(descriptor) or typer_builds(descriptor)

    build.plain = True  # type: ignore[attr-defined]
    setattr(core, "build_runtime_param", build)  # noqa: B010 (not exported by Typer)
