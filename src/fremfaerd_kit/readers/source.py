"""A document as a reader found it: its data, and where in the file each value stood."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Location, Problem

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

    path: Path | str
    """The file; for a workbook's sheet, `file.xlsx:Sheet`."""
    data: Any
    marks: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    cells: bool = False
    """Positions are a sheet's rows and columns (`R12:C2`), not lines and columns."""
    note: str | None = None
    """Something the reader did that the user should know (`read as Windows-1252`)."""
    origin: Path | None = None
    """The file to read the positions from again, once they were let go (`let_go`)."""
    problems: list[Problem] = field(default_factory=list)
    """Problems found in single values while reading (`parse_yaml(partial=True)`)."""
    bad: set[KeyPath] = field(default_factory=set)
    """Key paths of values already found wrong (left out by the reader as unreadable, or
    refused by the text check): one problem says what is wrong with each."""

    def besides_unread(self, problems: list[Problem]) -> list[Problem]:
        """`problems` without those about a value in `bad` of this file, whose own problem
        already says what is wrong with it: one problem, one line, for one value."""
        bad = [format_path(p) for p in self.bad]
        return [
            p for p in problems
            if str(p.location.file) != str(self.path)
            or not any(p.location.path == b or p.location.path.startswith((f"{b}.", f"{b}["))
                       for b in bad)
        ]  # fmt: skip

    def let_go(self, origin: Path) -> None:
        """Drop the data and the positions, which `locate` reads again from `origin` if a
        problem is ever found: a deck of 40,000 cards has 200,000 positions (55 MB) that a
        command printing it never needs. (A problem already found keeps its position.)"""
        self.data, self.marks, self.origin = None, {}, origin

    def locate(self, key_path: KeyPath) -> Location:
        """The nearest known position of `key_path` (falling back to its parents)."""
        if self.origin is not None:
            self.marks, self.origin = self._positions_again(self.origin), None
        probe = tuple(key_path)
        while probe and probe not in self.marks:
            probe = probe[:-1]
        line, column = self.marks.get(probe, (1, 1))
        return Location(self.path, line, column, format_path(tuple(key_path)), cells=self.cells)

    def _positions_again(self, origin: Path) -> dict[KeyPath, tuple[int, int]]:
        from . import parse_content, read_content

        try:
            again = parse_content(origin, read_content(origin), partial=True)
        except Exception:  # changed or gone since: the file's name is still right
            return {}
        return next((s.marks for s in again if str(s.path) == str(self.path)), {})

    def problem(self, key_path: KeyPath, message: str) -> Problem:
        """A `Problem` at `key_path` of this file."""
        return Problem(self.locate(key_path), message)
