"""Send a finished PDF to CUPS with the standard `lp` client."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .errors import InputError, PrintError

Sides = Literal["one-sided", "two-sided-long-edge", "two-sided-short-edge"]


@dataclass(frozen=True)
class PrintJob:
    """A job CUPS accepted."""

    job_id: str
    printer: str | None
    command: tuple[str, ...]


def print_pdf(
    path: Path,
    *,
    printer: str | None = None,
    copies: int = 1,
    sides: Sides = "one-sided",
    media: str = "A4",
    title: str | None = None,
) -> PrintJob:
    """Queue `path` with `lp`; `PrintError` (the PDF stays) when CUPS does not take it."""
    if copies < 1 or copies > 999:
        raise InputError(f"--copies: {copies} is outside 1..999")
    if shutil.which("lp") is None:
        raise PrintError(
            f"cannot print: the `lp` command is missing (Debian: apt-get install "
            f"cups-client); the PDF is written at {path}"
        )
    command = ["lp", "-n", str(copies), "-o", f"sides={sides}", "-o", f"media={media}"]
    if printer:
        command += ["-d", printer]
    if title:
        command += ["-t", title]
    command.append(str(path))
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PrintError(f"cannot print: {exc}; the PDF is written at {path}") from None
    if done.returncode != 0:
        reason = " ".join((done.stderr or done.stdout).split()) or f"lp exited {done.returncode}"
        raise PrintError(
            f"the printer did not take the job ({reason}); the PDF is written at {path}"
        )
    match = re.search(r"request id is (\S+)", done.stdout)
    return PrintJob(match.group(1) if match else "", printer, tuple(command))


def sides_for(backs: str, duplex: str) -> Sides:
    """The CUPS `sides` option that goes with the sheet layout."""
    if backs != "duplex":
        return "one-sided"
    return "two-sided-long-edge" if duplex == "long" else "two-sided-short-edge"
