"""The one error hierarchy of the kit: the CLI catches `KitError` and nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
        return f"{text}: {self.path}" if self.path else text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, with where it is."""

    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


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
