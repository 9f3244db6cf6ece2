"""Slides (`kit slides`, `slides:` in kit files): 16:9 pages, read back from the PDF."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from fremfaerd_kit.library import Library
from fremfaerd_kit.schedule import fit

from .conftest import REPO, run_kit
from .pdfread import open_pdf, unhyphenated


def text_sizes(page: pymupdf.Page) -> list[float]:
    return [
        span["size"]
        for block in page.get_text("dict")["blocks"]
        for line in block.get("lines", [])
        for span in line["spans"]
        if span["text"].strip()
    ]


def page_text(page: pymupdf.Page) -> str:
    return " ".join(unhyphenated(page.get_text()).split())


def slides(tmp_path: Path, *args: str) -> list[pymupdf.Page]:
    out = tmp_path / "slides.pdf"
    result = run_kit("slides", *args, "-o", str(out))
    assert result.returncode == 0, result.stderr
    return list(open_pdf(out.read_bytes()))


def test_tool_slides_are_16_9_with_nothing_under_24_pt(tmp_path: Path, library: Library) -> None:
    pages = slides(tmp_path, "vaerktoej2", "--minutes", "150", "--start", "13:00",
                   "--date", "2026-12-07", "--set", "kommune=Eksempel Kommune")  # fmt: skip
    for page in pages:
        assert page.rect.width / page.rect.height == pytest.approx(16 / 9, abs=1e-6)
    for page in pages[1:]:  # every content slide
        assert min(text_sizes(page)) >= 24
    title = page_text(pages[0])
    tool = library.tool("vaerktoej2")
    assert tool.meeting.title in title and "Mandag den 7. december 2026" in title
    assert "Kl. 13:00–15:30" in title and "Eksempel Kommune" in title

    # The agenda slide has the clock times of `kit agenda`'s fit for 150 minutes.
    schedule = fit(tool, 150)
    agenda = page_text(pages[1])
    for slot in schedule.slots:
        start, end = 13 * 60 + slot.start, 13 * 60 + slot.end
        span = f"{start // 60:02d}:{start % 60:02d}–{end // 60:02d}:{end % 60:02d}"
        assert f"{span} {slot.block.title if slot.block else 'Pause'}" in agenda

    # One slide per block, in order, with its group questions; then its TIP boxes.
    texts = [page_text(p) for p in pages]
    position = 1
    for slot in schedule.slots:
        title = slot.block.title if slot.block else "Pause"
        position = next(i for i in range(position + 1, len(texts)) if texts[i].startswith(title))
        if slot.block and slot.block.group_work:
            for question in library.questions(tool, slot.block.group_work):
                assert question in texts[position]
            for tip in tool.group(slot.block.group_work).tips:
                assert any(t.startswith(tip.title) for t in texts[position + 1 :])
    assert texts[-1] == f"”{tool.meeting.closing_question}”"


def test_forankring_slides_carry_the_sources_own_statements(
    tmp_path: Path, library: Library
) -> None:
    pages = slides(tmp_path, "forankring")
    texts = [page_text(p) for p in pages]
    assert any("Fra flotte ord …til handling!" in t for t in texts)
    assert any("Vi er ikke ansat til at trives!" in t for t in texts)
    deck = library.deck("forankring")
    # Every card is on a slide, in the source's order, under its category's name.
    order = [next(i for i, t in enumerate(texts) if card.question in t) for card in deck.cards]
    slide_cards = [s.card for s in deck.slides if s.card]
    assert [c.id for c in sorted(deck.cards, key=lambda c: order[deck.cards.index(c)])] == (
        slide_cards
    )
    for page in pages[1:]:
        assert min(text_sizes(page)) >= 24


def test_deck_slides_band_takes_the_category_colour(tmp_path: Path, library: Library) -> None:
    pages = slides(tmp_path, "dialogkort")
    deck = library.deck("dialogkort")
    card = deck.cards[0]
    category = deck.category(card.category)
    page = next(p for p in pages if card.question in page_text(p))
    colour = tuple(int(category.colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    fills = [d["fill"] for d in page.get_drawings() if d.get("fill")]
    assert any(all(abs(a - b) < 0.01 for a, b in zip(f, colour, strict=True)) for f in fills)
    assert category.name in page_text(page) and card.example in page_text(page)


def test_kit_file_asks_for_slides(tmp_path: Path) -> None:
    out = tmp_path / "kit"
    result = run_kit("build", str(REPO / "examples/laeringsplatform-dagtilbud/kit.yaml"),
                     "-o", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (out / "07-slides-hvem-definerer-kerneopgaven.pdf").is_file()
    assert (out / "07-slides-forankring.pdf").is_file()
    assert (out / "facilitator.html").is_file()
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "Slides til projektoren" in index and "Mødelederskærm" in index


def test_unknown_slides_entry_is_located(tmp_path: Path) -> None:
    kit = tmp_path / "kit.yaml"
    kit.write_text("kind: kit\nslides:\n  - vaerktoej2\n  - forankrnig\n", encoding="utf-8")
    result = run_kit("build", str(kit), "-o", str(tmp_path / "out"))
    assert result.returncode == 2
    assert (
        f"{kit}:4:5: slides[1]: unknown tool or deck `forankrnig`" in result.stderr
        and "forankring" in result.stderr
    )
    assert not (tmp_path / "out").exists()


def test_a_print_run_is_not_made_into_slides_nor_into_the_card_mode(tmp_path: Path) -> None:
    rows = ["spørgsmål;kategori", *(f"Spørgsmål nummer {i}?;A" for i in range(1_200))]
    (tmp_path / "stor.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run_kit("--content", str(tmp_path), "slides", "stor", "-o", str(tmp_path / "s.pdf"))
    assert result.returncode == 2
    assert "deck `stor` would be 1,200 slides" in result.stderr
    assert not (tmp_path / "s.pdf").exists()
    kit = tmp_path / "kit.yaml"
    kit.write_text("kind: kit\ncontent: [.]\nslides: [stor]\n", encoding="utf-8")
    checked = run_kit("check", str(kit))
    assert checked.returncode == 2 and f"{kit}:3:10: slides[0]: deck `stor` would be" in (
        checked.stderr
    )
    # Built as cards, it is printed, and left out of the facilitator screen's card mode.
    kit.write_text("kind: kit\ncontent: [.]\ndecks: [{id: stor}, {id: dialogkort}]\n", "utf-8")
    built = run_kit("build", str(kit), "-o", str(tmp_path / "out"), "-q")
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "out" / "05-kort-stor.pdf").is_file()
    page = (tmp_path / "out" / "facilitator.html").read_text(encoding="utf-8")
    assert '"id":"dialogkort"' in page and '"id":"stor"' not in page
