"""Card sheets read back from the PDF: words on their own card, inside the safe area, marks
outside every face, each back exactly behind its front."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from fremfaerd_kit.cards import CardOptions, Face, category_label, deck_version, render_cards
from fremfaerd_kit.colours import MIN_CONTRAST, contrast, lightness, text_on
from fremfaerd_kit.decks import Selection
from fremfaerd_kit.errors import ContentError, InputError
from fremfaerd_kit.library import Library, load_library
from fremfaerd_kit.presets import MM, print_spec
from fremfaerd_kit.sheet import Rect, Sheet

from .conftest import run_kit
from .pdfread import close, filled_rects, glyph_boxes, line_segments, open_pdf, words_in

SAFE = float(print_spec().card["safe_inset"]) * MM


CONTENT_ONLY = {"selection": Selection(instructions=False, warmup=False)}
"""The deck's own cards, without the instruction and warm-up cards the kit adds."""


def content_only(**chosen: object) -> Selection:
    return Selection(instructions=False, warmup=False, **chosen)  # type: ignore[arg-type]


def expected_front_words(face: Face) -> list[str]:
    deck, card = face.placed.deck, face.placed.card
    text = f"{category_label(deck.category(card.category))} {card.question}"
    if card.example:
        text += f" {card.example_label}: {card.example}"
    return [*text.split(), *face.footer.split(), str(face.placed.number)]


def expected_back_words(face: Face) -> list[str]:
    """The deck's title, the category, then the stamp at the foot: deck id and version."""
    category = face.category
    label = category.heading or category_label(category)
    deck = face.placed.deck
    return [*deck.title.split(), *label.split(), deck.id, "·", deck_version(deck)]


def sheets_of(result, per: int):
    for index, start in enumerate(range(0, len(result.faces), per)):
        yield index, result.faces[start : start + per]


def find_rect(rects: list[tuple[Rect, str]], target: Rect) -> str | None:
    for rect, colour in rects:
        if all(
            close(a, b)
            for a, b in (
                (rect.x, target.x),
                (rect.y, target.y),
                (rect.w, target.w),
                (rect.h, target.h),
            )
        ):
            return colour
    return None


def crosses_interior(segment: tuple[float, float, float, float], rect: Rect) -> bool:
    x1, y1, x2, y2 = segment
    left, right = min(x1, x2), max(x1, x2)
    bottom, top = min(y1, y2), max(y1, y2)
    eps = 0.01
    return (
        left < rect.right - eps
        and right > rect.x + eps
        and bottom < rect.top - eps
        and top > rect.y + eps
    )


def behind(cell: Rect, sheet: Sheet, duplex: str) -> Rect:
    """Where a back must print so that turning the sheet puts it behind `cell`.

    Turning a page over its vertical edge swaps left and right; over its horizontal edge,
    top and bottom. The long edge of a portrait page is vertical; of a landscape page,
    horizontal.
    """
    portrait = sheet.height >= sheet.width
    turn_over_vertical_edge = (duplex == "long") == portrait
    if turn_over_vertical_edge:
        return Rect(sheet.width - cell.x - cell.w, cell.y, cell.w, cell.h)
    return Rect(cell.x, sheet.height - cell.y - cell.h, cell.w, cell.h)


def check_fronts_and_backs(result, duplex: str, bleed: float = 0.0) -> None:
    doc = open_pdf(result.pdf)
    sheet: Sheet = result.sheets[0]
    per = len(sheet.cells)
    for index, chunk in sheets_of(result, per):
        front, back = doc[2 * index], doc[2 * index + 1]
        cells = sheet.cells[: len(chunk)]
        for cell, placed in zip(cells, chunk, strict=True):
            assert words_in(front, cell) == expected_front_words(placed)
        for char, box in glyph_boxes(front):
            holder = [c for c in cells if c.contains(box.x + box.w / 2, box.y + box.h / 2)]
            if holder:
                safe = holder[0].grow(-SAFE)
                assert safe.contains(box.x, box.y) and safe.contains(box.right, box.top), char
            else:  # the scale bar's label, under every card
                assert box.top < min(c.y for c in cells) - bleed, char
        marks = [m for m in line_segments(front) if m[1] > sheet.scale_bar[1] + 2 * MM]
        assert len(marks) == 8 * len(chunk)
        for mark in marks:
            for cell in cells:
                assert not crosses_interior(mark, cell.grow(bleed))
        rects = filled_rects(back)
        for cell, placed in zip(cells, chunk, strict=True):
            target = behind(cell, sheet, duplex)
            colour = find_rect(rects, target.grow(bleed))
            assert colour == placed.category.colour.upper()
            assert words_in(back, target) == expected_back_words(placed)


