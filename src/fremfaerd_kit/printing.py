"""Send a finished PDF to the printer: CUPS's `lp` on Linux and macOS, the spooler on
Windows (`oskit.print_file`, where what differs by platform lives)."""

from __future__ import annotations

from pathlib import Path

from .errors import InputError
from .oskit import PrintJob, Sides, print_file

__all__ = ["PrintJob", "Sides", "print_pdf", "sides_for"]


def print_pdf(
    path: Path,
    *,
    printer: str | None = None,
    copies: int = 1,
    sides: Sides = "one-sided",
    media: str = "A4",
    title: str | None = None,
) -> PrintJob:
    """Queue `path` on `printer`; `PrintError` (the PDF stays) when it does not take it."""
    if copies < 1 or copies > 999:
        raise InputError(f"--copies: {copies} is outside 1..999")
    return print_file(path, printer=printer, copies=copies, sides=sides, media=media, title=title)


def sides_for(backs: str, duplex: str) -> Sides:
    """The CUPS `sides` option that goes with the sheet layout."""
    if backs != "duplex":
        return "one-sided"
    return "two-sided-long-edge" if duplex == "long" else "two-sided-short-edge"
