"""On the day: the facilitator screen's timing, keys and two windows, driven in Chromium as a
facilitator drives it (real key presses, the page's clock in the test's hands)."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from fremfaerd_kit.library import Library
from fremfaerd_kit.schedule import day_bounds, fit

from .browser import ZONE, Page, browser
from .conftest import run_kit

START = datetime(2026, 12, 7, 13, 0, tzinfo=ZoneInfo(ZONE))
MIN = 60_000
SEC = 1_000
END = 13 * 60 + 150  # 15:30, in minutes after midnight


def at(minutes: float) -> int:
    """Milliseconds since the epoch, `minutes` after 13:00 on the meeting day."""
    return int(START.timestamp() * 1000 + minutes * MIN)


def hhmm(text: str) -> int:
    """`15:30` as minutes after midnight."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def shown(minutes: int) -> str:
    """Minutes after midnight as the screen shows them: `15:30`."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@pytest.fixture(scope="module")
def screen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("day") / "skaerm.html"
    result = run_kit("present", "vaerktoej2", "--minutes", "150", "--start", "13:00",
                     "--date", "2026-12-07", "-o", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    yield from browser()


class Screen:
    """What the facilitator reads off the screen, and the checks that must always hold."""

    def __init__(self, page: Page, library: Library) -> None:
        self.page = page
        self.schedule = fit(library.tool("vaerktoej2"), 150, start=time(13, 0))
        self.bounds = day_bounds(self.schedule)
        self.now = at(0)

    def set(self, minutes: float) -> None:
        self.now = at(minutes)
        self.page.set_now(self.now)

    def read(self) -> dict[str, object]:
        raw = self.page.driver.execute_script(
            "const t = (id) => document.getElementById(id).textContent;"
            "return {span: t('block-span'), countdown: t('countdown'), status: t('status'),"
            " title: t('block-title'), timer: document.getElementById('timer').hidden,"
            " rows: [...document.querySelectorAll('#timeline li')].map(li => ["
            "   li.children[0].textContent, li.children[1].textContent, li.className,"
            "   li.getAttribute('aria-current')])};"
        )
        return dict(raw)

    def check(self) -> dict[str, object]:
        """Countdown, clock span, timeline and status agree; every block to come is within
        its least and its ceiling; the timeline has no gaps."""
        seen = self.read()
        if seen["timer"]:  # the meeting is over
            return seen
        match = re.fullmatch(r"(\d\d:\d\d–\d\d:\d\d) · (\d+) min", str(seen["span"]))
        assert match, seen
        span, minutes = match.groups()
        begin, end = (hhmm(x) for x in span.split("–"))
        assert int(minutes) == end - begin, seen
        # The countdown runs to the span's end, to the second (or past it, said as over).
        count = re.fullmatch(r"(\d+):(\d\d)( over)?", str(seen["countdown"]))
        assert count, seen
        left = (int(count[1]) * 60 + int(count[2])) * SEC * (-1 if count[3] else 1)
        paused = "uret står stille" in str(seen["status"])
        if not paused:
            clock_now = (self.now - at(0)) / MIN + 13 * 60
            assert abs(clock_now + left / MIN - end) < 1 / 60 + 1e-9, seen
        rows = list(seen["rows"])  # type: ignore[call-overload]
        current = next(i for i, r in enumerate(rows) if r[3] == "step")
        assert rows[current][0] == span, seen
        ends = []
        for i, (when, what, _, _) in enumerate(rows[current:], current):
            a, b = (hhmm(x) for x in when.split("–"))
            length = int(re.search(r"\((\d+) min\)$", what)[1])  # type: ignore[index]
            assert length == b - a, (i, seen)
            if ends:
                assert a == ends[-1], ("a gap or an overlap", i, seen)
                bounds = self.bounds[i]
                assert bounds.least <= length <= bounds.ceiling, (i, length, bounds, seen)
            ends.append(b)
            if i == current and count[3]:  # over (paused or not): the rest begins now
                ends[-1] = (self.now - at(0)) // MIN + 13 * 60
        projected = ends[-1]
        if count[3] and current == len(rows) - 1:  # the last block over: it ends when it ends
            projected = -(-(self.now - at(0)) // MIN) + 13 * 60
        status = str(seen["status"])
        if projected == END:
            assert "Slutter til tiden kl. 15:30." in status, seen
        elif projected > END:
            assert f"ca. {projected - END} min over (kl. {shown(projected)})" in status, seen
        else:
            assert (
                f"Slutter ca. {END - projected} min før tid (kl. {shown(projected)})" in status
            ), seen
        return seen


@pytest.fixture
def day(page: Page, screen: Path, library: Library) -> Screen:
    page.open(screen, at(0))
    return Screen(page, library)


def test_the_last_block_keeps_its_minimum_and_its_countdown_its_span(day: Screen) -> None:
    page = day.page
    page.press(" ")  # Start at 13:00
    for _ in range(len(day.schedule.slots) - 1):
        page.press("ArrowRight")
    last = day.bounds[-1]
    assert last.least == 5
    # Entered at every minute and second from 15:05 to 15:29:59 (by leaving it and coming back).
    for minute in (125, 131, 140, 141, 142, 143, 144, 145, 146, 147, 148, 149):
        for seconds in (0, 20, 59):
            day.set(minute + seconds / 60)
            page.press("ArrowLeft")
            page.press("ArrowRight")
            seen = day.check()
            length = int(re.search(r"· (\d+) min", str(seen["span"]))[1])  # type: ignore[index]
            assert length >= last.least
            if minute == 141 and seconds == 0:  # entered at 15:21: 9 minutes, ends on time
                assert seen["span"] == "15:21–15:30 · 9 min" and seen["countdown"] == "09:00"
                assert seen["status"] == "Slutter til tiden kl. 15:30."
            if minute == 147 and seconds == 0:  # 15:27: three minutes left, five given
                assert seen["span"] == "15:27–15:32 · 5 min"
                assert "ca. 2 min over (kl. 15:32)" in str(seen["status"])
    # The last block ten minutes over: said by the countdown and the status alike.
    day.set(141)
    page.press("ArrowLeft")
    page.press("ArrowRight")
    day.set(150 + 10)
    seen = day.check()
    assert seen["countdown"] == "10:00 over"
    assert "ca. 10 min over (kl. 15:40)" in str(seen["status"])


def test_a_whole_afternoon_of_late_groups_pauses_skips_and_five_minutes(day: Screen) -> None:
    """A seeded random afternoon (late and early groups, pauses, skips, going back, +5 and
    −5, reloads): after every action, countdown, span, timeline and status agree."""
    page = day.page
    page.press(" ")
    day.check()
    rng = random.Random(27)
    minute = 0.0
    met = set()
    for _ in range(200):
        minute += rng.choice((0, 0, 1 / 3, 1, 2, 3, 5))
        day.set(minute)
        action = rng.choice(["ArrowRight"] * 3 + ["ArrowLeft", "+", "-", " ", "tick", "reload"])
        if action == "reload":
            page.driver.refresh()
        elif action != "tick":
            page.press(action)
        seen = day.check()
        status = str(seen["status"])
        met |= {w for w in ("over", "før tid", "til tiden", "stille") if w in status}
        if seen["timer"]:  # the meeting is over: back into its last block
            page.press("ArrowLeft")
        if minute > 175:
            break
    assert met == {"over", "før tid", "til tiden", "stille"}, met


def test_net_zero_actions_leave_the_plan_as_it_was(day: Screen) -> None:
    page = day.page
    page.press(" ")
    day.set(17.5)  # the welcome ran two and a half minutes over
    page.press("ArrowRight")
    before = day.check()["rows"]
    page.press("+")
    assert day.check()["rows"] != before
    page.press("-")
    assert day.check()["rows"] == before
    for pause in (0, 0.25):  # a pause of no time, and one of fifteen seconds
        page.press(" ")
        day.set(17.5 + pause)
        page.press(" ")
        assert day.check()["rows"] == before
    page.press("-")
    page.press("-")
    page.press("+")
    page.press("+")
    assert day.check()["rows"] == before


def test_a_pause_moves_the_rest_while_it_lasts_and_resuming_keeps_that(day: Screen) -> None:
    page = day.page
    page.press(" ")
    day.set(20)
    page.press("ArrowRight")  # the first group work, five minutes late
    day.set(30)
    page.press(" ")
    day.set(40)  # ten minutes of pause: the screen already shows the rest as it will be
    during = day.check()
    assert "uret står stille" in str(during["status"])
    page.press(" ")
    after = day.check()
    assert after["rows"] == during["rows"]


def test_a_skipped_block_is_shown_as_skipped(day: Screen) -> None:
    page = day.page
    page.press(" ")
    day.set(15)
    page.press("ArrowRight")  # the group work begins
    day.set(15.5)
    page.press("ArrowRight")  # its summary, thirty seconds later: the group work was skipped
    rows = day.check()["rows"]
    welcome, group = rows[0], rows[1]  # type: ignore[index]
    assert "done" in welcome[2] and "skipped" not in welcome[2]
    assert "skipped" in group[2] and "done" not in group[2]
    assert group[0] == "sprunget over"


def test_a_group_far_ahead_is_offered_an_early_end(day: Screen) -> None:
    page = day.page
    page.press(" ")
    day.set(25)
    for _ in range(len(day.schedule.slots) - 1):  # straight to the closing block at 13:25
        page.press("ArrowRight")
    seen = day.check()
    ceiling = day.bounds[-1].ceiling
    assert seen["span"] == f"13:25–{shown(13 * 60 + 25 + ceiling)} · {ceiling} min"
    assert ceiling <= 20
    assert "Slutter ca." in str(seen["status"]) and "før tid" in str(seen["status"])


def test_a_rehearsal_hours_before_leaves_the_meeting_untouched(day: Screen) -> None:
    page = day.page
    day.set(-180)  # 10:00: trying the screen
    page.press(" ")
    seen = day.read()
    assert str(seen["status"]).startswith("Prøvekørsel: nulstilles af sig selv kl. 12:30.")
    page.press("ArrowRight")
    page.press("+")
    day.set(-31)
    page.driver.execute_script("return 0")
    assert str(day.read()["status"]).startswith("Prøvekørsel")
    day.set(-30)  # half an hour before the meeting: the rehearsal is over by itself
    page.driver.refresh()
    assert day.read()["status"] == "Tryk Start, når mødet begynder."
    day.set(0)
    page.press(" ")
    seen = day.check()
    assert seen["status"] == "Slutter til tiden kl. 15:30."
    assert seen["span"] == "13:00–13:15 · 15 min"


# --- keys mean the same wherever the focus is -------------------------------------------------


def focused(page: Page) -> str:
    return str(
        page.driver.execute_script(
            "return document.activeElement.id || document.activeElement.tagName"
        )
    )


def test_after_a_mouse_click_space_pauses_and_enter_does_nothing(day: Screen) -> None:
    page = day.page
    page.click("start")  # the mouse: Start
    day.set(5)
    page.click("next-button")  # the mouse: on to the group work
    title = day.read()["title"]
    assert focused(page) == "BODY"
    page.press(" ")  # Space pauses; it did skip the group work, re-firing Næste
    seen = day.read()
    assert seen["title"] == title and "uret står stille" in str(seen["status"])
    page.press("Enter")
    assert day.read()["title"] == title
    page.press(" ")
    assert "uret står stille" not in str(day.read()["status"])
    # From the keyboard, a button keeps its focus and Enter is its own, as always.
    before = day.read()["span"]
    assert before == "13:05–13:40 · 35 min"
    page.driver.execute_script("document.getElementById('plus').focus()")
    page.press("Enter")
    assert day.read()["span"] == "13:05–13:45 · 40 min"
    page.press(" ")  # and Space still pauses
    assert "uret står stille" in str(day.read()["status"])


@pytest.fixture(scope="module")
def cards_screen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cards") / "kort.html"
    result = run_kit("present", "vaerktoej2", "--deck", "dialogkort", "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out


CHOSEN = "return ['category-choice', 'order-choice'].map(id => document.getElementById(id).value)"


def test_in_the_card_mode_a_focused_choice_takes_no_key(page: Page, cards_screen: Path) -> None:
    page.open(cards_screen, at(0))
    page.press("k")
    page.press("ArrowRight")  # past the instruction card, which the page keys would scroll
    page.press("ArrowRight")
    for control in ("category-choice", "deck-choice", "order-choice", "warmup-choice"):
        page.driver.execute_script("document.getElementById(arguments[0]).focus()", control)
        choice = page.driver.execute_script(CHOSEN)
        before = page.text("card-count")
        page.press("PageDown")  # a clicker: the next card, not another category
        assert page.text("card-count") != before, control
        page.press("PageUp")
        assert page.text("card-count") == before, control
        assert focused(page) == control
        assert choice == page.driver.execute_script(CHOSEN)
    page.press("K")  # with the warm-up toggle focused: back to the agenda
    assert page.driver.execute_script("return document.getElementById('card-view').hidden")
    page.press("k")
    page.driver.execute_script("document.getElementById('warmup-choice').focus()")
    page.press("Enter")  # Enter is the focused toggle's own: the warm-up goes
    assert (
        page.driver.execute_script(
            "return document.getElementById('warmup-choice').getAttribute('aria-pressed')"
        )
        == "false"
    )


_IN_VIEW = """
const box = document.getElementById(arguments[0]);
const frame = box.getBoundingClientRect();
const parts = [...document.querySelectorAll(arguments[1])].map(e => e.getBoundingClientRect())
  .filter(r => r.height > 0);  // not what is hidden
