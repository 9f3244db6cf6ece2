r"""Printer profiles: what one calibration found, kept per printer, used at every print.

The settings live in `printers.yaml` in the user's configuration folder (platformdirs
knows the platform's place: `~/.config/fremfaerd-kit/` on Linux, honouring
`XDG_CONFIG_HOME`; `~/Library/Application Support/fremfaerd-kit/` on macOS;
`%LOCALAPPDATA%\fremfaerd-kit\` on Windows), keyed by the printer's name as the platform
spells it (a CUPS queue, a Windows printer). The file is read like any other input (the
reading gate, located errors) and written whole or not at all. A damaged file is an error
naming its line; it is never overwritten by a `kit printer set` (fix or remove it first).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import Field, StringConstraints, ValidationError

from .errors import ContentError, InputError, OutputPathError
from .oskit import PRINTER_NAME, PRINTER_NAME_HINT
from .output import write_atomic
from .readers.yamlfile import load_yaml
from .settingsmodel import Model

FILE_NAME = "printers.yaml"
MAX_PRINTERS = 100
PrinterName = Annotated[str, StringConstraints(pattern=rf"^{PRINTER_NAME}$")]
"""A printer's name as the platform spells it (`oskit.PRINTER_NAME`)."""
Offset = Annotated[float, Field(ge=-20, le=20)]


class Profile(Model):
    """One printer's settings, as `kit cards --print --printer NAME` uses them."""

    duplex: Literal["long", "short"] = "long"
    back_offset: list[Offset] = Field(
        default_factory=lambda: [0.0, 0.0], min_length=2, max_length=2, description="X, Y in mm"
    )
    paper: Literal["a4", "letter"] = "a4"
    copies: Annotated[int, Field(ge=1, le=100)] = 1

    def summary(self) -> str:
        x, y = self.back_offset
        return (
            f"duplex {self.duplex}, back offset {x:g},{y:g} mm, {self.paper}, "
            f"{self.copies} cop{'y' if self.copies == 1 else 'ies'}"
        )


class PrintersFile(Model):
    kind: Literal["printers"]
    printers: dict[PrinterName, Profile] = Field(default_factory=dict, max_length=MAX_PRINTERS)


def profiles_path() -> Path:
    """Where the profiles are kept."""
    from platformdirs import user_config_path

    return user_config_path("fremfaerd-kit", appauthor=False) / FILE_NAME


def check_name(name: str) -> str:
    if not re.fullmatch(PRINTER_NAME, name):
        raise InputError(f"printer name {name!r}: {PRINTER_NAME_HINT}")
    return name


def load_profiles(path: Path | None = None) -> dict[str, Profile]:
    """The saved profiles; none when the file does not exist. `ContentError` when damaged."""
    from .library import translate_errors

    path = path or profiles_path()
    if not path.exists() and not path.is_symlink():
        return {}
    source = load_yaml(path, remember=False)  # the settings file is rewritten by `set`
    try:
        return dict(PrintersFile.model_validate(source.data).printers)
    except ValidationError as exc:
        raise ContentError(translate_errors(source, PrintersFile, exc)) from None


def save_profiles(profiles: dict[str, Profile], path: Path | None = None) -> Path:
    """Write all profiles at once (the old file stays whole if anything goes wrong)."""
    path = path or profiles_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # e.g. XDG_CONFIG_HOME naming a file
        raise OutputPathError(
            f"{path.parent}: cannot make the folder for the printer settings ({exc.strerror}); "
            "is a parent of it a file?"
        ) from None
    data = {
        "kind": "printers",
        "printers": {
            name: {
                "duplex": p.duplex,
                "back_offset": list(p.back_offset),
                "paper": p.paper,
                "copies": p.copies,
            }
            for name, p in sorted(profiles.items())
        },
    }
    text = (
        "# Printer settings for `kit cards --print --printer NAME`, written by `kit printer`.\n"
        "# back_offset: X,Y in mm, as read off `kit printer calibrate NAME`.\n"
        + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    )
    return write_atomic(path, text.encode("utf-8"))
