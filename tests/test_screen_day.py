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


# --- capture: what the groups said, kept --------------------------------------------------------


def typed(page: Page, text: str) -> None:
    """Text typed on the keyboard, into whatever has the focus."""
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(page.driver).send_keys(text).perform()


def lists(page: Page) -> dict[str, list[str]]:
    """The capture panel's lists: heading → items (without their delete buttons)."""
    rows = page.driver.execute_script(
        "const out = []; let head = null;"
        "for (const e of document.getElementById('note-lists').children) {"
        "  if (e.tagName === 'H3') head = e.textContent;"
        "  else out.push([head, [...e.querySelectorAll('li > span')].map(s => s.textContent)]); }"
        "return out;"
    )
    return {head: items for head, items in rows}


def downloads_to(page: Page, folder: Path) -> None:
    page.driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)}
    )


def wait_for_file(folder: Path, pattern: str = "*.json") -> Path:
    import time as clock

    for _ in range(100):
        found = [p for p in folder.glob(pattern) if not p.name.endswith(".crdownload")]
        if found:
            return max(found, key=lambda p: p.stat().st_mtime)
        clock.sleep(0.1)
    raise AssertionError(f"nothing downloaded to {folder}")


CHOOSE_BLOCK = """
const s = document.getElementById('note-block'); s.value = arguments[0];
s.dispatchEvent(new Event('change'));
"""
Q1 = "Spørgsmål 1: Hvilke kerneopgaver har I i vores hverdag? (Post-its)"
Q2 = "Spørgsmål 2: Hvilke af dem bliver påvirket af den nye teknologi?"


def test_capture_by_keyboard_while_the_post_its_are_read(day: Screen, tmp_path: Path) -> None:
    page = day.page
    page.press(" ")
    day.set(15)
    page.press("ArrowRight")  # the first group work
    page.press("n")  # N: write
    assert focused(page) == "note-text"
    typed(page, "2: Borgeren får mere privatliv, kan klare sig selv\n")
    typed(page, "3. Bad og personlig pleje\n")
    status = day.read()["status"]
    page.press("ArrowDown")  # the next question
    typed(page, "Rengøring af toilettet tager kortere tid\n")
    for _ in range(2):  # past the third question: the decisions
        page.press("ArrowDown")
    typed(page, "Vi prøver vasketoilettet hos to borgere\n")
    page.press("ArrowDown")  # the parking lot
    typed(page, "Hvem betaler vandregningen?\n")
    page.press("ArrowDown")  # the facilitator's own notes
    typed(page, "Gruppe 1 var stille – spørg dem først næste gang\n")
    # Typing took no key from the screen: neither k, space, +, nor the letters of a word.
    assert (
        day.read()["status"] == status
        and day.read()["title"] == "Gruppearbejde 1: Kortlæg kerneopgaver"
    )
    assert lists(page) == {
        Q1: ["Gruppe 2: Borgeren får mere privatliv, kan klare sig selv",
             "Gruppe 3: Bad og personlig pleje"],
        Q2: ["Rengøring af toilettet tager kortere tid"],
        "Beslutninger": ["Vi prøver vasketoilettet hos to borgere"],
        "Mødeleders egne noter (ikke i deltagernes referat)": [
            "Gruppe 1 var stille – spørg dem først næste gang"],
        "Parkeringsplads": ["Hvem betaler vandregningen?"],
    }  # fmt: skip
    # The clicker still works while typing: Page Down moves on, the text stays where it was.
    typed(page, "halvt skrevet")
    for _ in range(10):  # the group work is longer than the screen: its pages, then on
        page.press("PageDown")
        if day.read()["title"] != "Gruppearbejde 1: Kortlæg kerneopgaver":
            break
    assert day.read()["title"] == "Opsamling i plenum"
    assert focused(page) == "note-text"
    assert page.driver.execute_script("return document.getElementById('note-text').value") == (
        "halvt skrevet"
    )
    page.press("Escape")
    assert focused(page) == "BODY"
    # A reload loses nothing; Nulstil resets the clock and keeps the notes.
    page.driver.refresh()
    page.driver.execute_script(CHOOSE_BLOCK, "gruppearbejde-1")
    assert lists(page)[Q2] == ["Rengøring af toilettet tager kortere tid"]
    page.click("reset")
    page.driver.switch_to.alert.accept()
    page.driver.execute_script(CHOOSE_BLOCK, "gruppearbejde-1")
    assert lists(page)[Q2] == ["Rengøring af toilettet tager kortere tid"]
    # Slet noter deletes them, and only them.
    page.click("notes-delete")
    page.driver.switch_to.alert.accept()
    assert lists(page) == {}