return {
  top: box.scrollTop, height: box.clientHeight,
  first: Math.min(...parts.map(r => r.top)) - frame.top + box.scrollTop,
  last: Math.max(...parts.map(r => r.bottom)) - frame.top + box.scrollTop,
  wide: Math.max(...parts.map(r => r.right)) <= frame.right + 1
    && box.scrollWidth <= box.clientWidth,
};
"""


def read_through(page: Page, box: str, parts: str, kicker: str) -> None:
    """Press PageDown until the box has shown every line of its parts: each part lies
    within the width, and the views seen cover its whole height, without `kicker` changing
    on the way (the clicker scrolls first, and moves on only at the bottom)."""
    before = page.text(kicker)
    seen: list[tuple[float, float]] = []
    for _ in range(30):
        view = page.driver.execute_script(_IN_VIEW, box, parts)
        assert view["wide"], view
        seen.append((view["top"], view["top"] + view["height"]))
        if view["top"] + view["height"] >= view["last"] - 1:
            break
        page.press("PageDown")
        assert page.text(kicker) == before, "moved on before the end was shown"
    reached = view["first"]
    for top, bottom in sorted(seen):
        assert top <= reached + 1, ("a part was never shown", seen, view)
        reached = max(reached, bottom)
    assert reached >= view["last"] - 1, (seen, view)


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720), (1920, 1080)])
def test_the_clicker_scrolls_a_long_block_before_it_moves_on(
    page: Page, screen: Path, size: tuple[int, int]
) -> None:
    """Every line of every block comes into view by the clicker's page keys alone."""
    page.open(screen, at(0), size=size)
    page.press(" ")
    slots = len(fit_of(page))
    for index in range(slots):
        assert page.text("block-kicker") == f"Punkt {index + 1} af {slots}"
        read_through(page, "current", "#current > *, #block-content > *", "block-kicker")
        page.press("PageDown")
        if index < slots - 1:
            assert page.text("block-kicker") == f"Punkt {index + 2} af {slots}", (index, size)


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720), (1920, 1080)])
def test_the_instruction_card_is_read_to_its_last_step(
    page: Page, cards_screen: Path, size: tuple[int, int]
) -> None:
    page.open(cards_screen, at(0), size=size)
    page.press("k")
    assert page.text("card-band") == "Vejledning"
    read_through(page, "card-body", "#card-body > *", "card-count")
    page.press("PageDown")
    assert page.text("card-band") == "Opvarmning"


