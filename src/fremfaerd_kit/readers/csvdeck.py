"""A deck from a spreadsheet: one card per row of a CSV file, since that is where
consultants collect their questions.

Columns (English or Danish header names, in any order): `question`/`spørgsmål`
(required), `example`/`eksempel`, `category`/`kategori`, `id`. The deck's id is the file
name (`vores-kort.csv` → `vores-kort`); categories are made from the category names in
order of appearance, each with its own colour.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path
from typing import Any

from ..errors import ContentError, Location, Problem
from ..intake import TEXT_LIMIT, fail, read_bytes
from .yamlfile import SourceFile, decode_text, refuse_wide

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


MAX_ROWS = 40_000
"""Cards in one spreadsheet: a deck of 40,000 is already a print run, not a workshop."""
MAX_CELL = 4_000
"""Characters in one cell: more than any card can hold."""
DELIMITERS = (";", ",", "\t")


def decode_csv(raw: bytes, path: Path) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in.

    Excel writes "CSV UTF-8" with a byte-order mark, and its Danish default "CSV
    (semikolonsepareret)" in Windows-1252. Text that is not valid UTF-8 is read as
    Windows-1252, which is what such a file is; bytes Windows-1252 has no letter for
    (0x81, 0x8D, 0x8F, 0x90, 0x9D) mean neither, and are a problem naming the byte.
    """
    refuse_wide(raw, path)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        bom = raw.startswith(b"\xef\xbb\xbf")
        return decode_text(raw, path), "UTF-8 with byte-order mark" if bom else "UTF-8"
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise fail(
            path,
            f"is neither UTF-8 nor Windows-1252 (byte 0x{raw[exc.start]:02X}); save it from "
            "Excel as CSV UTF-8",
            line,
        ) from None
    return decode_text(text.encode("utf-8"), path), "Windows-1252"


SEPARATORS = {";": "semicolon-separated", ",": "comma-separated", "\t": "tab-separated"}


def load_csv_deck(path: Path, *, inside: Path | None = None) -> SourceFile:
    """Read `path` as a deck; rows become cards with their line numbers kept for errors."""
    raw = read_bytes(path, limit=TEXT_LIMIT, inside=inside, what="spreadsheet")
    return parse_csv_deck(path, raw)


def parse_csv_deck(path: Path, raw: bytes) -> SourceFile:
    """The deck in the CSV bytes `raw`, read from `path`."""
    text, encoding = decode_csv(raw, path)
    text = unicodedata.normalize("NFC", text)  # the header's names too; lines stay lines
    if not text.strip():
        raise fail(path, "the file is empty; the first row names the columns")
    delimiter, header = _header(text, path)
    problems: list[Problem] = []
    rows = _rows(text, delimiter, len(header), path, problems)
    source = deck_from_rows(path, path.stem, header, rows, problems)
    source.note = f"read as {encoding}, {SEPARATORS[delimiter]}"
    return source


def deck_from_rows(
    path: Path | str,
    deck_name: str,
    header: list[str],
    rows: list[tuple[int, list[str]]],
    problems: list[Problem],
    cells: bool = False,
    title: str | None = None,
) -> SourceFile:
    """A deck's data from a spreadsheet's rows (CSV or one sheet of a workbook): each row a
    card, each category name a category, every card's place kept for errors. Its title is
    `title` (a workbook's own), else made from `deck_name` (the file name, whose letters
    are kept as they are: `personalemoede` is not guessed to be `Personalemøde`).

    Every text is put in Unicode's composed form (NFC), the file's name too: a name saved
    decomposed (as macOS may write `å`) gives the same deck id, and one category name
    typed both ways is one category. A cell's line breaks are `\\n`, as Excel's own."""
    deck_name = _cell(deck_name)
    title = _cell(title) if title is not None else None
    deck_id = slug(deck_name)
    source = SourceFile(path, {}, cells=cells)
    cards: list[dict[str, Any]] = []
    categories: dict[str, dict[str, Any]] = {}
    column_of = {key: column for column, key in enumerate(header, start=1) if key}
    for number, row in rows:
        values = {key: _cell(cell) for key, cell in zip(header, row, strict=False) if key}
        name = values.get("category") or "Spørgsmål"
        if name not in categories:
            colour = PALETTE[len(categories) % len(PALETTE)]
            at = ("categories", len(categories))
            source.marks[at] = source.marks[(*at, "name")] = (
                number,
                column_of.get("category", 1),
            )  # where the name first stands: its problems are located there
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
    if problems:
        raise ContentError(problems)
    title = title or deck_name.replace("-", " ").replace("_", " ").strip().capitalize() or deck_id
    source.data = {
        "kind": "deck",
        "id": deck_id,
        "title": title,
        "short_title": title,
        "source": {"publication": CREDIT, "section": _cell(Path(str(path)).name)},
        "categories": list(categories.values()),
        "cards": cards,
    }
    return source


def _cell(text: str) -> str:
    text = text.strip()
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def _header(text: str, path: Path) -> tuple[str, list[str]]:
    """The separator and the column keys, chosen by which separator makes the first row
    name the known columns (a guess from one line of data can be fooled; a header cannot)."""
    first = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    best: tuple[int, str, list[str]] | None = None
    for delimiter in DELIMITERS:
        try:
            cells = next(csv.reader([first], delimiter=delimiter, strict=True), [])
        except csv.Error:
            continue
        keys = [COLUMNS.get(cell.strip().lower(), "") for cell in cells]
        known = sum(1 for k in keys if k)
        if "question" in keys and (best is None or known > best[0]):
            best = (known, delimiter, keys)
    if best is None:
        raise ContentError(
            [Problem(Location(path, 1), "no `question` (or `spørgsmål`) column in the first row")]
        )
    return best[1], best[2]


def _rows(
    text: str, delimiter: str, width: int, path: Path, problems: list[Problem]
) -> list[tuple[int, list[str]]]:
    """The data rows with the line each starts on; every bad row is a problem."""
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True,
        strict=True,
    )  # fmt: skip
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        next(reader)
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > width:
                problems.append(
                    Problem(
                        Location(path, line),
                        f"row has {len(row)} cells but the first row names {width} columns; "
                        f"a cell with `{delimiter}` in it needs quotes around it",
                    )
                )
                continue
            for column, cell in enumerate(row, start=1):
                if len(cell) > MAX_CELL:
                    problems.append(
                        Problem(
                            Location(path, line, column),
                            f"the cell holds {len(cell):,} characters; a card holds at most "
                            f"{MAX_CELL:,}",
                        )
                    )
            rows.append((line, row))
            if len(rows) > MAX_ROWS:
                problems.append(
                    Problem(Location(path, line), f"more than {MAX_ROWS:,} cards in one file")
                )
                break
    except csv.Error as exc:
        reason = str(exc)
        if "end of data" in reason or "EOF" in reason:
            reason = 'a quote (") opened in this row is never closed'
        elif "field larger" in reason:
            reason = f"a cell holds more than {csv.field_size_limit():,} characters"
        elif "expected after" in reason:
            reason = (
                "a quoted cell goes on after its closing quote; inside quotes, write a quote as"
                ' two (""); or the separator is not the one the first row uses'
            )
        problems.append(Problem(Location(path, line), reason))
    return rows