def ctrl(page: Page, key: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(page.driver).key_down("\ue009").send_keys(key).key_up("\ue009").perform()


def photo_with_exif(path: Path) -> None:
    """A phone's photo: 400×200 as stored, EXIF orientation 6 (turn 90° clockwise to see
    it upright), GPS coordinates and a camera name; red at the stored top-left corner."""
    from PIL import Image

    image = Image.new("RGB", (400, 200), "white")
    image.paste((220, 0, 0), (0, 0, 60, 60))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x0110] = "Telefon X"
    exif[0x8825] = {1: "N", 2: (55.0, 40.0, 12.0), 3: "E", 4: (12.0, 34.0, 5.0)}
    image.save(path, "JPEG", exif=exif.tobytes(), quality=92)


def test_notes_saved_with_one_key_loaded_again_and_photos_cleaned(
    day: Screen, tmp_path: Path
) -> None:
    import base64
    import io
    import json

    from PIL import Image

    page = day.page
    downloads = tmp_path / "hentet"
    downloads.mkdir()
    downloads_to(page, downloads)
    page.press(" ")
    day.set(16)
    page.press("ArrowRight")
    page.press("n")
    typed(page, "1: Medicinhåndtering\n")
    page.press("Escape")  # out of the text field: the arrows are the screen's again
    # A photo of the flipover, added to the group work.
    picture = tmp_path / "flipover.jpg"
    photo_with_exif(picture)
    page.driver.find_element("id", "photo-file").send_keys(str(picture))
    page.driver.execute_script("return 0")
    for _ in range(50):
        if page.driver.execute_script("return document.querySelectorAll('#photo-list img').length"):
            break
        page.driver.execute_script("return new Promise(r => setTimeout(r, 100))")
    image_url = page.driver.execute_script("return document.querySelector('#photo-list img').src")
    assert image_url.startswith("data:image/jpeg;base64,")
    stored = base64.b64decode(image_url.split(",", 1)[1])
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (200, 400)  # turned upright
        assert dict(image.getexif()) == {} and "exif" not in image.info
        red, white = image.getpixel((190, 10)), image.getpixel((10, 10))
        assert red[0] > 180 > red[1] and min(white) > 200  # the red corner now at the top right
    assert b"Telefon X" not in stored and b"GPS" not in stored
    # To the closing block: an agreement and the next meeting.
    for _ in range(5):
        page.press("ArrowRight")
    assert page.driver.execute_script(VISIBLE, ["#agreements"]) == [True]
    page.driver.find_element("id", "agreement-what").click()
    typed(page, "Afprøvning hos to borgere\tBente (teamleder)\tinden 1. februar\n")
    page.driver.execute_script(
        "for (const [id, v] of [['follow-date', '2027-01-12'], ['follow-start', '13:00'],"
        " ['follow-minutes', '60'], ['follow-place', 'Mødelokale 2']]) {"
        " const e = document.getElementById(id); e.value = v;"
        " e.dispatchEvent(new Event('change')); }"
    )
    assert page.text("saved-at").startswith("Ikke gemt i fil endnu.")
    day.set(150)
    ctrl(page, "s")  # one key: the notes file
    saved = wait_for_file(downloads)
    assert saved.name == "noter-workshop-om-kerneopgaver-og-kernefaglighed-2026-12-07.json"
    assert page.text("saved-at").startswith("Gemt i fil kl. 15:30.")
    notes = json.loads(saved.read_bytes())
    assert (notes["schema"], notes["version"]) == ("fremfaerd-kit/noter", 1)
    group_work = next(b for b in notes["blocks"] if b["id"] == "gruppearbejde-1")
    assert group_work["points"] == [{"question": 0, "group": 1, "text": "Medicinhåndtering"}]
    assert group_work["photos"][0]["image"] == image_url
    assert notes["agreements"] == [
        {
            "what": "Afprøvning hos to borgere",
            "who": "Bente (teamleder)",
            "when": "inden 1. februar",
        }
    ]
    assert notes["followUp"] == {"date": "2027-01-12", "start": "13:00", "minutes": 60,
                                 "place": "Mødelokale 2"}  # fmt: skip
    events = [(e["event"], e.get("block")) for e in notes["log"]]
    assert events[:4] == [("start", None), ("enter", "velkomst"), ("leave", "velkomst"),
                          ("enter", "gruppearbejde-1")]  # fmt: skip
    assert notes["log"][3]["at"] == "2026-12-07T13:16:00+01:00"
    # Deleted, then loaded again from the file.
    page.click("notes-delete")
    page.driver.switch_to.alert.accept()
    assert (
        page.driver.execute_script("return document.querySelectorAll('#agreement-rows tr').length")
        == 0
    )
    page.driver.find_element("id", "notes-file").send_keys(str(saved))
    for _ in range(50):
        try:
            page.driver.switch_to.alert.accept()
            break
        except Exception:
            page.driver.execute_script("return new Promise(r => setTimeout(r, 100))")
    rows = page.driver.execute_script(
        "return [...document.querySelectorAll('#agreement-rows tr')]"
        ".map(r => r.children[0].textContent)"
    )
    assert rows == ["Afprøvning hos to borgere"]
    page.driver.execute_script(CHOOSE_BLOCK, "gruppearbejde-1")
    assert lists(page)[Q1] == ["Gruppe 1: Medicinhåndtering"]
    serious = [v for v in page.axe() if v.get("impact") in ("serious", "critical")]
    assert serious == [], serious
    # Capture, photos, saving and loading ask nothing of the network.
    urls = page.requests()
    assert urls and all(u.startswith(("file:", "data:", "about:", "blob:")) for u in urls), urls


