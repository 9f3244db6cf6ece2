"""Readers: content and decks from the files people write and send (YAML, CSV, Excel),
each through the reading gate, each keeping where every value came from for errors."""

from __future__ import annotations

from pathlib import Path

from ..intake import TEXT_LIMIT, read_bytes
from .source import SourceFile

WHAT = {".csv": "spreadsheet", ".xlsx": "workbook"}


def read_content(path: Path, inside: Path | None = None) -> bytes:
    """The bytes of the content file `path`, through the reading gate."""
    return read_bytes(
        path, limit=TEXT_LIMIT, inside=inside, what=WHAT.get(path.suffix, "YAML file")
    )


def parse_content(path: Path, raw: bytes, *, partial: bool = False) -> list[SourceFile]:
    """The documents in the content file `raw` (a workbook holds one deck per sheet);
    `partial`: a YAML file's problems in single values come back in `SourceFile.problems`
    (`parse_yaml`)."""
    if path.suffix == ".csv":
        from .csvdeck import parse_csv_deck

        return [parse_csv_deck(path, raw)]
    if path.suffix == ".xlsx":
        from .xlsxdeck import parse_xlsx_decks

        return parse_xlsx_decks(path, raw)
    from .yamlfile import parse_yaml

    return [parse_yaml(path, raw, partial=partial)]
