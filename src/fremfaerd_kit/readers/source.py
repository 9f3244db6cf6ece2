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

    def locate(self, key_path: KeyPath) -> Location:
        """The nearest known position of `key_path` (falling back to its parents)."""
        probe = tuple(key_path)
        while probe and probe not in self.marks:
            probe = probe[:-1]
        line, column = self.marks.get(probe, (1, 1))
        return Location(self.path, line, column, format_path(tuple(key_path)), cells=self.cells)

    def problem(self, key_path: KeyPath, message: str) -> Problem:
        """A `Problem` at `key_path` of this file."""
        return Problem(self.locate(key_path), message)
