"""Decks from an Excel workbook (`.xlsx`): each sheet whose first row names a question
column is a deck, read like a CSV deck (same columns, Danish or English names).

openpyxl reads the workbook read-only with the values Excel last saved (no formula is
evaluated, no macro exists in an .xlsx). A workbook is a ZIP of XML, so before openpyxl
sees it the kit checks what it would unpack to: a small file that unpacks to gigabytes is
refused, like every other oversized input.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

from ..errors import ContentError, Location, Problem
from ..intake import TEXT_LIMIT, fail, read_bytes
from .csvdeck import COLUMNS, MAX_CELL, MAX_ROWS, deck_from_rows
from .yamlfile import SourceFile

MAX_UNPACKED = 64 * 1024 * 1024
"""What a workbook may unpack to in all: forty thousand long cards fit in far less."""
MAX_RATIO = 200
"""How much one part of the workbook may grow when unpacked (XML packs well, not this well)."""
MAX_COLUMNS = 30
MAX_SHEET_ROWS = 2 * MAX_ROWS
"""Rows read from one sheet, empty ones included (a sheet of a million blank rows)."""
MAX_SHEETS = 50


def _check_zip(raw: bytes, path: Path) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise fail(path, "is not an Excel workbook (.xlsx); save it as an Excel workbook") from None
    with archive:
        total = 0
        for info in archive.infolist():
            total += info.file_size
            packed = max(info.compress_size, 1)
            if info.file_size > MAX_UNPACKED or info.file_size / packed > MAX_RATIO * 10:
                raise fail(path, f"its part {info.filename} would unpack to {info.file_size:,} "
                                 "bytes; a workbook of cards is far smaller")  # fmt: skip
        if total > MAX_UNPACKED:
            raise fail(path, f"would unpack to {total:,} bytes; a workbook of cards is far smaller")


def _text(value: object) -> str:
    """A cell's value as the text Excel shows for it."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def load_xlsx_decks(path: Path, *, inside: Path | None = None) -> list[SourceFile]:
    """Every deck sheet of the workbook at `path`; every problem of all sheets at once."""
    raw = read_bytes(path, limit=TEXT_LIMIT, inside=inside, what="workbook")
    return parse_xlsx_decks(path, raw)


def parse_xlsx_decks(path: Path, raw: bytes) -> list[SourceFile]:
    """Every deck sheet of the workbook `raw`, read from `path`."""
    _check_zip(raw, path)
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise fail(path, f"cannot be read as an Excel workbook ({type(exc).__name__})") from None
    problems: list[Problem] = []
    found: list[tuple[str, list[str], list[tuple[int, list[str]]]]] = []
    try:
        for sheet in book.worksheets[:MAX_SHEETS]:
            where = f"{path}:{sheet.title}"
            rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
            first = next(rows, None)
            keys = [COLUMNS.get(_text(v).strip().lower(), "") for v in (first or ())]
            if "question" not in keys:
                continue  # a sheet of notes or lists, not a deck
            data: list[tuple[int, list[str]]] = []
            for number, values in enumerate(rows, start=2):
                if number > MAX_SHEET_ROWS:  # blank rows count too: reading them takes time
                    too_long = f"more than {MAX_SHEET_ROWS:,} rows in one sheet"
                    problems.append(Problem(Location(where, number, cells=True), too_long))
                    break
                cells = [_text(v) for v in values]
                if not any(c.strip() for c in cells):
                    continue
                for column, cell in enumerate(cells, start=1):
                    if len(cell) > MAX_CELL:
                        problems.append(Problem(
                            Location(where, number, column, cells=True),
                            f"the cell holds {len(cell):,} characters; a card holds at most "
                            f"{MAX_CELL:,}",
                        ))  # fmt: skip
                data.append((number, cells))
                if len(data) > MAX_ROWS:
                    too_many = f"more than {MAX_ROWS:,} cards in one sheet"
                    problems.append(Problem(Location(where, number, cells=True), too_many))
                    break
            found.append((sheet.title, keys, data))
    finally:
        book.close()
    if not found and not problems:
        raise ContentError([Problem(
            Location(path), "no sheet whose first row has a `spørgsmål` (or `question`) column"
        )])  # fmt: skip
    sources = []
    for title, keys, data in found:
        name = path.stem if len(found) == 1 else f"{path.stem}-{title}"
        try:
            sources.append(
                deck_from_rows(f"{path}:{title}", name, keys, data, problems=[], cells=True)
            )
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    return sources


def starter_workbook() -> bytes:
    """A workbook to start a deck in: the header row, two example cards, and a category
    column that offers the allowed values as a drop-down (from a sheet of its own, so
    they can be changed)."""
    import yaml
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..resources import templates_dir

    words = yaml.safe_load((templates_dir() / "kit" / "starter-deck.yaml").read_text("utf-8"))
    book = Workbook()
    cards = book.active
    cards.title = words["sheet"]
    cards.append(words["header"])
    for row in words["cards"]:
        cards.append(row)
    for cell in cards[1]:
        cell.font = Font(bold=True)
    cards["A1"].comment = Comment(words["note"], "fremfaerd-kit")
    for column, width in zip("ABCD", (60, 50, 18, 12), strict=True):
        cards.column_dimensions[column].width = width
    cards.freeze_panes = "A2"
    lists = book.create_sheet(words["categories_sheet"])
    lists.append([words["categories_header"]])
    for name in words["categories"]:
        lists.append([name])
    last = 1 + max(len(words["categories"]), 50)
    offer = DataValidation(
        type="list",
        formula1=f"='{words['categories_sheet']}'!$A$2:$A${last}",
        allow_blank=True,
        showDropDown=False,  # openpyxl's name: False shows the drop-down arrow
    )
    cards.add_data_validation(offer)
    offer.add(f"C2:C{MAX_ROWS + 1}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
