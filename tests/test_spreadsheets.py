"""Own decks as Excel writes them: CSV in Windows-1252 or UTF-8 with BOM, and .xlsx."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from fremfaerd_kit.library import load_library

from .conftest import REPO, run_kit, snapshot
from .pdfread import pdf_text

DANISH_EXCEL = 'spørgsmål;eksempel;kategori\n"Hvad gør vi, når robotten fejler?";Vi ringer;Drift\n'


def test_danish_excel_csv_is_read_as_windows_1252_and_said_so(tmp_path: Path) -> None:
    (tmp_path / "drift.csv").write_bytes(DANISH_EXCEL.encode("cp1252"))
    (tmp_path / "utf.csv").write_bytes(b"\xef\xbb\xbf" + "spørgsmål,kategori\nHvem?,Å\n".encode())
    result = run_kit("--content", str(tmp_path), "cards", "drift", "-o", str(tmp_path / "k.pdf"))
    assert result.returncode == 0, result.stderr
    assert f"kit: note: {tmp_path / 'drift.csv'}: read as Windows-1252, semicolon-separated" in (
        result.stderr
    )
    assert (f"kit: note: {tmp_path / 'utf.csv'}: read as UTF-8 with byte-order mark, "
            "comma-separated") in result.stderr  # fmt: skip
    assert "Hvad gør vi, når robotten fejler?" in pdf_text(tmp_path / "k.pdf")
    deck = load_library([tmp_path]).deck("utf")
    assert deck.cards[0].question == "Hvem?" and deck.categories[0].name == "Å"


def test_a_csv_in_neither_encoding_names_the_byte_and_line(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_bytes(b"sp\xf8rgsm\xe5l\nf\x81r\n")
    result = run_kit("--content", str(tmp_path), "check", str(tmp_path))
    assert result.returncode == 2
    assert f"{tmp_path / 'x.csv'}:2: is neither UTF-8 nor Windows-1252 (byte 0x81)" in result.stderr


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_each_deck_sheet_of_a_workbook_is_a_deck(tmp_path: Path) -> None:
    workbook(tmp_path / "kort.xlsx", {
        "Ark1": [["Spørgsmål", "Eksempel", "Kategori"], ["Hvem svarer borgeren?", None, "Borgere"],
                 [], ["Hvad måler vi på?", 2027, "Ledelse"]],
        "Noter": [["Bare noter"], ["ingen kort her"]],
        "Ledere": [["category", "question"], ["Ledelse", "Hvordan følger vi op?"]],
    })  # fmt: skip
    library = load_library([tmp_path])
    first, leaders = library.deck("kort-ark1"), library.deck("kort-ledere")
    assert [c.question for c in first.cards] == ["Hvem svarer borgeren?", "Hvad måler vi på?"]
    assert first.cards[1].example == "2027"  # a number, as Excel shows it
    assert [c.name for c in first.categories] == ["Borgere", "Ledelse"]
    assert [c.question for c in leaders.cards] == ["Hvordan følger vi op?"]
    assert "kort-noter" not in library.decks


def test_every_problem_of_every_sheet_at_once_with_sheet_row_and_column(tmp_path: Path) -> None:
    book = workbook(tmp_path / "spørgsmål.xlsx", {
        "Ark1": [["Spørgsmål", "Kategori"], ["x" * 4001, "A"], ["God", "A"]],
        "Ark2": [["Spørgsmål", "Eksempel"], ["Fint", "y" * 5000]],
    })  # fmt: skip
    before = snapshot(tmp_path)
    result = run_kit("--content", str(tmp_path), "cards", "-o", str(tmp_path / "k.pdf"))
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert f"{book}:Ark1:R2:C1: the cell holds 4,001 characters; a card holds at most 4,000" in (
        lines
    )
    assert f"{book}:Ark2:R2:C2: the cell holds 5,000 characters; a card holds at most 4,000" in (
        lines
    )
    assert snapshot(tmp_path) == before


def test_a_workbook_that_unpacks_to_gigabytes_is_refused(tmp_path: Path) -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", b"<sst>" + b"A" * (70 * 1024 * 1024) + b"</sst>")
    (tmp_path / "bombe.xlsx").write_bytes(bomb.getvalue())
    (tmp_path / "tekst.xlsx").write_bytes(b"not a zip at all")
    result = run_kit("check", str(tmp_path))
    assert result.returncode == 2
    assert f"{tmp_path / 'bombe.xlsx'}: its part xl/sharedStrings.xml would unpack to" in (
        result.stderr
    )
    assert f"{tmp_path / 'tekst.xlsx'}: is not an Excel workbook (.xlsx)" in result.stderr


def test_kit_init_deck_writes_a_starter_workbook_with_a_category_drop_down(
    tmp_path: Path,
) -> None:
    target = tmp_path / "egne" / "egne.xlsx"
    target.parent.mkdir()
    result = run_kit("init", "--deck", str(target))
    assert result.returncode == 0, result.stderr
    book = load_workbook(target)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == ["Spørgsmål", "Eksempel", "Kategori", "Id"]
    assert sheet.max_row == 3  # two example cards
    (offer,) = sheet.data_validations.dataValidation
    assert offer.type == "list" and "C2" in str(offer.sqref)
    allowed = [row[0].value for row in book["Kategorier"].iter_rows(min_row=2)]
    assert {c.value for c in sheet["C"][1:]} <= set(allowed)
    deck = load_library([target.parent]).deck("egne")
    assert len(deck.cards) == 2
    again = run_kit("init", "--deck", str(target))
    assert again.returncode == 2 and "already exists" in again.stderr


@pytest.mark.parametrize("name", ["laeringsplatform-dagtilbud"])
def test_an_example_kit_names_its_own_deck_as_a_workbook(name: str, tmp_path: Path) -> None:
    out = tmp_path / "kit"
    result = run_kit("build", str(REPO / "examples" / name / "kit.yaml"), "-o", str(out), "-q")
    assert result.returncode == 0, result.stderr
    text = pdf_text(out / "05-kort-personalemoede.pdf")
    assert "Hvornår står skærmen i vejen for nærværet med børnene?" in text


def test_a_sheet_of_endless_blank_rows_stops_at_its_limit(tmp_path: Path) -> None:
    from openpyxl import Workbook as WriteOnly

    book = WriteOnly(write_only=True)
    sheet = book.create_sheet("Ark1")
    sheet.append(["Spørgsmål"])
    for _ in range(85_000):
        sheet.append([" "])
    book.save(tmp_path / "mange.xlsx")
    result = run_kit("check", str(tmp_path))
    assert result.returncode == 2
    assert f"{tmp_path / 'mange.xlsx'}:Ark1:R80001: more than 80,000 rows in one sheet" in (
        result.stderr
    )
