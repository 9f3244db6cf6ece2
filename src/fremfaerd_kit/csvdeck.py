"""A deck from a spreadsheet: one card per row of a CSV file, since that is where
consultants collect their questions.

Columns (English or Danish header names, in any order): `question`/`spørgsmål`
(required), `example`/`eksempel`, `category`/`kategori`, `id`. The deck's id is the file
name (`vores-kort.csv` → `vores-kort`); categories are made from the category names in
order of appearance, each with its own colour.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from pathlib import Path
from typing import Any

from .errors import ContentError, Location, Problem
from .yamlsource import MAX_BYTES, SourceFile

COLUMNS = {
    "question": "question",
    "spørgsmål": "question",
    "example": "example",
    "eksempel": "example",
    "category": "category",
    "kategori": "category",
    "id": "id",
}
PALETTE = ("#1D3B5A", "#7A2E39", "#2F5D3A", "#5B3F86", "#8A4B0F", "#245F6B", "#6B2F5F")
"""Card colours for CSV categories: dark enough for white text, apart in greyscale."""
CREDIT = "egne"
"""The `sources.yaml` id a CSV deck credits."""


_DANISH: dict[str, str | int | None] = {"æ": "ae", "ø": "oe", "å": "aa"}


def slug(text: str) -> str:
    """An ascii id from Danish text: `Fælles mål` → `faelles-maal`."""
    lowered = text.lower().translate(str.maketrans(_DANISH))
    return re.sub(r"[^a-z0-9]+", "-", lowered).strip("-") or "x"


def load_csv_deck(path: Path) -> SourceFile:
    """Read `path` as a deck; rows become cards with their line numbers kept for errors."""
    where = Location(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError([Problem(where, f"cannot read the file ({exc.strerror})")]) from None
    if len(raw) > MAX_BYTES:
        raise ContentError([Problem(where, f"the file is larger than {MAX_BYTES // 2**20} MB")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ContentError(
            [Problem(where, "the file is not UTF-8; save the spreadsheet as CSV UTF-8")]
        ) from None
    dialect: Any = csv.excel
    with contextlib.suppress(csv.Error):  # one column only: nothing to sniff
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    reader = csv.reader(io.StringIO(text), dialect)
    rows = list(reader)
    if not rows:
        raise ContentError([Problem(where, "the file is empty; the first row names the columns")])
    header = [COLUMNS.get(h.strip().lower(), "") for h in rows[0]]
    if "question" not in header:
        raise ContentError(
            [Problem(Location(path, 1), "no `question` (or `spørgsmål`) column in the first row")]
        )
    deck_id = slug(path.stem)
    source = SourceFile(path, {})
    cards: list[dict[str, Any]] = []
    categories: dict[str, dict[str, Any]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {key: cell.strip() for key, cell in zip(header, row, strict=False) if key}
        name = values.get("category") or "Spørgsmål"
        if name not in categories:
            colour = PALETTE[len(categories) % len(PALETTE)]
            categories[name] = {"id": slug(name), "name": name, "colour": colour}
        index = len(cards)
        card: dict[str, Any] = {
            "id": values.get("id") or f"{deck_id}-{index + 1}",
            "category": categories[name]["id"],
            "question": values.get("question", ""),
        }
        if values.get("example"):
            card["example"] = values["example"]
        cards.append(card)
        source.marks[("cards", index)] = (number, 1)
        for column, key in enumerate(header, start=1):
            if key:
                source.marks[("cards", index, key)] = (number, column)
    title = path.stem.replace("-", " ").replace("_", " ").strip().capitalize() or deck_id
    source.data = {
        "kind": "deck",
        "id": deck_id,
        "title": title,
        "short_title": title,
        "source": {"publication": CREDIT, "section": path.name},
        "categories": list(categories.values()),
        "cards": cards,
    }
    return source
