"""What reaches the typesetters is bounded: pages, list items, table rows, block sizes, the
fenced blocks' arguments and the kit file's names either fit on the page or are one
located line (exit 2), within 10 seconds and 500 MB, never a traceback.

Every case runs the real `kit` command (`run_limited`); a document that is made is read
back: its page count, and every word inside the page.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pymupdf
import pytest

from fremfaerd_kit.markdown import (
    MAX_CELL_TEXT,
    MAX_CHARACTERS,
    MAX_HEADING,
    MAX_ITEMS,
    MAX_LINES,
    MAX_PAGES,
    MAX_ROWS,
    MAX_SPACE_MM,
    MAX_WORD,
)

from .conftest import snapshot
from .pdfread import open_pdf
from .test_hostile import KIT, MEMORY_MB, Run, run_limited

HANDOUT = "t/documents/handout.md.j2"
OVERRIDE = KIT + "templates: t\nhandouts: [businesscase]\n"
BUILT = "kit/06-handout-businesscase.pdf"


def lay_out(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))


def kit(folder: Path, *args: str) -> Run:
    """`kit ARGS` in `folder`, with what every run must keep: no traceback, the limits."""
    run = run_limited(*args, cwd=folder)
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    assert run.peak_mb < MEMORY_MB, f"{run.peak_mb:.0f} MB"
    return run


def refused(folder: Path, *args: str) -> list[str]:
    """The problem lines of a run that must refuse (exit 2) and change no file."""
    before = snapshot(folder)
    run = kit(folder, *args)
    assert run.code == 2, run.stderr
    assert run.lines, "a refusal says why"
    assert snapshot(folder) == before
    return run.lines


def one_line(lines: list[str], *parts: str) -> None:
    """Exactly one problem, and it says each of `parts`."""
    assert len(lines) == 1, lines
    for part in parts:
        assert part in lines[0], (part, lines[0])


def inside(pdf: Path, pages: int | None = None, at_most: int = MAX_PAGES) -> pymupdf.Document:
    """The PDF, with every word inside its page (and `pages` pages, or at most `at_most`)."""
    doc = open_pdf(pdf.read_bytes())
    if pages is not None:
        assert len(doc) == pages, (pdf.name, len(doc))
    assert 1 <= len(doc) <= at_most, (pdf.name, len(doc))
    for page in doc:
        box = page.rect
        for word in page.get_text("words"):
            x0, y0, x1, y1, text = word[:5]
            assert box.x0 - 0.5 <= x0 and x1 <= box.x1 + 0.5, (pdf.name, page.number, text)
            assert box.y0 - 0.5 <= y0 and y1 <= box.y1 + 0.5, (pdf.name, page.number, text)
    return doc


# --- counts: pages, list items, table rows ---------------------------------------------------


def handout_file(items: int) -> str:
    return (
        "kind: handout\nid: stor\ntitle: Stor\nsource: {publication: egne, section: x}\n"
        "items:\n" + "".join(f"  - text: punkt nummer {i}\n" for i in range(items))
    )


def test_a_handout_of_100000_items_is_refused_at_its_items(tmp_path: Path) -> None:
    lay_out(
        tmp_path,
        {
            "kit.yaml": KIT + "content: [egne]\nhandouts: [stor]\n",
            "egne/stor.yaml": handout_file(100_000),
        },
    )
    lines = refused(tmp_path, "build", "kit.yaml", "-q")
    one_line(lines, "egne/stor.yaml:5:1: items: has more than 2,000 items")


def test_a_handout_of_2000_items_is_made(tmp_path: Path) -> None:
    lay_out(
        tmp_path,
        {
            "kit.yaml": KIT + "content: [egne]\nhandouts: [stor]\nformats: [pdf, docx]\n",
            "egne/stor.yaml": handout_file(MAX_ITEMS),
        },
    )
    run = kit(tmp_path, "build", "kit.yaml", "-o", "kit", "-q")
    assert run.code == 0, run.stderr
    doc = inside(tmp_path / "kit/06-handout-stor.pdf")
    assert "punkt nummer 1999" in doc[-1].get_text()


def pages_override(breaks: int) -> dict[str, str]:
    loop = "{% for i in range(" + str(breaks) + ") %}Side {{ i }}\n\n***\n\n{% endfor %}Slut\n"
    return {"kit.yaml": OVERRIDE, HANDOUT: loop}


def test_a_template_of_50000_pages_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    lay_out(tmp_path, pages_override(50_000))
    lines = refused(tmp_path, "build", "kit.yaml", "-q")
    one_line(
        lines,
        f"{HANDOUT}: the document is ",
        f"a document may have at most {MAX_CHARACTERS:,}",
        "about 50,000 page breaks",
    )


def test_a_template_of_300_pages_is_refused_at_the_201st(tmp_path: Path) -> None:
    lay_out(tmp_path, pages_override(299))
    lines = refused(tmp_path, "build", "kit.yaml", "-q")
    # Each page is four lines (`Side N`, a blank line, `***`, a blank line): the 200th `***`,
    # which starts page 201, is on line 799.
    one_line(
        lines,
        f"{HANDOUT}: line 799 of the document: page 201 of 300 starts here (`***`); "
        "a document may have at most 200 pages",
    )


def test_a_template_of_200_pages_is_made(tmp_path: Path) -> None:
    lay_out(tmp_path, pages_override(MAX_PAGES - 1))
    run = kit(tmp_path, "build", "kit.yaml", "-o", "kit", "-q")
    assert run.code == 0, run.stderr
    doc = inside(tmp_path / BUILT, pages=MAX_PAGES)
    assert "Slut" in doc[-1].get_text()


def test_text_that_runs_past_200_pages_is_stopped_there(tmp_path: Path) -> None:
    # No page breaks and no bound passed: sixty blocks of 100 writing lines, 240 pages.
    body = "{% for i in range(60) %}```lines 100\n```\n\n{% endfor %}"
    lay_out(tmp_path, {"kit.yaml": OVERRIDE, HANDOUT: body})
    lines = refused(tmp_path, "build", "kit.yaml", "-q")
    one_line(lines, "handout businesscase: the text runs on past 200 pages")


def test_a_table_of_1000_rows_is_made_in_pdf_and_word(tmp_path: Path) -> None:
    loop = "{% for i in range(" + str(MAX_ROWS - 1) + ") %}"
    rows = loop + "| {{ i }} | række {{ i }} |\n{% endfor %}"
    lay_out(
        tmp_path,
        {
            "kit.yaml": OVERRIDE + "formats: [pdf, docx]\n",
            HANDOUT: "# Tabel\n\n| nr | tekst |\n|---|---|\n" + rows,
        },
    )
    run = kit(tmp_path, "build", "kit.yaml", "-o", "kit", "-q")
    assert run.code == 0, run.stderr
    inside(tmp_path / BUILT)
    from docx import Document

    table = Document(str(tmp_path / "kit/06-handout-businesscase.docx")).tables[0]
    assert len(table.rows) == MAX_ROWS
    assert table.rows[-1].cells[1].text == f"række {MAX_ROWS - 2}"


def test_a_template_that_writes_a_million_marks_is_refused_at_once(tmp_path: Path) -> None:
    # A table of 80,000 cells in 160,000 characters: parsing alone would take seconds.
    cells = "{% for i in range(400) %}|" + "x|" * 200 + "\n{% endfor %}"
    lay_out(tmp_path, {"kit.yaml": OVERRIDE, HANDOUT: "|a|\n|-|\n" + cells})
    lines = refused(tmp_path, "build", "kit.yaml", "-q")
    one_line(lines, f"{HANDOUT}: the document has ", "Markdown marks")


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (
            "| " + " | ".join("abcdefghijk") + " |\n|" + "---|" * 11 + "\n",
            "line 1 of the document: a table of 11 columns; a table may have at most 10",
        ),
        ("> > > > boks", "line 1 of the document: a box (`>`) inside 3 others"),
        ("```kode\nx\n```", "line 1 of the document: unknown fenced block ```kode"),
        ("```band rød\nx\n```", "line 1 of the document: ```band rød: ```band takes a colour"),
        ("# " + "ord " * 300, "a heading of 1,199 characters (it begins 'ord ord"),
        ("x" * (MAX_WORD + 1), f"a word of {MAX_WORD + 1:,} characters without a space"),
        (
            "> " + "ord " * (MAX_CELL_TEXT // 4 + 1),
            f"a box (`>`) of {MAX_CELL_TEXT + 3:,} characters (it begins 'ord ord ord ord ord "
            f"ord ord or…'); a box (`>`) may have at most {MAX_CELL_TEXT:,}",
        ),
    ],
    ids=["11 columns", "nested boxes", "unknown fence", "band colour", "heading", "word", "box"],
)
def test_a_block_that_no_page_holds_is_located(tmp_path: Path, body: str, says: str) -> None:
    lay_out(tmp_path, {"kit.yaml": OVERRIDE + "formats: [pdf, docx]\n", HANDOUT: body + "\n"})
    one_line(refused(tmp_path, "build", "kit.yaml", "-q"), f"{HANDOUT}: ", says)


def test_a_heading_and_a_word_at_their_bounds_are_made(tmp_path: Path) -> None:
    heading = "# " + " ".join(["x" * 99] * (MAX_HEADING // 100))
    word = "y" * MAX_WORD
    lay_out(
        tmp_path,
        {
            "kit.yaml": OVERRIDE + "formats: [pdf, docx]\n",
            HANDOUT: f"{heading}\n\n{word}\n\n> {word}\n\n| a | b |\n|---|---|\n| {word} | z |\n",
        },
    )
    run = kit(tmp_path, "build", "kit.yaml", "-o", "kit", "-q")
    assert run.code == 0, run.stderr
    doc = inside(tmp_path / BUILT, at_most=20)
    text = "".join(page.get_text() for page in doc)
    assert text.count("y") == 3 * MAX_WORD  # broken over lines and pages, never cut short


# --- the fenced blocks' arguments ------------------------------------------------------------


@pytest.mark.parametrize("argument", ["1000000", "-1", "abc", "0", "1e9", "5 6", "١٢"], ids=repr)
def test_lines_with_a_wrong_count_is_located(tmp_path: Path, argument: str) -> None:
    lay_out(tmp_path, {"kit.yaml": OVERRIDE, HANDOUT: f"# x\n\n```lines {argument}\n```\n"})
    one_line(
        refused(tmp_path, "build", "kit.yaml", "-q"),
        f"{HANDOUT}: line 3 of the document: ```lines {argument}: ```lines takes",
        f"from 1 to {MAX_LINES}, or fill",
    )


@pytest.mark.parametrize(
    "argument", ["1000000000", "-5", "abc", "nan", "inf", "1e308", "201"], ids=repr
)
def test_space_with_a_wrong_height_is_located(tmp_path: Path, argument: str) -> None:
    lay_out(tmp_path, {"kit.yaml": OVERRIDE, HANDOUT: f"# x\n\n```space {argument}\n```\n"})
    one_line(
        refused(tmp_path, "build", "kit.yaml", "-q"),
        f"{HANDOUT}: line 3 of the document: ```space {argument}: ```space takes a height "
        f"from 0 to {MAX_SPACE_MM:g} mm",
    )


def test_writing_lines_taller_than_a_page_go_on_over_the_next(tmp_path: Path) -> None:
    body = f"# Noter\n\n```lines {MAX_LINES}\n```\n\nSlut\n"
    lay_out(tmp_path, {"kit.yaml": OVERRIDE + "formats: [pdf, docx]\n", HANDOUT: body})
    run = kit(tmp_path, "build", "kit.yaml", "-o", "kit", "-q")
    assert run.code == 0, run.stderr
    doc = inside(tmp_path / BUILT, pages=4)
    ruled = 0
    for page in doc:
        for drawing in page.get_drawings():
            for item in drawing["items"]:
                if item[0] == "l" and item[1].y == item[2].y:
                    assert 0 < item[1].y < page.rect.height, page.number
                    ruled += 1
    assert ruled >= MAX_LINES  # every line drawn (the header's rule besides)
    assert "Slut" in doc[-1].get_text()


def test_a_space_as_tall_as_allowed_fits_a_letter_page_and_a_slide(tmp_path: Path) -> None:
    space = f"```space {MAX_SPACE_MM:g}\n```\n"
    lay_out(
        tmp_path,
        {
            "kit.yaml": OVERRIDE + "paper: letter\nslides: [forankring]\n",
            HANDOUT: f"Før\n\n{space}\nEfter\n",
            "t/documents/deck-slides.md.j2": f"# Før\n\n{space}\nEfter\n",
        },
    )
    run = kit(tmp_path, "build", "kit.yaml", "-o", "kit", "-q")
    assert run.code == 0, run.stderr
    inside(tmp_path / BUILT, pages=1)
    inside(tmp_path / "kit/07-slides-forankring.pdf", at_most=3)


# --- the kit file's names, and values ---------------------------------------------------------

FULL = "formats: [pdf, docx]\nslides: [vaerktoej2, dialogkort]\ndate: 2026-12-07\nstart: '09:00'\n"
KEYS = ("title", "organisation", "workplace", "technology")


@dataclass(frozen=True)
class Value:
    name: str
    make: Callable[[int], str]


VALUES = [
    Value("words", lambda n: ("ord " * n)[: n - 1] + "x"),
    Value("one word", lambda n: "x" * n),
]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: v.name)
@pytest.mark.parametrize("key", KEYS)
def test_a_name_of_20000_characters_is_refused_at_its_key(
    tmp_path: Path, key: str, value: Value
) -> None:
    lay_out(tmp_path, {"kit.yaml": KIT + f"{key}: {value.make(20_000)}\n" + FULL})
    one_line(
        refused(tmp_path, "build", "kit.yaml", "-q"),
        f"kit.yaml:2:1: {key}: is longer than 200 characters",
    )


def test_the_names_as_variables_and_with_set_are_held_to_the_same_rule(tmp_path: Path) -> None:
    long = "x" * 20_000
    lay_out(tmp_path, {"kit.yaml": KIT + f"variables:\n  teknologi: {long}\n  egen: {long}\n"})
    one_line(
        refused(tmp_path, "build", "kit.yaml", "-q"),
        "kit.yaml:3:3: variables.teknologi: is longer than 200 characters (like `technology`)",
    )
    lines = refused(tmp_path, "worksheet", "vaerktoej2", "--set", f"titel={long}", "-o", "w.pdf")
    one_line(lines, "--set", "titel: the value is longer than 200 characters")


def test_a_name_is_one_line(tmp_path: Path) -> None:
    lay_out(tmp_path, {"kit.yaml": KIT + 'technology: "robot\\n```\\n***"\n'})
    one_line(
        refused(tmp_path, "build", "kit.yaml", "-q"),
        "kit.yaml:2:1: technology: is one line of text",
    )


@pytest.mark.parametrize("value", VALUES, ids=lambda v: v.name)
def test_every_name_at_200_characters_is_made_in_every_document(
    tmp_path: Path, value: Value
) -> None:
    names = "".join(f"{key}: {value.make(200)}\n" for key in KEYS)
    footer = f"branding: {{footer: {value.make(200)}}}\n"
    lay_out(tmp_path, {"kit.yaml": KIT + names + footer + FULL})
    run = kit(tmp_path, "build", "kit.yaml", "-o", "kit", "-q")
    assert run.code == 0, run.stderr
    out = tmp_path / "kit"
    for name, most, shown in (
        ("01-guide.pdf", 12, True),
        ("02-dagsorden-moedeleder.pdf", 2, True),
        ("03-dagsorden-deltagere.pdf", 2, True),
        ("04-arbejdsark.pdf", 30, True),
        ("07-slides-vaerktoej2.pdf", 20, True),
        ("07-slides-dialogkort.pdf", 45, False),  # a deck's slides show no kit names
    ):
        doc = inside(out / name, at_most=most)
        text = "".join(page.get_text() for page in doc).replace("\n", "")
        if shown and value.name == "one word":  # broken over lines, never cut short
            assert "x" * 200 in text, name
    for docx in ("01-guide.docx", "04-arbejdsark.docx", "invitation.docx"):
        with zipfile.ZipFile(io.BytesIO((out / docx).read_bytes())) as archive:
            assert archive.testzip() is None


# --- slides: the largest type that fits, never under 24 pt -----------------------------------


def test_a_card_too_long_for_a_slide_is_located(tmp_path: Path) -> None:
    card = "Hvad " + "gør vi nu " * 390
    lay_out(
        tmp_path,
        {
            "kit.yaml": KIT + "content: [egne]\ndecks: []\nslides: [egne]\n",
            "egne/egne.yaml": "kind: deck\nid: egne\ntitle: Egne\nshort_title: Egne\n"
            "source: {publication: egne, section: x}\n"
            "categories: [{id: a, name: A, colour: '#1D3B5A'}]\n"
            f"cards:\n  - {{id: k1, category: a, question: Kort}}\n"
            f"  - {{id: k2, category: a, question: '{card}'}}\n",
        },
    )
    lines = refused(tmp_path, "build", "kit.yaml", "-q")
    one_line(
        lines,
        "slides of egne: slide ",
        "the block that begins 'Hvad gør vi nu",
        "does not fit on a slide at 24 pt, the smallest type a slide has",
    )


def test_a_page_label_is_text_not_a_format(tmp_path: Path) -> None:
    front = '---\npage_label: "{page:>999999999} {pages.__class__} {0}"\n---\n# x\n'
    lay_out(tmp_path, {"kit.yaml": OVERRIDE, HANDOUT: front})
    run = kit(tmp_path, "build", "kit.yaml", "-o", "kit", "-q")
    assert run.code == 0, run.stderr
    doc = inside(tmp_path / BUILT, pages=1)
    assert "{page:>999999999} {pages.__class__} {0}" in doc[0].get_text()