def test_what_happens_in_the_projectors_window_is_logged_in_the_notes(
    page: Page, screen: Path
) -> None:
    driver = page.driver
    page.open(screen, at(0))
    facilitator = driver.current_window_handle
    projector = page.open_window(screen.as_uri() + "#projektor", at(0))
    page.press(" ")  # Start, in the projector's window
    page.set_now(at(14))
    page.press("ArrowRight")
    driver.switch_to.window(facilitator)
    page.set_now(at(14))
    page.press("n")
    typed(page, "2: Planlægning af ruter\n")
    driver.switch_to.window(projector)
    page.set_now(at(20))
    page.press(" ")  # a pause, from the clicker
    driver.switch_to.window(facilitator)
    page.set_now(at(20))
    notes = driver.execute_script(
        "for (let i = 0; i < localStorage.length; i++) { const k = localStorage.key(i);"
        " if (k.startsWith('fremfaerd-kit-noter:') && !k.includes(':log:'))"
        "   return JSON.parse(localStorage.getItem(k)); }"
    )
    assert [e["event"] for e in notes["log"]] == ["start", "enter", "leave", "enter", "pause"]
    assert notes["blocks"][1]["points"] == [
        {"question": 0, "group": 2, "text": "Planlægning af ruter"}
    ]
    assert not driver.execute_script(
        "return Object.keys(localStorage).filter(k => k.includes(':log:'))"
    )
    driver.switch_to.window(projector)
    driver.close()
    driver.switch_to.window(facilitator)


def test_a_note_the_referat_could_not_print_is_refused_where_it_is_typed(day: Screen) -> None:
    page = day.page
    page.press("n")
    typed(page, "2: Godt arbejde 👍 שלום\n")
    assert lists(page) == {}
    assert page.text("note-problem") == "Referatet kan ikke skrive 👍 ש ל ו ם: skriv det med ord."
    page.driver.execute_script("document.getElementById('note-text').value = ''")
    typed(page, "2: Godt arbejde – 10 % færre skridt\n")
    assert lists(page) == {"Pointer": ["Gruppe 2: Godt arbejde – 10 % færre skridt"]}
    assert page.text("note-problem") == ""


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720), (1920, 1080)])
@pytest.mark.parametrize("view", ["", "#projektor"])
def test_screenshots_of_both_views_cut_nothing_off(
    page: Page, screen: Path, tmp_path: Path, size: tuple[int, int], view: str
) -> None:
    """Each view at each size: the block's title and countdown on the screen, no part wider
    than its column (the capture panel's controls included), the page itself not scrolling."""
    from PIL import Image

    page.open(screen.as_uri() + view, at(0), size=size)
    page.press(" ")
    for _ in range(len(fit_of(page)) - 1):  # the closing block: the agreement table too
        page.press("ArrowRight")
    shot = tmp_path / f"skaerm{view.strip('#') or '-moedeleder'}-{size[0]}.png"
    page.screenshot(shot, size)
    with Image.open(shot) as image:
        assert image.size == size
    seen = page.driver.execute_script(
        "const inside = (id) => { const r = document.getElementById(id).getBoundingClientRect();"
        "  return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth; };"
        "const wide = [...document.querySelectorAll('.side, .current, .capture, .capture *')]"
        "  .filter(e => e.getBoundingClientRect().width > 0 && !e.matches('.visually-hidden'))"
        "  .filter(e => e.getBoundingClientRect().right > innerWidth + 1"
        "    || e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')"
        "  .map(e => e.id || e.className || e.tagName);"
        "return {title: inside('block-title'), countdown: inside('countdown'), wide,"
        "  page: document.documentElement.scrollHeight <= innerHeight + 1};"
    )
    assert seen == {"title": True, "countdown": True, "wide": [], "page": True}, seen
