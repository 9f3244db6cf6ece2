"""Load one YAML file safely into plain data, keeping the line and column of every key path."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError, Location, Problem

MAX_BYTES = 2 * 1024 * 1024
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser where PyYAML has it (ten times faster); the same safe tag set."""
"""Content files are short texts; anything larger is a mistake (a wrong file), not content."""

KeyPath = tuple[str | int, ...]


def format_path(path: KeyPath) -> str:
    """`('cards', 3, 'question')` -> `cards[3].question`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


@dataclass
class SourceFile:
    """A loaded YAML document with the position of each key path in it."""

    path: Path
    data: Any
    marks: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def locate(self, key_path: KeyPath) -> Location:
        """The nearest known position of `key_path` (falling back to its parents)."""
        probe = tuple(key_path)
        while probe and probe not in self.marks:
            probe = probe[:-1]
        line, column = self.marks.get(probe, (1, 1))
        return Location(self.path, line, column, format_path(tuple(key_path)))

    def problem(self, key_path: KeyPath, message: str) -> Problem:
        """A `Problem` at `key_path` of this file."""
        return Problem(self.locate(key_path), message)


def load_yaml(path: Path) -> SourceFile:
    """Read `path` as UTF-8 YAML (a BOM is accepted) with a safe loader; raise `ContentError`."""
    where = Location(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _fail(
                where,
                f"file is {size / 1e6:.1f} MB; content files are at most "
                f"{MAX_BYTES // (1024 * 1024)} MB of text",
            )
        raw = path.read_bytes()
    except IsADirectoryError:
        raise _fail(where, "is a folder, not a YAML file") from None
    except FileNotFoundError:
        raise _fail(where, "no such file") from None
    except PermissionError:
        raise _fail(where, "cannot be read (permission denied)") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        raise _fail(
            Location(path, bad_line),
            "is not UTF-8 (perhaps Latin-1 or Windows-1252); save it as UTF-8",
        ) from None
    if not text.strip():
        raise _fail(where, "is empty; expected a YAML mapping with a `kind`")
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line: int | None = mark.line + 1 if mark else None
        column: int | None = mark.column + 1 if mark else None
        reason = exc.problem or exc.context or "invalid YAML"
        raise _fail(Location(path, line, column), f"YAML syntax error: {reason}") from None
    except yaml.YAMLError as exc:
        raise _fail(where, f"YAML error: {exc}") from None
    if node is None:
        raise _fail(where, "is empty; expected a YAML mapping with a `kind`")
    source = SourceFile(path, None)
    problems: list[Problem] = []
    try:
        source.data = _convert(node, (), source, problems, [MAX_NODES])
    except _TooLarge:
        raise _fail(
            where, f"expands to more than {MAX_NODES} values (YAML aliases nested too deep?)"
        ) from None
    if problems:
        raise ContentError(problems)
    return source


def _fail(location: Location, message: str) -> ContentError:
    return ContentError([Problem(location, message)])


MAX_NODES = 200_000
"""Aliases can make a small file expand without bound ("billion laughs"); stop here."""


class _TooLarge(Exception):
    pass


def _convert(
    node: yaml.Node, path: KeyPath, source: SourceFile, problems: list[Problem], budget: list[int]
) -> Any:
    """Turn a composed node into plain Python data, recording marks and duplicate keys."""
    budget[0] -= 1
    if budget[0] < 0 or len(path) > 100:
        raise _TooLarge
    source.marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            if not isinstance(key, str):
                key = str(key)
            child = (*path, key)
            if key in result:
                problems.append(
                    Problem(
                        Location(
                            source.path,
                            key_node.start_mark.line + 1,
                            key_node.start_mark.column + 1,
                            format_path(child),
                        ),
                        f"duplicate key `{key}`",
                    )
                )
                continue
            source.marks[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _convert(value_node, child, source, problems, budget)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(item, (*path, i), source, problems, budget)
            for i, item in enumerate(node.value)
        ]
    return _scalar(node)


_constructor = yaml.SafeLoader(stream="")


_STR = "tag:yaml.org,2002:str"


def _scalar(node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _STR:  # most content is text: the constructor would return it as is
            return node.value
        return _constructor.construct_object(node, deep=True)
    return None
