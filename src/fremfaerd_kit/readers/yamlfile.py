"""Load one YAML file safely into plain data, keeping the line and column of every key path.

PyYAML's composer builds a tree recursively, in C when libyaml is there, and a file nested
fifty thousand levels deep crashes the process. The parser below it is a state machine
with no such recursion, so data is built here from its event stream with an explicit
stack. That is also where the limits of received files are kept: nesting depth, the
number of values after aliases are expanded ("billion laughs"), the safe tag set only
(an unknown tag, a merge key or an impossible date is a located problem, not a crash).

Such a problem in one value does not stop the reading: the value is left out (its key
path kept in `SourceFile.bad`) and the rest of the file is read, so that a caller that
asks for it (`partial=True`) can check the rest too and report every problem at once.
Only what leaves the rest unreadable (a syntax error, the limits) stops at once.

Every text is put in Unicode's composed form (NFC) as it is read: `å` typed as `a` and a
combining ring is the same id, name and category as the one-character `å`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import ContentError, Location, Problem
from ..intake import TEXT_LIMIT, fail, read_bytes
from .source import KeyPath, SourceFile, format_path

__all__ = ["KeyPath", "SourceFile", "format_path", "load_yaml", "parse_yaml"]

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser where PyYAML has it (ten times faster); the same safe tag set."""
MAX_DEPTH = 64
"""Content is a few levels deep; anything deeper is not content."""
MAX_NODES = 1_000_000
"""Values after alias expansion: a 40,000-card deck has about 400,000."""


def load_yaml(
    path: Path, *, inside: Path | None = None, remember: bool = True, partial: bool = False
) -> SourceFile:
    """Read `path` (through the reading gate) as UTF-8 YAML; raise `ContentError`.

    `remember=False` for a file the command will itself rewrite (the printer profiles).
    `partial`: see `parse_yaml`."""
    raw = read_bytes(path, limit=TEXT_LIMIT, inside=inside, what="YAML file", remember=remember)
    return parse_yaml(path, raw, partial=partial)


def parse_yaml(path: Path, raw: bytes, *, partial: bool = False) -> SourceFile:
    """The YAML document in `raw`, read from `path`; raise `ContentError`.

    With `partial`, problems in single values (an impossible date, an unknown tag, a
    duplicate key) are returned in `SourceFile.problems` with the rest of the data, for
    the caller to check further; only a problem that leaves the file unreadable raises."""
    text = decode_text(raw, path)
    if not text.strip():
        raise fail(path, "is empty; expected a YAML mapping with a `kind`")
    source = SourceFile(path, None)
    problems: list[Problem] = []
    builder = _Builder(source, problems)
    source.data = builder.build(text)
    if problems and (builder.stopped or not partial or source.data is None):
        raise ContentError(problems)
    if source.data is None:
        raise fail(path, "is empty; expected a YAML mapping with a `kind`")
    source.problems = problems
    return source


# --- text ------------------------------------------------------------------------------

