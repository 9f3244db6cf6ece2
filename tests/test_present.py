"""The facilitator screen (`kit present`, facilitator.html) driven in a real Chromium."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from fremfaerd_kit.library import Library
from fremfaerd_kit.schedule import day_bounds, fit, refit, rest

from .browser import ZONE, Page, browser
from .conftest import REPO, run_kit
from .pdfread import pdf_text

START = datetime(2026, 12, 7, 13, 0, tzinfo=ZoneInfo(ZONE))
MIN = 60_000


def at(minutes: int) -> int:
    """Milliseconds since the epoch, `minutes` after 13:00 on the meeting day."""
    return int(START.timestamp() * 1000) + minutes * MIN


def spans(begin: int, lengths: tuple[int, ...] | list[int]) -> list[str]:
    """`13:20–13:55` for each length in turn, from `begin` minutes after 13:00."""
    out = []
    for length in lengths:
        a, b = 13 * 60 + begin, 13 * 60 + begin + length
        out.append(f"{a // 60:02d}:{a % 60:02d}–{b // 60:02d}:{b % 60:02d}")
        begin += length
    return out


# --- the fits the page looks up ---------------------------------------------------------


def test_the_rest_at_the_start_is_the_agendas_own_fit(library: Library) -> None:
    for tool in library.tools.values():
        for minutes in range(5, 481, 5):
            try:
                schedule = fit(tool, minutes)
            except Exception:
                continue
            assert refit(schedule, 0, minutes) == tuple(s.minutes for s in schedule.slots)


def test_every_rest_table_adds_one_step_at_a_time(library: Library) -> None:
    schedule = fit(library.tool("vaerktoej2"), 180)
    for index in range(len(schedule.slots)):
        table = rest(schedule, index)
        # Up to the session, or until every block still to come is at its ceiling.
        assert table.most == min(180, sum(b.ceiling for b in day_bounds(schedule)[index:]))
        for i, row in enumerate(table.lengths):
            assert sum(row) == table.least + i * 5
            assert row == refit(schedule, index, table.least + i * 5)
            if i:  # monotone: one more step never shortens a slot
                grown = [b - a for a, b in zip(table.lengths[i - 1], row, strict=True)]
                assert sorted(grown) == [0] * (len(row) - 1) + [5]


# --- the file ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def screen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("screen")
    out = folder / "skaerm.html"
    result = run_kit("present", "vaerktoej2", "--minutes", "150", "--start", "13:00",
                     "--date", "2026-12-07", "-o", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    return out


def test_the_file_carries_everything_and_names_no_address(screen: Path) -> None:
    html = screen.read_text(encoding="utf-8")
    assert "default-src 'none'" in html  # the browser itself refuses any request
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)
    assert not re.search(r"url\(\s*['\"]?(https?:|//)", html)
    assert html.count("data:font/ttf;base64,") == 2
    assert len(html) < 400_000


def test_values_are_text_not_markup(tmp_path: Path) -> None:
    out = tmp_path / "s.html"
    hostile = "<script>window.pwned=1</script><img src=x onerror=window.pwned=2>"
    result = run_kit("present", "vaerktoej2", "--set", f"titel={hostile}", "-o", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "<script>window.pwned" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in html  # the title, escaped


# --- in the browser -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    yield from browser()


def test_running_late_refits_the_rest_to_the_fixed_end(
    page: Page, screen: Path, library: Library
) -> None:
    schedule = fit(library.tool("vaerktoej2"), 150, start=time(13, 0))
    planned = [s.minutes for s in schedule.slots]
    page.open(screen, at(0))
    assert [when for when, _ in page.timeline()] == spans(0, planned)  # the plan, before Start
    page.press(" ")  # Start at 13:00
    assert [when for when, _ in page.timeline()] == spans(0, planned)
    assert page.text("status") == "Slutter til tiden kl. 15:30."

    # The welcome ran 5 minutes over: the rest is fitted to the 130 minutes left.
    page.set_now(at(planned[0] + 5))
    page.press("ArrowRight")
    lengths = refit(schedule, 1, 150 - planned[0] - 5)
    times = [when for when, _ in page.timeline()]
    assert times[0] == "" and times[1:] == spans(planned[0] + 5, lengths)
    assert page.text("status") == "Slutter til tiden kl. 15:30."
    assert page.text("block-title") == schedule.slots[1].block.title

    # +5 on the group work: the blocks after it share what is left.
    page.press("+")
    longer = lengths[0] + 5
    after = refit(schedule, 2, 150 - planned[0] - 5 - longer)
    times = [when for when, _ in page.timeline()]
    assert times[1:] == spans(planned[0] + 5, (longer, *after))
    assert sum(after) + longer + planned[0] + 5 == 150

    # A pause of ten minutes moves the end of the group work; resuming fits the rest again.
    page.press(" ")
    assert "uret står stille" in page.text("status")
    page.set_now(at(planned[0] + 5 + 10))
    page.press(" ")
    resumed = refit(schedule, 2, 150 - planned[0] - 5 - longer - 10)
    times = [when for when, _ in page.timeline()]
    assert times[2:] == spans(planned[0] + 5 + longer + 10, resumed)

    # The state survives a reload.
    before = page.timeline()
    page.driver.refresh()
    assert page.timeline() == before
    assert page.state()["cur"] == 1

    # Far past what the rest can hold: said on screen.
    page.set_now(at(140))
    page.press("ArrowRight")
    status = page.text("status")
    assert status.startswith("Sluttidspunktet kan ikke holdes: ca.") and "min over" in status

    # Reset asks first, then starts afresh.
    page.click("reset")
    page.driver.switch_to.alert.accept()
    assert page.text("status") == "Tryk Start, når mødet begynder."
    assert [when for when, _ in page.timeline()] == spans(0, planned)


def test_no_request_leaves_the_file(page: Page, screen: Path) -> None:
    page.requests()  # forget the earlier tests' requests
    page.open(screen, at(0))
    page.press(" ")
    page.press("k")
    page.press("ArrowRight")
    urls = page.requests()
    assert urls, "the log records the page's own load"
    assert all(u.startswith(("file:", "data:", "about:")) for u in urls), urls


def test_accessibility_no_serious_or_critical_violations(page: Page, screen: Path) -> None:
    page.open(screen, at(0))
    page.press(" ")
    page.press("ArrowRight")
    serious = [v for v in page.axe() if v.get("impact") in ("serious", "critical")]
    assert serious == [], json.dumps(serious, indent=1, ensure_ascii=False)[:3000]
    page.press("k")
    page.press("ArrowRight")
    serious = [v for v in page.axe() if v.get("impact") in ("serious", "critical")]
    assert serious == [], json.dumps(serious, indent=1, ensure_ascii=False)[:3000]


def test_card_mode_shows_the_instructions_first_then_warmup_then_the_deck(
    page: Page, tmp_path: Path, library: Library
) -> None:
    out = tmp_path / "kort.html"
    result = run_kit("present", "vaerktoej2", "--deck", "dialogkort", "-o", str(out))
    assert result.returncode == 0, result.stderr
    page.open(out, at(0))
    page.press("k")
    assert page.text("card-band") == "Vejledning"
    deck = library.deck("dialogkort")
    assert deck.guidance is not None and deck.guidance.title in page.text("card-body")
    page.press("ArrowRight")
    assert page.text("card-band") == "Opvarmning"
    shown = []
    for _ in range(len(deck.warmup) + len(deck.cards)):
        page.press("ArrowRight")
        shown.append(page.text("card-body"))
    shown = shown[len(deck.warmup) - 1 : len(deck.warmup) - 1 + len(deck.cards)]
    assert [deck.cards[i].question in text for i, text in enumerate(shown)] == [True] * len(
        deck.cards
    )
    # Shuffled: the same cards, in another order, still after the instructions.
    page.driver.execute_script(
        "const s = document.getElementById('order-choice'); s.value = 'shuffled';"
        "s.dispatchEvent(new Event('change'));"
    )
    assert page.text("card-band") == "Vejledning"
    count = page.text("card-count")
    assert count == f"Kort 1 af {1 + len(deck.warmup) + len(deck.cards)}"
    # One category: only its cards.
    category = deck.categories[1]
    page.driver.execute_script(
        "const s = document.getElementById('category-choice'); s.value = arguments[0];"
        "s.dispatchEvent(new Event('change'));",
        category.id,
    )
    own = deck.cards_in(category.id)
    assert page.text("card-count") == f"Kort 1 af {1 + len(deck.warmup) + len(own)}"
    page.press("Escape")
    assert page.driver.execute_script("return document.getElementById('card-view').hidden")


def test_printing_gives_a_clean_agenda(
    page: Page, screen: Path, library: Library, tmp_path: Path
) -> None:
    page.open(screen, at(0))
    printed = tmp_path / "print.pdf"
    printed.write_bytes(page.pdf())
    text = pdf_text(printed)
    schedule = fit(library.tool("vaerktoej2"), 150, start=time(13, 0))
    planned = spans(0, [s.minutes for s in schedule.slots])
    for slot, when in zip(schedule.slots, planned, strict=True):
        assert when in text
        assert (slot.block.title if slot.block else "Pause") in " ".join(text.split())
    for control in ("Nulstil", "Fuld skærm", "Næste →"):
        assert control not in text


def test_screenshots_at_projector_and_full_hd(page: Page, screen: Path, tmp_path: Path) -> None:
    from PIL import Image

    page.open(screen, at(0))
    page.press(" ")
    page.press("ArrowRight")
    for size in ((1280, 720), (1920, 1080)):
        png = tmp_path / f"screen-{size[0]}.png"
        page.screenshot(png, size)
        with Image.open(png) as image:
            assert image.size == size
            # The current block's title is on the screen, not pushed off it.
        rect = page.driver.execute_script(
            "const r = document.getElementById('block-title').getBoundingClientRect();"
            "return [r.top, r.bottom, window.innerHeight];"
        )
        assert 0 <= rect[0] < rect[1] <= rect[2]


HOSTILE = "<script>window.pwned=1</script><img src=x onerror=window.pwned=2>"


def test_hostile_kit_values_and_cards_show_as_text(page: Page, tmp_path: Path) -> None:
    (tmp_path / "egne").mkdir()
    (tmp_path / "egne" / "fjendtlig.csv").write_text(
        f'spørgsmål;eksempel;kategori\n"{HOSTILE}";"<b>fed</b>";"<i>k</i>"\n', encoding="utf-8"
    )
    (tmp_path / "kit.yaml").write_text(
        f"kind: kit\ntitle: '{HOSTILE}'\nworkplace: '</script><script>window.pwned=3</script>'\n"
        "card_size: a6\ncontent: [egne]\ndecks:\n  - id: fjendtlig\n",
        encoding="utf-8",
    )
    result = run_kit("build", str(tmp_path / "kit.yaml"), "-o", str(tmp_path / "out"), "-q")
    assert result.returncode == 0, result.stderr
    page.open(tmp_path / "out" / "facilitator.html", at(0))
    assert page.text("kit-title") == HOSTILE
    page.press("k")
    assert HOSTILE in page.text("card-body") and "<b>fed</b>" in page.text("card-body")
    assert page.text("card-band") == "<i>k</i>"
    assert page.driver.execute_script("return window.pwned === undefined")
    assert all(not u.endswith("/x") for u in page.requests())


@pytest.mark.parametrize(
    "kit_file", sorted(p.name for p in (REPO / "examples").iterdir() if (p / "kit.yaml").is_file())
)
def test_every_example_kit_has_its_facilitator_screen(kit_file: str, tmp_path: Path) -> None:
    out = tmp_path / "kit"
    result = run_kit("build", str(REPO / "examples" / kit_file / "kit.yaml"), "-o", str(out), "-q")
    assert result.returncode == 0, result.stderr
    html = (out / "facilitator.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="da">' in html


def test_an_agenda_of_more_than_40_blocks_is_a_located_error(tmp_path: Path) -> None:
    import yaml

    tool = yaml.safe_load((REPO / "content/tools/faelles-ramme.yaml").read_text("utf-8"))
    tool["id"] = "lang-dagsorden"
    tool["agenda"]["blocks"] = [
        {"id": f"punkt-{i}", "title": f"Punkt {i}", "minutes": 5} for i in range(41)
    ]
    (tmp_path / "lang.yaml").write_text(yaml.safe_dump(tool, allow_unicode=True), "utf-8")
    result = run_kit("check", str(tmp_path))
    assert result.returncode == 2
    assert f"{tmp_path / 'lang.yaml'}:2:3: agenda.blocks: has more than 40 items" in result.stderr


def test_after_the_last_block_the_meeting_ends_with_the_closing_question(
    page: Page, screen: Path, library: Library
) -> None:
    tool = library.tool("vaerktoej2")
    page.open(screen, at(0))
    page.press(" ")
    for _ in range(len(fit(tool, 150).slots)):
        page.press("ArrowRight")
    assert page.text("block-title") == "Mødet er slut."
    assert f"”{tool.meeting.closing_question}”" in page.text("block-content")
    hidden, disabled = page.driver.execute_script(
        "return [document.getElementById('timer').hidden,"
        " ['start', 'plus', 'minus', 'next-button']"
        "   .map(id => document.getElementById(id).disabled)]"
    )
    assert hidden and all(disabled)
    page.press("ArrowLeft")  # back into the last block
    assert page.text("block-title") == fit(tool, 150).slots[-1].block.title