def fit_of(page: Page) -> list[object]:
    return list(page.driver.execute_script(
        "return JSON.parse(document.getElementById('kit-data').textContent).slots"
    ))  # fmt: skip


# --- two windows, two roles ----------------------------------------------------------------


VISIBLE = """
return arguments[0].map(sel => [...document.querySelectorAll(sel)].some(e => {
  const r = e.getBoundingClientRect(), s = getComputedStyle(e);
  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'
    && (!e.closest('[hidden]'));
}));
"""
FACILITATOR_ONLY = ["#start", "#next-button", "#reset", "#status", "#timeline", ".for-facilitator"]


def test_the_projector_and_the_facilitator_keep_in_step(page: Page, screen: Path) -> None:
    driver = page.driver
    page.open(screen, at(0))
    facilitator = driver.current_window_handle
    projector = page.open_window(screen.as_uri() + "#projektor", at(0))

    def both(minutes: float) -> None:
        for window in (facilitator, projector):
            driver.switch_to.window(window)
            page.set_now(at(minutes))

    def read(window: str) -> tuple[str, str, str, str]:
        driver.switch_to.window(window)
        return (page.text("block-title"), page.text("block-span"), page.text("countdown"),
                page.text("block-content"))  # fmt: skip

    # The projector shows the block, its questions and the countdown, and nothing of the
    # facilitator's: no controls, notes, status or agenda.
    driver.switch_to.window(projector)
    assert driver.title.startswith("Projektor – ")
    assert driver.execute_script(VISIBLE, FACILITATOR_ONLY) == [False] * len(FACILITATOR_ONLY)
    driver.switch_to.window(facilitator)
    assert driver.execute_script(VISIBLE, FACILITATOR_ONLY) == [True] * len(FACILITATOR_ONLY)

    page.press(" ")  # Start, in the facilitator's window
    both(2)
    assert read(projector)[:3] == read(facilitator)[:3]
    assert "Gør klart" in read(facilitator)[3] and "Gør klart" in read(projector)[3]
    driver.switch_to.window(projector)
    assert driver.execute_script(VISIBLE, [".for-facilitator"]) == [False]

    both(16)
    driver.switch_to.window(projector)
    page.press("PageDown")  # the clicker, with the projector's window in front
    seen = read(projector)
    assert seen[0] == "Gruppearbejde 1: Kortlæg kerneopgaver"
    assert read(facilitator)[:3] == seen[:3]
    assert "Hvilke kerneopgaver har I i vores hverdag?" in seen[3]

    page.press("+")  # five minutes more, from the projector's window
    assert read(facilitator)[1] == read(projector)[1]
    driver.switch_to.window(facilitator)
    page.press(" ")  # a pause, from the facilitator's
    both(20)
    assert read(projector)[2] == read(facilitator)[2]  # both countdowns stand still

    # Blank: the projector goes black; the facilitator's window says so and keeps working.
    driver.switch_to.window(projector)
    page.press("b")
    assert driver.execute_script(VISIBLE, ["#blank-screen"]) == [True]
    driver.switch_to.window(facilitator)
    assert driver.execute_script(VISIBLE, ["#blank-screen", "#blanked"]) == [False, True]
    page.press(".")  # a clicker's blank key: back
    driver.switch_to.window(projector)
    assert driver.execute_script(VISIBLE, ["#blank-screen"]) == [False]

    # The card mode, from the facilitator's window, on the projector without its choices.
    driver.switch_to.window(facilitator)
    page.press("k")
    driver.switch_to.window(projector)
    assert driver.execute_script(VISIBLE, ["#card", ".card-tools", ".card-nav"]) == [
        True, False, False,
    ]  # fmt: skip
    serious = [v for v in page.axe() if v.get("impact") in ("serious", "critical")]
    assert serious == []
    driver.close()
    driver.switch_to.window(facilitator)


