"""What a print shop's preflight and a home duplex printer stumble on (issue 16)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pymupdf
import pytest

from fremfaerd_kit.cards import CardOptions, render_cards
from fremfaerd_kit.decks import Selection
from fremfaerd_kit.library import Library
from fremfaerd_kit.presets import MM, print_spec
from fremfaerd_kit.sheet import Rect

from .conftest import REPO, run_kit
from .cups import skip_or_fail
from .pdfread import filled_rects, line_segments, open_pdf


def unembedded_fonts(pdf: Path) -> list[str]:
    """Fonts a PDF names without embedding them, as Debian's `pdffonts` reports."""
    try:
        out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    except FileNotFoundError:
        skip_or_fail("no pdffonts (Debian: poppler-utils)")
        return []
    rows = out.stdout.splitlines()[2:]
    return [row.split()[0] for row in rows if row.split()[-5] != "yes"]


@pytest.mark.debian("poppler-utils")
def test_every_pdf_the_kit_writes_embeds_every_font_it_names(tmp_path: Path) -> None:
    kit = tmp_path / "kit"
    example = REPO / "examples/laeringsplatform-dagtilbud/kit.yaml"
    commands = [
        ("build", "-o", str(kit / "default")),
        ("build", str(example), "-o", str(kit / "example")),
        ("cards", "--layout", "shop", "-o", str(kit / "shop.pdf")),
        ("cards", "--backs", "fold", "-o", str(kit / "fold.pdf")),
        ("cards", "--calibrate", "-o", str(kit / "calibrate.pdf")),
        ("slides", "vaerktoej2", "-o", str(kit / "slides.pdf")),
        ("agenda", "vaerktoej2", "-o", str(kit / "agenda.pdf")),
        ("handout", "kompetencehjulet", "-o", str(kit / "handout.pdf")),
    ]
    kit.mkdir()
    for command in commands:
        result = run_kit(*command)
        assert result.returncode == 0, result.stderr
    pdfs = sorted(kit.rglob("*.pdf"))
    assert len(pdfs) >= 20
    assert {str(p.relative_to(kit)): unembedded_fonts(p) for p in pdfs} == {
        str(p.relative_to(kit)): [] for p in pdfs
    }


@pytest.mark.parametrize("bleed", [0, 3])
def test_crop_marks_stop_a_millimetre_short_of_every_neighbour(
    library: Library, bleed: float
) -> None:
    result = render_cards(library, ["dialogkort"], CardOptions(bleed=bleed))
    sheet = result.sheets[0]
    clearance = float(print_spec().sheet["mark_clearance"]) * MM
    marks = [m for m in line_segments(open_pdf(result.pdf)[0]) if abs(m[2] - m[0]) < 10 * MM
             and abs(m[3] - m[1]) < 10 * MM]  # fmt: skip
    assert len(marks) >= 4 * len(sheet.cells)  # outer corners keep both marks
    reach = sheet.bleed + float(print_spec().sheet["mark_offset"]) * MM

    def corner_near(cell: Rect, x: float, y: float) -> bool:
        corners = (
            (cell.x, cell.y),
            (cell.right, cell.y),
            (cell.x, cell.top),
            (cell.right, cell.top),
        )
        return any(abs(x - cx) + abs(y - cy) <= reach + 0.01 for cx, cy in corners)

    owned = 0
    for x1, y1, x2, y2 in marks:
        owners = [c for c in sheet.cells if corner_near(c, x1, y1) or corner_near(c, x2, y2)]
        if not owners:
            continue  # the scale bar and its ticks
        assert len(owners) == 1  # a mark starts at one card's corner
        owned += 1
        for cell in sheet.cells:
            if cell is owners[0]:
                continue
            zone = cell.grow(sheet.bleed + clearance - 0.01)
            # No point of a mark lies within a card's bleed plus the clearance.
            for t in (0.0, 0.25, 0.5, 0.75, 1.0):
                x, y = x1 + t * (x2 - x1), y1 + t * (y2 - y1)
                inside = zone.x < x < zone.right and zone.y < y < zone.top
                assert not inside, (x / MM, y / MM, cell)
    assert owned == len(sheet.marks)


