"""The one error hierarchy of the kit: the CLI catches `KitError` and nothing else."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(text: object) -> str:
    """`text` safe to print as (part of) one line of a terminal: every character that is
    not printable (controls such as a newline, a carriage return or ESC, the line and
    paragraph separators, direction controls such as U+202E, other invisible format
    characters, lone surrogates) is shown as its escape (`\\n`, `\\x1b`, `\\u202e`).

    Messages quote values, ids, paths and file names that someone else wrote: raw, a
    newline would split one problem into two lines (the second a forged location), and
    an escape sequence would reach the terminal."""
    text = str(text)
    if text.isprintable():  # nearly every message: one pass in C
        return text
    return "".join(
        ch if ch.isprintable() or unicodedata.category(ch) == "Zs" else _escape(ch) for ch in text
    )


def _escape(ch: str) -> str:
    code = ord(ch)
    if ch in _SHORT:
        return _SHORT[ch]
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


@dataclass(frozen=True)
class Location:
    """Where in a source file a problem is: file, 1-based line and column, key path."""

    file: Path | str
    line: int | None = None
    column: int | None = None
    path: str = ""
    cells: bool = False
    """A spreadsheet's row and column: `R12:C2`."""

    def __str__(self) -> str:
        parts = [str(self.file)]
        if self.line is not None:
            parts.append(f"R{self.line}" if self.cells else str(self.line))
            if self.column is not None:
                parts.append(f"C{self.column}" if self.cells else str(self.column))
        text = ":".join(parts)
        return one_line(f"{text}: {self.path}" if self.path else text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, with where it is."""

    location: Location
    message: str

    def __str__(self) -> str:
        return one_line(f"{self.location}: {self.message}")


class KitError(Exception):
    """Base of every error the kit raises on purpose; `exit_code` is what the CLI returns."""

    exit_code = 1


class InputError(KitError):
    """The user's input (content, options, kit file) is wrong: exit code 2."""

    exit_code = 2


class ContentError(InputError):
    """One or more problems in content files, all collected before stopping."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_problem_order)
        super().__init__("\n".join(str(p) for p in self.problems))


class OutputError(KitError):
    """An output could not be written (disk full, interrupted): exit code 1."""


class OutputPathError(InputError):
    """The output path given cannot be written (a folder, missing folder, no permission)."""


class PrintError(KitError):
    """The PDF was written but the printer did not take it."""


def _problem_order(problem: Problem) -> tuple[str, int, int]:
    loc = problem.location
    return (str(loc.file), loc.line or 0, loc.column or 0)
