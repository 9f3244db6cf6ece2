"""The kit's font encoding shortcut and line breaking give what ReportLab itself would."""

from __future__ import annotations

import io
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase.pdfdoc import PDFDocument
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from fremfaerd_kit import fonts
from fremfaerd_kit.fonts import _KitFont
from fremfaerd_kit.pdftext import TextBlock
from fremfaerd_kit.resources import fonts_dir
from fremfaerd_kit.textfit import Run, wrap

from .pdfread import open_pdf

REGULAR = str(fonts_dir() / "DejaVuSansCondensed.ttf")

# Danish text, a no-break space, a character the font lacks, and over 256 distinct
# characters in all, so the encoding spills into a second subset.
TEXTS = [
    "Hvordan påvirker teknologien jeres hverdag?",
    "Hvordan påvirker teknologien jeres hverdag?",
    "Æble, øl og ål\u00a0– «citat» … 1½ → ☐",
    "",
    "\U0001f600 smil",
    "".join(chr(c) for c in range(0x100, 0x250)),
    "Hvordan påvirker teknologien jeres hverdag? Ĉ ȅ",
    "ASCII only",
]


def test_encoding_shortcut_gives_reportlabs_bytes_for_every_string() -> None:
    ours, theirs = _KitFont("A", REGULAR), TTFont("B", REGULAR)
    doc_ours, doc_theirs = PDFDocument(), PDFDocument()
    for text in TEXTS * 2:  # the second round takes the shortcut
        assert ours.splitString(text, doc_ours) == theirs.splitString(text, doc_theirs), text
    assert ours.state[doc_ours].assignments == theirs.state[doc_theirs].assignments


def test_two_documents_keep_their_own_codes() -> None:
    font = _KitFont("A", REGULAR)
    first, second = PDFDocument(), PDFDocument()
    font.splitString("øæå", first)
    assert font.splitString("åøæ", second) == TTFont("B", REGULAR).splitString("åøæ", PDFDocument())


words = st.text(alphabet="abcæøå ÆØÅ", min_size=0, max_size=60)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(words, st.sampled_from([fonts.REGULAR, fonts.BOLD])), max_size=4),
    st.floats(min_value=40, max_value=300),
)
def test_wrap_keeps_every_word_in_order_within_the_width(
    parts: list[tuple[str, str]], max_width: float
) -> None:
    fonts.register()
    runs = [Run(text, font) for text, font in parts]
    paragraph = wrap(runs, 9, max_width, 1.2)
    if paragraph is None:
        widest = max(fonts.width(w, r.font, 9) for r in runs for w in r.text.split())
        assert widest > max_width
        return
    drawn = [(w, s.font) for line in paragraph.lines for s in line for w in s.text.split()]
    expected = [(w, r.font) for r in runs for w in r.text.split()]
    # A word hyphenated at a line's end is drawn in pieces: read back, they are the word.
    whole: list[tuple[str, str]] = []
    head = ""
    for piece, font in drawn:
        target = expected[len(whole)][0]
        if piece.endswith("-") and target.startswith(head + piece[:-1]) and target != head + piece:
            head += piece[:-1]
            continue
        whole.append((head + piece, font))
        head = ""
    assert whole == expected
    for line in paragraph.lines:
        assert line[0].x == 0
        for before, after in pairwise(line):
            end = before.x + fonts.width(before.text, before.font, 9)
            assert after.x == pytest.approx(end + fonts.width(" ", after.font, 9))
        last = line[-1]
        assert last.x + fonts.width(last.text, last.font, 9) <= max_width + 1e-9


def test_text_block_puts_every_string_where_asked_across_font_subsets() -> None:
    fonts.register()
    many = "".join(chr(c) for c in range(0x100, 0x180))  # with Danish text: two subsets
    lines = ["Hvad betyder det for jeres hverdag?", many[:64], many[64:], "Æ Ø Å – “citat” ☐"]
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(600, 400), invariant=True)
    block = TextBlock(canvas)
    block.colour("#7A2E39")
    for i, line in enumerate(lines):
        block.put(40, 350 - 40 * i, fonts.BOLD if i % 2 else fonts.REGULAR, 11, line)
    block.draw()
    canvas.save()
    page = open_pdf(buffer.getvalue())[0]
    spans = [s for b in page.get_text("dict")["blocks"] for ln in b["lines"] for s in ln["spans"]]
    assert [s["text"] for s in spans] == lines
    assert all(s["color"] == 0x7A2E39 for s in spans)
    assert [round(s["origin"][1]) for s in spans] == [400 - (350 - 40 * i) for i in range(4)]
    assert all(round(s["origin"][0]) == 40 for s in spans)


def test_long_danish_compounds_break_at_their_hyphenation_points_before_text_shrinks() -> None:
    import pyphen

    from fremfaerd_kit.textfit import fit

    fonts.register()
    danish = pyphen.Pyphen(lang="da_DK", left=3, right=3)
    word = "velfærdsteknologiprojekterne"
    width = fonts.width(word, fonts.REGULAR, 10) * 0.6  # the word alone is too wide
    paragraph = wrap([Run(f"Om {word} i hverdagen", fonts.REGULAR)], 10, width, 1.2)
    assert paragraph is not None  # broken, not refused
    pieces = [s.text for line in paragraph.lines for s in line]
    head = next(p.split()[-1] for p in pieces if p.endswith("-"))
    assert head[:-1] in {word[:i] for i in danish.positions(word)}
    # At the card's size, not shrunk to the floor to make the word fit.
    fitted = fit([([Run(word, fonts.BOLD)], 12)], width, 200, floor=8, leading=1.2, gap=0)
    assert fitted is not None and fitted.paragraphs[0].size == 12
    # A word with a hyphen of its own is never broken again.
    assert wrap([Run("it-afdelingerne", fonts.REGULAR)], 10, 10, 1.2) is None