def test_duplex_backs_run_their_colour_into_the_gutter(library: Library) -> None:
    result = render_cards(library, ["dialogkort"], CardOptions())
    sheet = result.sheets[0]
    back_page = open_pdf(result.pdf)[1]
    rects = filled_rects(back_page)
    reach = float(print_spec().sheet["back_bleed"]) * MM
    spots = [sheet.back_of(cell, "long") for cell in sheet.cells]
    colours = []
    for spot in spots:
        # The largest filled rectangle around this back is its colour, past the trim.
        around = [
            (r, c) for r, c in rects
            if r.x <= spot.x + 0.01 and r.right >= spot.right - 0.01
            and r.y <= spot.y + 0.01 and r.top >= spot.top - 0.01
            and r.w < spot.w + 4 * reach
        ]  # fmt: skip
        rect, _ = max(around, key=lambda rc: rc[0].w * rc[0].h)
        colours.append(rect)
        for side, past in (
            ("left", spot.x - rect.x), ("right", rect.right - spot.right),
            ("bottom", spot.y - rect.y), ("top", rect.top - spot.top),
        ):  # fmt: skip
            neighbour_gap = _gap(spot, spots, side)
            wanted = min(reach, neighbour_gap / 2)
            assert past == pytest.approx(wanted, abs=0.01), (side, past / MM, wanted / MM)
            assert past >= 1.5 * MM - 0.01
    # No back's colour reaches over another's.
    for a, b in ((a, b) for i, a in enumerate(colours) for b in colours[i + 1 :]):
        overlap_w = min(a.right, b.right) - max(a.x, b.x)
        overlap_h = min(a.top, b.top) - max(a.y, b.y)
        assert overlap_w <= 0.01 or overlap_h <= 0.01


def _gap(spot: Rect, spots: list[Rect], side: str) -> float:
    gaps = [float("inf")]
    for n in spots:
        if n is spot:
            continue
        beside = n.y < spot.top and spot.y < n.top
        stacked = n.x < spot.right and spot.x < n.right
        if side == "left" and beside and n.right <= spot.x:
            gaps.append(spot.x - n.right)
        if side == "right" and beside and n.x >= spot.right:
            gaps.append(n.x - spot.right)
        if side == "bottom" and stacked and n.top <= spot.y:
            gaps.append(spot.y - n.top)
        if side == "top" and stacked and n.y >= spot.top:
            gaps.append(n.y - spot.top)
    return min(gaps)


def test_shop_layout_gets_3_mm_bleed_unless_told(tmp_path: Path) -> None:
    out = tmp_path / "shop.pdf"
    result = run_kit("cards", "--layout", "shop", "--only", "vaerdi", "-o", str(out))
    assert result.returncode == 0, result.stderr
    for page in pymupdf.open(out):
        assert page.trimbox.x0 == pytest.approx(3 * MM, abs=0.01)
        assert page.rect.width - page.trimbox.x1 == pytest.approx(3 * MM, abs=0.01)
        assert page.bleedbox == page.mediabox
    result = run_kit("cards", "--layout", "shop", "--bleed", "0", "--only", "vaerdi",
                     "-o", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert pymupdf.open(out)[0].trimbox == pymupdf.open(out)[0].mediabox


def test_calibration_sheet_is_legible_and_says_which_cross_to_read(tmp_path: Path) -> None:
    out = tmp_path / "cal.pdf"
    result = run_kit("cards", "--calibrate", "-o", str(out))
    assert result.returncode == 0, result.stderr
    for page in pymupdf.open(out):
        spans = [
            (pymupdf.Rect(s["bbox"]), s["text"], s["size"])
            for block in page.get_text("dict")["blocks"]
            for line in block.get("lines", [])
            for s in line["spans"]
            if s["text"].strip()
        ]
        assert min(size for _, _, size in spans) >= 6
        for i, (a, text_a, _) in enumerate(spans):
            for b, text_b, _ in spans[i + 1 :]:
                assert not a.intersects(b), (text_a, text_b)
    back = " ".join(pymupdf.open(out)[1].get_text().split())
    assert "Aflæs ved krydset i midten." in back


# --- a version on every card -------------------------------------------------------------

OWN_SOURCES = """kind: sources
sources:
  - id: egen-udgivelse
    title: Vores egne spørgsmål
    publisher: Eksempel Kommune
    url: https://example.org/kort?udgave=2
"""
OWN_DECK = """kind: deck
id: egne
title: Egne spørgsmål
short_title: Egne
source:
  publication: egen-udgivelse
  section: Hele sættet
categories:
  - id: hverdag
    name: Hverdag
    colour: "#1D3B5A"
cards:
  - id: k1
    category: hverdag
    question: {question}
"""


def own_content(folder: Path, question: str = "Hvad fylder mest i jeres hverdag?") -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "sources.yaml").write_text(OWN_SOURCES, encoding="utf-8")
    (folder / "egne.yaml").write_text(OWN_DECK.format(question=question), encoding="utf-8")
    return folder