def test_the_clicker_in_the_facilitators_window_scrolls_the_projector(
    page: Page, screen: Path
) -> None:
    """Where the room reads decides: Page Down turns the projector's pages, then moves on."""
    driver = page.driver
    page.open(screen, at(0), size=(1280, 720))
    facilitator = driver.current_window_handle
    projector = page.open_window(screen.as_uri() + "#projektor", at(0), size=(1024, 768))
    driver.switch_to.window(facilitator)
    page.press(" ")
    page.press("ArrowRight")  # the first group work, with its two TIP boxes
    driver.switch_to.window(projector)
    needed = driver.execute_script(
        "const b = document.getElementById('current');"
        "return Math.ceil((b.scrollHeight - b.clientHeight) / (b.clientHeight * 0.8))"
    )
    assert needed >= 1
    driver.switch_to.window(facilitator)
    tops = []
    for _ in range(needed):
        page.press("PageDown")
        driver.switch_to.window(projector)
        tops.append(driver.execute_script("return document.getElementById('current').scrollTop"))
        assert page.text("block-kicker") == "Punkt 2 af 7"
        driver.switch_to.window(facilitator)
    assert tops == sorted(tops) and tops[0] > 0 and len(set(tops)) == len(tops)
    page.press("PageDown")
    driver.switch_to.window(projector)
    assert page.text("block-kicker") == "Punkt 3 af 7"
    assert driver.execute_script("return document.getElementById('current').scrollTop") == 0
    driver.close()
    driver.switch_to.window(facilitator)