@pytest.mark.parametrize("duplex", ["long", "short"])
@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("size", ["a7", "poker", "a6"])
@pytest.mark.parametrize("deck", ["dialogkort", "fem-spoergsmaal", "forankring"])
def test_every_card_in_its_place_with_its_back_behind_it(
    library: Library, deck: str, size: str, paper: str, duplex: str
):
    options = CardOptions(paper=paper, size=size, duplex=duplex, **CONTENT_ONLY)
    result = render_cards(library, [deck], options)
    assert len(result.cards) == len(library.deck(deck).cards)
    assert result.pages == 2 * -(-len(result.cards) // result.per_sheet)
    check_fronts_and_backs(result, duplex)


def test_long_edge_mirrors_left_right_on_portrait_sheets(library: Library):
    result = render_cards(library, ["dialogkort"], CardOptions())
    sheet = result.sheets[0]
    assert not sheet.landscape
    first = sheet.cells[0]
    back = sheet.back_of(first, "long")
    assert close(back.x, sheet.width - first.right) and close(back.y, first.y)
    back = sheet.back_of(first, "short")
    assert close(back.x, first.x) and close(back.y, sheet.height - first.top)


def test_bleed_runs_colour_past_the_cut_line_and_marks_stay_outside_it(library: Library):
    bleed = 3 * MM
    result = render_cards(library, ["fem-spoergsmaal"], CardOptions(bleed=3, **CONTENT_ONLY))
    check_fronts_and_backs(result, "long", bleed)
    front = open_pdf(result.pdf)[0]
    cell = result.sheets[0].cells[0]
    band = float(print_spec().card["band"]) * MM
    colour = find_rect(
        filled_rects(front), Rect(cell.x - bleed, cell.top - band, cell.w + 2 * bleed, band + bleed)
    )
    assert colour == library.deck("fem-spoergsmaal").categories[0].colour.upper()


def test_crop_marks_sit_at_every_corner_on_the_cut_lines(library: Library):
    result = render_cards(library, ["dialogkort"], CardOptions())
    sheet = result.sheets[0]
    marks = line_segments(open_pdf(result.pdf)[0])
    offset = float(print_spec().sheet["mark_offset"]) * MM
    for cell in sheet.cells:
        for x, y in (
            (cell.x, cell.y),
            (cell.right, cell.y),
            (cell.x, cell.top),
            (cell.right, cell.top),
        ):
            touching = [
                m
                for m in marks
                if (close(m[0], x) and close(m[2], x)) or (close(m[1], y) and close(m[3], y))
            ]
            starts = [
                m
                for m in touching
                if min(abs(m[0] - x) + abs(m[1] - y), abs(m[2] - x) + abs(m[3] - y))
                == pytest.approx(offset, abs=0.05)
            ]
            assert len(starts) >= 2


def test_every_sheet_has_a_50_mm_scale_bar_outside_the_cards(library: Library):
    result = render_cards(library, ["dialogkort"], CardOptions(paper="letter"))
    page = open_pdf(result.pdf)[0]
    sheet = result.sheets[0]
    horizontal = [m for m in line_segments(page) if close(m[1], m[3]) and m[1] < sheet.cells[-1].y]
    lengths = [abs(m[2] - m[0]) for m in horizontal]
    assert max(lengths) == pytest.approx(50 * MM, abs=0.01)


def test_shop_layout_is_one_face_per_page_with_trim_and_bleed_boxes(library: Library):
    result = render_cards(
        library,
        ["dialogkort"],
        CardOptions(layout="shop", bleed=3, selection=content_only(only=("vaerdi", "droemmer"))),
    )
    doc = open_pdf(result.pdf)
    assert doc.page_count == 4
    width, height = (63 + 6) * MM, (88 + 6) * MM
    for page in doc:
        assert close(page.rect.width, width) and close(page.rect.height, height)
        assert close(page.trimbox.x0, 3 * MM) and close(page.trimbox.x1, width - 3 * MM)
        assert close(page.bleedbox.x1, width) and close(page.bleedbox.y1, height)
    assert "værdi" in doc[0].get_text()
    assert "Kort til dialog og fælles refleksion" in " ".join(doc[1].get_text().split())
    assert "drømmer" in doc[2].get_text()


def test_fold_layout_puts_each_back_across_the_fold_from_its_front(library: Library):
    result = render_cards(library, ["dialogkort"], CardOptions(backs="fold", **CONTENT_ONLY))
    sheet = result.sheets[0]
    assert sheet.fold_x is not None
    page = open_pdf(result.pdf)[0]
    rects = filled_rects(page)
    for cell, placed in zip(sheet.cells, result.faces, strict=False):
        assert cell.right < sheet.fold_x
        across = Rect(2 * sheet.fold_x - cell.x - cell.w, cell.y, cell.w, cell.h)
        assert across.x > sheet.fold_x
        assert find_rect(rects, across) == placed.category.colour
        assert words_in(page, cell)[-1] == placed.number
    assert any(close(m[0], sheet.fold_x) and close(m[2], sheet.fold_x) for m in line_segments(page))
    assert result.pages == -(-35 // len(sheet.cells))
    # The fold line's label is there, and dark enough to read on white paper.
    spans = [s for b in page.get_text("dict")["blocks"] for ln in b.get("lines", [])
             for s in ln["spans"] if s["text"] == "Fold her"]  # fmt: skip
    assert len(spans) == 1
    assert lightness(f"#{spans[0]['color']:06X}") < 60


def test_back_offset_moves_the_backs_as_seen_from_the_front(library: Library):
    plain = render_cards(library, ["dialogkort"], CardOptions(**CONTENT_ONLY))
    moved = render_cards(
        library, ["dialogkort"], CardOptions(back_offset=(1.5, -1.0), **CONTENT_ONLY)
    )
    cell = plain.sheets[0].cells[0]
    at_zero = behind(cell, plain.sheets[0], "long")
    colour = library.deck("dialogkort").categories[0].colour
    expected = Rect(at_zero.x - 1.5 * MM, at_zero.y - 1.0 * MM, cell.w, cell.h)
    assert find_rect(filled_rects(open_pdf(moved.pdf)[1]), expected) == colour


def test_category_and_only_filters(library: Library):
    result = render_cards(
        library, ["dialogkort"], CardOptions(selection=content_only(categories=("formidling",)))
    )
    assert {p.card.category for p in result.cards} == {"formidling"}
    assert len(result.cards) == 9
    result = render_cards(
        library, ["dialogkort"], CardOptions(selection=content_only(only=("droemmer", "vaerdi")))
    )
    assert [p.number for p in result.cards] == [4, 35]


def test_shuffle_with_a_seed_gives_the_same_order_every_time(library: Library):
    def order(seed: int) -> list[int]:
        options = CardOptions(selection=content_only(shuffle=True, seed=seed), backs="none")
        result = render_cards(library, ["dialogkort"], options)
        page = open_pdf(result.pdf)[0]
        numbers = [words_in(page, cell)[-1] for cell in result.sheets[0].cells]
        assert numbers == [str(p.number) for p in result.cards[: len(numbers)]]
        return [p.number for p in result.cards]

    first = order(7)
    assert first == order(7)
    assert first != list(range(1, 36))
    assert sorted(first) == list(range(1, 36))
    assert first != order(8)


def test_several_decks_at_once_each_start_a_new_sheet(library: Library):
    result = render_cards(library, ["fem-spoergsmaal", "dialogkort"], CardOptions(**CONTENT_ONLY))
    assert len(result.cards) == 55
    doc = open_pdf(result.pdf)
    assert result.pages == 2 * (3 + 4)
    assert "Fem spørgsmål" in doc[4].get_text()
    assert "Digitalt kompetente kommuner" in doc[6].get_text()  # the second deck's credit


def test_category_colours_are_readable_and_apart_in_greyscale(library: Library):
    for deck in library.decks.values():
        levels = sorted(lightness(c.colour) for c in deck.categories)
        assert all(b - a >= 6 for a, b in itertools.pairwise(levels)), deck.id
        for category in deck.categories:
            assert contrast(text_on(category.colour), category.colour) >= MIN_CONTRAST


DECK = """\
kind: deck
id: lange
title: Lange kort
short_title: Lange
source: {publication: dialogkort, section: Test}
categories:
  - {id: a, name: A, colour: "COLOUR"}
cards:
  - id: kort-en
    category: a
    question: QUESTION
"""


def own_deck(tmp_path: Path, question: str, colour: str = "#1D3B5A") -> Library:
    path = tmp_path / "lange.yaml"
    path.write_text(DECK.replace("QUESTION", question).replace("COLOUR", colour), "utf-8")
    return load_library([path])


def test_text_that_does_not_fit_even_at_8_pt_names_the_file_and_card(tmp_path: Path):
    library = own_deck(tmp_path, " ".join(["Hvordan arbejder vi sammen om det?"] * 30))
    with pytest.raises(ContentError) as caught:
        render_cards(library, ["lange"], CardOptions(size="a7"))
    assert str(caught.value) == (
        f"{tmp_path / 'lange.yaml'}:9:5: cards[0]: card `kort-en` does not fit a 74×105 mm "
        "card even at 8 pt: shorten its text or choose a larger --size"
    )


def test_long_text_shrinks_but_never_below_8_pt(tmp_path: Path):
    library = own_deck(tmp_path, " ".join(["Hvordan arbejder vi sammen om det?"] * 7))
    result = render_cards(library, ["lange"], CardOptions(size="poker", backs="none"))
    page = open_pdf(result.pdf)[0]
    sizes = {
        round(span["size"], 2)
        for block in page.get_text("dict")["blocks"]
        for line in block.get("lines", [])
        for span in line["spans"]
        if "arbejder" in span["text"]
    }
    assert sizes and min(sizes) >= 8 and max(sizes) < 12.5


def test_characters_the_font_cannot_draw_are_listed(tmp_path: Path):
    with pytest.raises(ContentError) as caught:  # as the deck is read, before any card
        own_deck(tmp_path, "Hvad betyder 漢字 for os?")
    assert "the font cannot draw '漢' (U+6F22), '字' (U+5B57)" in str(caught.value)
    assert str(caught.value).startswith(f"{tmp_path / 'lange.yaml'}:11:5: cards[0].question")


def test_a_colour_without_enough_contrast_is_refused(tmp_path: Path):
    library = own_deck(tmp_path, "Hvad nu?", colour="#777777")
    with pytest.raises(ContentError) as caught:
        render_cards(library, ["lange"], CardOptions())
    assert str(caught.value) == (
        f"{tmp_path / 'lange.yaml'}:7:22: categories[0].colour: category `a`: text on #777777 "
        "has contrast 4.48:1, below 4.5:1; choose a darker or lighter colour"
    )


def test_unknown_deck_category_and_card_say_what_is_known(library: Library):
    with pytest.raises(InputError, match="unknown deck `dialogkrt`; did you mean `dialogkort`"):
        render_cards(library, ["dialogkrt"], CardOptions())
    with pytest.raises(InputError, match="--category: unknown category `formidlng`"):
        render_cards(
            library, ["dialogkort"], CardOptions(selection=Selection(categories=("formidlng",)))
        )
    with pytest.raises(InputError, match="--only: unknown card `droemer`; did you mean"):
        render_cards(library, ["dialogkort"], CardOptions(selection=Selection(only=("droemer",))))
    with pytest.raises(InputError, match="--size: `9x9cm` is neither a preset"):
        render_cards(library, ["dialogkort"], CardOptions(size="9x9cm"))


def test_custom_size_in_mm(library: Library):
    result = render_cards(library, ["fem-spoergsmaal"], CardOptions(size="70x100", **CONTENT_ONLY))
    cell = result.sheets[0].cells[0]
    assert close(cell.w, 70 * MM) and close(cell.h, 100 * MM)
    check_fronts_and_backs(result, "long")


def test_cli_writes_the_pdf_and_says_what_it_made(tmp_path: Path):
    result = run_kit("cards", "-o", "kort.pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "wrote kort.pdf: 35 cards, 6 instruction cards, 2 warm-up cards, 9 per sheet, 10 pages, "
        "backs for duplex on the long edge\n"
    )
    assert open_pdf((tmp_path / "kort.pdf").read_bytes()).page_count == 10


def test_cli_failure_keeps_the_earlier_pdf_and_leaves_no_temporary_file(tmp_path: Path):
    (tmp_path / "kort.pdf").write_bytes(b"earlier")
    (tmp_path / "lange.yaml").write_text(
        DECK.replace("QUESTION", "Hvorfor? " * 400).replace("COLOUR", "#1D3B5A"), "utf-8"
    )
    result = run_kit("--content", "lange.yaml", "cards", "lange", "-o", "kort.pdf", cwd=tmp_path)
    assert result.returncode == 2
    assert "does not fit" in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "kort.pdf").read_bytes() == b"earlier"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kort.pdf", "lange.yaml"]


def test_cli_output_path_that_is_a_folder(tmp_path: Path):
    result = run_kit("cards", "-o", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr == (
        f"kit: error: {tmp_path}: is a folder; give a file name such as {tmp_path / 'kort.pdf'}\n"
    )


def test_calibration_sheet_scales_sit_where_the_fronts_crosses_land(tmp_path: Path):
    result = run_kit("cards", "--calibrate", "-o", "cal.pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    doc = open_pdf((tmp_path / "cal.pdf").read_bytes())
    assert doc.page_count == 2
    width, height = doc[0].rect.width, doc[0].rect.height
    front = line_segments(doc[0])
    centre = (width / 2, height / 2)
    assert any(close(m[0], centre[0]) and close(m[2], centre[0]) for m in front)
    back = line_segments(doc[1])
    # the X scale's zero tick, 8 mm above the centre, lands mirrored left-right
    zero = [
        m
        for m in back
        if close(m[0], width - centre[0])
        and close(m[2], width - centre[0])
        and close(min(m[1], m[3]), centre[1] + 8 * MM)
    ]
    assert zero


# --- the cards the kit adds: instructions, warm-up, credit ---------------------------------


def words_of_faces(result, kind: str) -> list[list[str]]:
    """The words inside each front of `kind` (a category id), band, footer and number off."""
    doc = open_pdf(result.pdf)
    sheet = result.sheets[0]
    found = []
    for index, chunk in sheets_of(result, len(sheet.cells)):
        page = doc[2 * index]
        for cell, face in zip(sheet.cells, chunk, strict=False):
            if face.category.id == kind:
                words = words_in(page, cell)
                band = category_label(face.category).split()
                tail = [*face.footer.split(), face.number]
                assert words[: len(band)] == band and words[-len(tail) :] == tail
                found.append(words[len(band) : -len(tail)])
    return found


CREDIT = (
    "Kilde: Digitalt kompetente kommuner, Kort til dialog og fælles refleksion – Medarbejderen."
)


def test_the_guidance_travels_with_the_deck_as_instruction_cards(library: Library):
    from fremfaerd_kit.cards import INSTRUCTION

    deck = library.deck("dialogkort")
    result = render_cards(library, ["dialogkort"], CardOptions())
    kinds = [face.category.id for face in result.faces]
    count = kinds.count(INSTRUCTION)
    assert count >= 2 and kinds[:count] == [INSTRUCTION] * count  # first, together
    assert [f.number for f in result.faces[:count]] == [f"{i}/{count}" for i in range(1, count + 1)]
    guide = deck.guidance
    assert guide is not None and deck.intro is not None
    steps = [word for i, step in enumerate(guide.steps, 1) for word in f"{i}. {step}".split()]
    expected = [
        *guide.title.split(), *deck.intro.split(),
        *(w for p in guide.paragraphs for w in p.split()),
        *(guide.steps_title or "").split(), *steps,
        *(w for n in guide.notes for w in n.split()),
        *f"Note fra fremfaerd-kit: {deck.arranged_by_kit}".split(),
        *CREDIT.split(),
    ]  # fmt: skip
    printed = [w for words in words_of_faces(result, INSTRUCTION) for w in words]
    assert printed == expected
    check_fronts_and_backs_of_all(result)


def test_warm_up_topics_are_cards_marked_as_warm_up(library: Library):
    from fremfaerd_kit.cards import WARMUP

    deck = library.deck("dialogkort")
    result = render_cards(library, ["dialogkort"], CardOptions())
    faces = words_of_faces(result, WARMUP)
    assert len(faces) == len(deck.warmup) == 2
    lead = (deck.warmup_lead or "").split()
    for words, topic in zip(faces, deck.warmup, strict=True):
        assert words == [*lead, *(topic[0].upper() + topic[1:]).split()]
    assert [f.category.name for f in result.faces if f.category.id == WARMUP] == ["Opvarmning"] * 2


def test_every_card_carries_its_decks_credit(library: Library):
    for deck_id, credit in (
        ("dialogkort", "Digitalt kompetente kommuner"),
        ("fem-spoergsmaal", "Fremfærd"),
        ("forankring", "Forandring kræver forankring (slides)"),
    ):
        result = render_cards(library, [deck_id], CardOptions())
        assert all(credit in face.footer for face in result.faces), deck_id
        text = " ".join(page.get_text() for page in open_pdf(result.pdf))
        assert " ".join(text.split()).count(credit) >= len(result.faces)


def test_the_four_five_questions_headings_are_on_the_backs(library: Library):
    result = render_cards(library, ["fem-spoergsmaal"], CardOptions(**CONTENT_ONLY))
    backs = " ".join(" ".join(open_pdf(result.pdf)[i].get_text().split()) for i in (1, 3, 5))
    for heading in ("kerneopgave", "opgaveløsning", "kompetenceudvikling", "inddragelse"):
        assert f"Fem spørgsmål om teknologi og {heading}" in backs


def test_instructions_and_warm_up_are_easy_to_leave_out(library: Library, tmp_path: Path):
    result = render_cards(
        library, ["dialogkort"], CardOptions(selection=Selection(instructions=False))
    )
    assert len(result.faces) == 35 + 2
    cli = run_kit("cards", "--no-instructions", "--no-warmup", "-o", "k.pdf", cwd=tmp_path)
    assert cli.returncode == 0, cli.stderr
    assert cli.stdout.startswith("wrote k.pdf: 35 cards, 9 per sheet, 8 pages")
    (tmp_path / "kit.yaml").write_text(
        "kind: kit\ndecks: [{id: dialogkort, warmup: false}]\n", encoding="utf-8"
    )
    built = run_kit("build", "kit.yaml", "-o", "ud", "-q", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    text = " ".join(
        p.get_text() for p in open_pdf((tmp_path / "ud/05-kort-dialogkort.pdf").read_bytes())
    )
    assert "Vejledning til kortene" in text and "Opvarmning" not in text


def check_fronts_and_backs_of_all(result) -> None:
    """Every glyph of every front inside its card's safe area; every back behind its front
    in its category's colour (instruction and warm-up cards included)."""
    doc = open_pdf(result.pdf)
    sheet = result.sheets[0]
    for index, chunk in sheets_of(result, len(sheet.cells)):
        front, back = doc[2 * index], doc[2 * index + 1]
        cells = sheet.cells[: len(chunk)]
        for char, box in glyph_boxes(front):
            holder = [c for c in cells if c.contains(box.x + box.w / 2, box.y + box.h / 2)]
            if holder:
                safe = holder[0].grow(-SAFE)
                assert safe.contains(box.x, box.y) and safe.contains(box.right, box.top), char
        rects = filled_rects(back)
        for cell, face in zip(cells, chunk, strict=True):
            target = behind(cell, sheet, "long")
            assert find_rect(rects, target) == face.category.colour.upper()
            assert words_in(back, target) == expected_back_words(face)


def test_names_and_groupings_that_are_the_kits_are_marked_as_such(library: Library):
    result = render_cards(library, ["forankring"], CardOptions(size="a7"))
    text = " ".join(" ".join(page.get_text().split()) for page in open_pdf(result.pdf))
    for category in library.deck("forankring").categories:
        assert (f"{category.name} *" in text) == category.named_by_kit, category.name
    assert "Kerneopgaven *" in text and "Målgruppen *" not in text
    assert "Kategorier mærket med * er fremfaerd-kits gruppering" in text
    dialog = render_cards(library, ["dialogkort"], CardOptions())
    words = " ".join(" ".join(p.get_text().split()) for p in open_pdf(dialog.pdf))
    assert "Note fra fremfaerd-kit: Kortenes fordeling på de fire områder" in words


@pytest.mark.parametrize(
    "options",
    [
        CardOptions(),
        CardOptions(backs="fold", selection=Selection(shuffle=True, seed=7)),
        CardOptions(backs="none"),
        CardOptions(layout="shop", pdfx=False, qr=False),
    ],
    ids=["duplex", "fold", "fronts only", "shop layout"],
)
def test_pages_finished_as_they_end_write_the_same_file_as_reportlab(
    library: Library, monkeypatch: pytest.MonkeyPatch, options: CardOptions
) -> None:
    """The card PDF's canvas packs each page as it ends (memory); the file is the one
    ReportLab's own canvas writes, byte for byte."""
    from reportlab.pdfgen.canvas import Canvas

    from fremfaerd_kit import cards

    decks = ["dialogkort", "fem-spoergsmaal"]
    packed = render_cards(library, decks, options)
    monkeypatch.setattr(cards, "PackingCanvas", Canvas)
    plain = render_cards(library, decks, options)
    assert packed.pages == plain.pages > 2
    assert packed.pdf == plain.pdf