def stamps(pdf: Path) -> list[str]:
    back = pymupdf.open(pdf)[1]
    return [
        " ".join(line.split())
        for line in back.get_text().splitlines()
        if line.startswith("egne ·") or line.startswith("dialogkort ·")
    ]


def test_every_back_carries_the_deck_and_its_content_version(tmp_path: Path) -> None:
    from fremfaerd_kit.cards import deck_version
    from fremfaerd_kit.library import load_library

    content = own_content(tmp_path / "egne")
    out = tmp_path / "a.pdf"
    assert run_kit("--content", str(content), "cards", "egne", "-o", str(out)).returncode == 0
    version = deck_version(load_library([content]).deck("egne"))
    assert stamps(out) == [f"egne · {version}"]
    # The same deck with one word changed is another version.
    own_content(content, "Hvad fylder mindst i jeres hverdag?")
    assert run_kit("--content", str(content), "cards", "egne", "-o", str(out)).returncode == 0
    (changed,) = stamps(out)
    assert changed.startswith("egne · ") and changed != f"egne · {version}"
    # The built-in deck: one stamp per back on the sheet.
    result = run_kit("cards", "-o", str(out))
    assert result.returncode == 0
    assert len(set(stamps(out))) == 1 and len(stamps(out)) == 9


@pytest.mark.debian("zbar-tools", "poppler-utils")
def test_qr_code_on_the_back_decodes_to_the_publications_address(tmp_path: Path) -> None:
    import shutil

    if shutil.which("zbarimg") is None or shutil.which("pdftoppm") is None:
        skip_or_fail("no zbarimg or pdftoppm (Debian: zbar-tools, poppler-utils)")
    content = own_content(tmp_path / "egne")
    out = tmp_path / "qr.pdf"
    result = run_kit("--content", str(content), "cards", "egne", "--qr", "-o", str(out))
    assert result.returncode == 0, result.stderr
    subprocess.run(["pdftoppm", "-png", "-r", "300", "-f", "2", "-l", "2", "-singlefile",
                    str(out), str(tmp_path / "back")], check=True)  # fmt: skip
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(tmp_path / "back.png")],
                             capture_output=True, text=True)  # fmt: skip
    assert decoded.stdout.split() == ["https://example.org/kort?udgave=2"]


def test_qr_without_an_address_in_the_content_is_a_located_error(tmp_path: Path) -> None:
    out = tmp_path / "qr.pdf"
    result = run_kit("cards", "--qr", "-o", str(out))
    assert result.returncode == 2
    assert "dialogkort.yaml:" in result.stderr and "--qr needs an address" in result.stderr
    assert not out.exists()


# --- PDF/X-1a for the print shop ------------------------------------------------------------