_NOT_YAML = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters YAML does not allow in a file (NUL, other control characters)."""
_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}


def refuse_wide(raw: bytes, path: Path | str) -> None:
    """A problem naming UTF-16 or UTF-32, which no reader here takes."""
    for bom, name in _BOMS.items():
        if raw.startswith(bom):
            raise fail(path, f"is {name}, not UTF-8; save it as UTF-8")
    head = raw[:200]
    if len(head) >= 4 and head.count(0) * 3 >= len(head):  # ascii as UTF-16: every other byte 0
        raise fail(path, "looks like UTF-16 (no byte-order mark), not UTF-8; save it as UTF-8")


def decode_text(raw: bytes, path: Path | str) -> str:
    """`raw` as UTF-8 (a BOM is accepted), or a problem that names the encoding found."""
    refuse_wide(raw, path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        raise fail(
            path, "is not UTF-8 (perhaps Latin-1 or Windows-1252); save it as UTF-8", bad_line
        ) from None
    bad = _NOT_YAML.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        char = bad.group()
        raise ContentError(
            [
                Problem(
                    Location(path, line, column),
                    f"contains the control character U+{ord(char):04X}"
                    + (" (NUL)" if char == "\0" else "")
                    + ", which a text file cannot hold; remove it",
                )
            ]
        )
    return text


# --- events to data ----------------------------------------------------------------------

_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "str", "timestamp")
)
_CONTAINER_TAGS = frozenset((None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"))
_SKIP = object()
"""The pending key of a duplicate: its value is read and dropped."""
_BAD = object()
"""A value that could not be read (an impossible date): it is left out, its key path kept."""


def _nfc(text: str) -> str:
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    path: KeyPath
    anchor: str | None
    size: int = 1
    key: Any = None  # a mapping's key waiting for its value
    key_mark: tuple[int, int] = (1, 1)


class _Stop(Exception):
    """A problem after which the rest of the file cannot be read."""


class _Builder:
    def __init__(self, source: SourceFile, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.budget = MAX_NODES
        self.root: Any = None
        self.documents = 0
        self.stopped = False
        """A problem left the rest of the file unread."""

    def build(self, text: str) -> Any:
        loader = _LOADER(text)
        try:
            while loader.check_event():
                self._event(loader, loader.get_event())
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            reason = exc.problem or exc.context or "invalid YAML"
            if "nesting depth" in reason:  # PyYAML 6.0.4's own limit, met while scanning ahead
                self._problem(mark, f"nested more than {MAX_DEPTH} levels deep")
            else:
                self._problem(mark, f"YAML syntax error: {reason}")
            self.stopped = True
        except yaml.YAMLError as exc:
            self.problems.append(Problem(Location(self.source.path), f"YAML error: {exc}"))
            self.stopped = True
        except _Stop:
            self.stopped = True
        finally:
            loader.dispose()
        return self.root

    def _event(self, loader: Any, event: yaml.Event) -> None:
        if isinstance(event, yaml.ScalarEvent):
            self._add(self._scalar(loader, event), 1, event)
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            if event.tag not in _CONTAINER_TAGS:
                self._problem(event.start_mark, f"unknown tag `{event.tag}`; tags are not used")
            if len(self.stack) >= MAX_DEPTH:
                self._problem(
                    event.start_mark, f"nested more than {MAX_DEPTH} levels deep", stop=True
                )
            path = self._child_path(event)
            self._spend(1, event)
            self.source.marks.setdefault(path, _mark(event.start_mark))
            container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
            self.stack.append(_Frame(container, path, event.anchor))
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            frame = self.stack.pop()
            if frame.anchor:
                self.anchors[frame.anchor] = (frame.container, frame.size)
            self._place(frame.container, frame.size, event)
        elif isinstance(event, yaml.AliasEvent):
            value, size = self.anchors.get(event.anchor or "", (None, 1))
            self._add(value, size, event)
        elif isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self._problem(
                    event.start_mark, "a second YAML document (`---`); one file holds one",
                    stop=True,
                )  # fmt: skip

    def _scalar(self, loader: Any, event: yaml.ScalarEvent) -> Any:
        tag = event.tag
        if tag in (None, "!"):
            tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _STR:  # most content is text
            return _nfc(event.value)
        if tag == _MERGE and self.stack and self.stack[-1].key is None:
            self._problem(
                event.start_mark, "YAML merge keys (`<<`) are not supported; write the keys out"
            )
            return _SKIP
        if tag not in _SCALAR_TAGS:
            self._problem(
                event.start_mark, f"unknown tag `{tag}`; tags are not used", self._value_path()
            )
            return _BAD
        node = yaml.ScalarNode(tag, event.value, None, None, event.style)
        try:
            return loader.yaml_constructors[tag](loader, node)
        except (ValueError, OverflowError, yaml.YAMLError):
            what = tag.rsplit(":", 1)[-1]
            self._problem(
                event.start_mark,
                f"`{event.value}` is not a valid {'date' if what == 'timestamp' else what}"
                + ("; quote it to keep it as text" if what == "timestamp" else ""),
                self._value_path(),
            )
            return _BAD

    def _child_path(self, event: yaml.Event) -> KeyPath:
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            return (*frame.path, len(frame.container))
        if frame.key is None:
            self._problem(event.start_mark, "a key must be text, not a list or mapping", stop=True)
        return (*frame.path, frame.key if frame.key is not _SKIP else "<<")

    def _spend(self, size: int, event: yaml.Event) -> None:
        self.budget -= size
        if self.budget < 0:
            self._problem(
                event.start_mark,
                f"expands to more than {MAX_NODES:,} values (YAML aliases nested too deep?)",
                stop=True,
            )

    def _add(self, value: Any, size: int, event: yaml.Event) -> None:
        self._spend(size, event)
        anchor = getattr(event, "anchor", None)
        if anchor and not isinstance(event, yaml.AliasEvent):
            self.anchors[anchor] = (value, size)
        self._place(value, size, event)

    def _place(self, value: Any, size: int, event: yaml.Event) -> None:
        if not self.stack:
            self.root = None if value is _BAD else value
            return
        frame = self.stack[-1]
        frame.size += size
        if isinstance(frame.container, list):
            path = (*frame.path, len(frame.container))
            self.source.marks.setdefault(path, _mark(event.start_mark))
            if value is _BAD:  # kept in its place, so that the items after keep theirs
                self.source.bad.add(path)
                value = None
            frame.container.append(value)
        elif frame.key is None:  # this value is a key
            if value is _SKIP or value is _BAD:
                frame.key = _SKIP
                return
            key = value if isinstance(value, str) else str(value)
            mark = _mark(event.start_mark)
            if key in frame.container:
                self.problems.append(
                    Problem(
                        Location(self.source.path, *mark, format_path((*frame.path, key))),
                        f"duplicate key `{key}`",
                    )
                )
                frame.key = _SKIP
                return
            self.source.marks[(*frame.path, key)] = mark
            frame.key = key
        else:
            if value is _BAD:
                if frame.key is not _SKIP:
                    self.source.bad.add((*frame.path, frame.key))
            elif frame.key is not _SKIP:
                frame.container[frame.key] = value
            frame.key = None

    def _value_path(self) -> str:
        """The key path of the scalar being read (a key's is its mapping's)."""
        if not self.stack:
            return ""
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            return format_path((*frame.path, len(frame.container)))
        if frame.key is None or frame.key is _SKIP:
            return format_path(frame.path)
        return format_path((*frame.path, frame.key))

    def _problem(self, mark: Any, message: str, path: str = "", *, stop: bool = False) -> None:
        line, column = _mark(mark) if mark is not None else (None, None)
        self.problems.append(Problem(Location(self.source.path, line, column, path), message))
        if stop:
            raise _Stop


def _mark(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)