def test_shop_layout_passes_the_pdfx_1a_preflight(tmp_path: Path) -> None:
    from .preflight import preflight

    out = tmp_path / "shop.pdf"
    result = run_kit("cards", "--layout", "shop", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert preflight(out) == []
    # The same cards give the same bytes (document ID included).
    again = tmp_path / "again.pdf"
    assert run_kit("cards", "--layout", "shop", "-o", str(again)).returncode == 0
    assert again.read_bytes() == out.read_bytes()


def test_the_preflight_finds_what_a_sheet_for_an_office_printer_lacks(tmp_path: Path) -> None:
    from .preflight import preflight

    out = tmp_path / "sheet.pdf"
    assert run_kit("cards", "-o", str(out)).returncode == 0
    problems = preflight(out)
    assert "Info GTS_PDFXVersion is not PDF/X-1:2003" in problems
    assert "0 GTS_PDFX output intents, not 1" in problems
    assert any(p.startswith("page 1: RGB colour") for p in problems)
    assert "page 1 has no TrimBox" in problems


def test_shop_text_is_black_ink_only_and_colours_are_cmyk(library: Library) -> None:
    import pikepdf

    result = render_cards(
        library, ["dialogkort"], CardOptions(layout="shop", selection=Selection(only=("vaerdi",)))
    )
    with pikepdf.open(io.BytesIO(result.pdf)) as doc:
        fills = [
            tuple(float(v) for v in operands)
            for operands, operator in pikepdf.parse_content_stream(doc.pages[-2])
            if str(operator) == "k"
        ]
    assert (0.0, 0.0, 0.0, 1.0) in fills  # the question, in pure black
    assert all(len(f) == 4 and all(0 <= v <= 1 for v in f) for f in fills)
    assert all(sum(f) <= 3.3 for f in fills)  # within FOGRA39's total ink limit


def _grey(renderer: str, pdf: Path, page: int, folder: Path):
    from PIL import Image

    out = folder / f"{renderer}-{pdf.stem}-{page}.png"
    if renderer == "gs":
        command = [
            "gs",
            "-q",
            "-dNOPAUSE",
            "-dBATCH",
            "-sDEVICE=pnggray",
            "-r50",
            f"-dFirstPage={page}",
            f"-dLastPage={page}",
            f"-sOutputFile={out}",
            str(pdf),
        ]
    else:
        command = ["pdftoppm", "-png", "-gray", "-r", "50", "-f", str(page), "-l", str(page),
                   "-singlefile", str(pdf), str(out.with_suffix(""))]  # fmt: skip
    try:
        subprocess.run(command, check=True, capture_output=True)
    except FileNotFoundError:
        skip_or_fail(f"no {command[0]} (Debian: ghostscript, poppler-utils)")
    return Image.open(out).convert("L")


def _correlation(a, b) -> float:
    x, y = a.tobytes(), b.tobytes()
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((i - mx) * (j - my) for i, j in zip(x, y, strict=True))
    sx = sum((i - mx) ** 2 for i in x) ** 0.5
    sy = sum((j - my) ** 2 for j in y) ** 0.5
    return sxy / (sx * sy) if sx and sy else float(x == y)


@pytest.mark.debian("ghostscript", "poppler-utils")
def test_the_shop_pdf_opens_in_ghostscript_and_poppler_and_looks_like_the_rgb_one(
    library: Library, tmp_path: Path
) -> None:
    options = {"layout": "shop", "selection": Selection(only=("vaerdi", "droemmer"))}
    rgb, cmyk = tmp_path / "rgb.pdf", tmp_path / "cmyk.pdf"
    rgb.write_bytes(render_cards(library, ["dialogkort"], CardOptions(pdfx=False, **options)).pdf)
    cmyk.write_bytes(render_cards(library, ["dialogkort"], CardOptions(**options)).pdf)
    for renderer in ("gs", "poppler"):
        for page in range(1, 5):
            a, b = _grey(renderer, rgb, page, tmp_path), _grey(renderer, cmyk, page, tmp_path)
            assert a.size == b.size
            assert _correlation(a, b) > 0.98, (renderer, page)


def test_without_backs_the_fronts_carry_the_version(library: Library, tmp_path: Path) -> None:
    from fremfaerd_kit.cards import deck_version

    out = tmp_path / "uden.pdf"
    assert run_kit("cards", "--no-backs", "-o", str(out)).returncode == 0
    version = deck_version(library.deck("dialogkort"))
    pages = pymupdf.open(out)
    numbers = [  # the footer's credit may share the version's line, or stand on its own
        line[line.index(version) :]
        for page in pages
        for line in page.get_text().splitlines()
        if version in line
    ]
    assert len(numbers) == 35 + 6 + 2  # every face: cards, instruction and warm-up cards
    assert f"{version} · 35" in numbers
