"""`kit agenda`: the schedule's rules as properties, the source as golden, the outputs read back."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from fremfaerd_kit.agenda import agenda_ics, agenda_markdown, agenda_pdf
from fremfaerd_kit.library import Library, load_library
from fremfaerd_kit.model import Agenda, AgendaBlock, Tool
from fremfaerd_kit.schedule import Schedule, ScheduleError, fit

from .conftest import run_kit
from .pdfread import open_pdf

LIBRARY = load_library()
TOOLS = sorted(LIBRARY.tools)


def block_minutes(schedule: Schedule) -> list[int]:
    return [s.minutes for s in schedule.slots if not s.is_break]


def least_minutes(tool: Tool, step: int) -> int:
    total = 0
    for b in tool.agenda.blocks:
        if b.fixed:
            total += b.minutes
        else:
            total += max(step, -(-(b.min_minutes or 0) // step) * step)
    return total


# --- golden ----------------------------------------------------------------------------


def test_the_tools_own_length_reproduces_the_source(library: Library):
    schedule = fit(library.tool("vaerktoej2"), 120, start=time(13, 0))
    assert block_minutes(schedule) == [10, 30, 10, 30, 10, 20, 10]
    assert schedule.break_slot is None
    titles = [i.block.title for i in schedule.participants() if i.block]
    assert titles == [
        "Velkomst og introduktion",
        "Gruppearbejde 1: Kortlæg kerneopgaver",
        "Gruppearbejde 2: Kernefaglighed i spil",
        "Fælles refleksion",
        "Næste skridt og afslutning",
    ]
    spans = [schedule.span(i.start, i.end) for i in schedule.participants()]
    assert spans == ["13:00–13:10", "13:10–13:50", "13:50–14:30", "14:30–14:50", "14:50–15:00"]


@pytest.mark.parametrize("tool_id", TOOLS)
def test_every_tool_has_an_agenda_at_its_own_length(library: Library, tool_id: str):
    tool = library.tool(tool_id)
    schedule = fit(tool)
    assert block_minutes(schedule) == [b.minutes for b in tool.agenda.blocks]


# --- properties --------------------------------------------------------------------------


@st.composite
def sessions(draw: st.DrawFn) -> tuple[Tool, int, int, bool | None]:
    tool = LIBRARY.tool(draw(st.sampled_from(TOOLS)))
    step = draw(st.sampled_from([1, 5, 10, 15]))
    with_break = draw(st.sampled_from([None, False]))
    least = -(-least_minutes(tool, step) // step) * step
    minutes = draw(st.integers(least // step, 480 // step)) * step
    return tool, minutes, step, with_break


@settings(max_examples=300, deadline=None)
@given(sessions())
def test_scaled_agendas_keep_every_rule(session: tuple[Tool, int, int, bool | None]):
    tool, minutes, step, with_break = session
    schedule = fit(tool, minutes, step=step, with_break=with_break)
    # The total is exactly N, and the slots follow one another from the start.
    assert sum(s.minutes for s in schedule.slots) == minutes
    clock = 0
    for slot in schedule.slots:
        assert slot.start == clock and slot.minutes > 0 and slot.minutes % step == 0
        clock = slot.end
    # Order preserved; every block within its bounds.
    blocks = [s.block for s in schedule.slots if s.block is not None]
    assert blocks == list(tool.agenda.blocks)
    for slot in schedule.slots:
        b = slot.block
        if b is None:
            continue
        assert not b.fixed or slot.minutes == b.minutes
        assert b.min_minutes is None or slot.minutes >= b.min_minutes
        assert b.max_minutes is None or slot.minutes <= b.max_minutes
    # A break never splits a group work from its plenum summary.
    for before, after in pairwise(schedule.slots):
        if before.is_break:
            assert after.block is not None and not after.block.facilitator_only
    # A longer session never shortens a block.
    longer = fit(tool, minutes + step, step=step, with_break=with_break)
    for shorter_block, longer_block in zip(
        block_minutes(schedule), block_minutes(longer), strict=True
    ):
        assert longer_block >= shorter_block
    # The participants' agenda tiles the same clock, on the facilitator's boundaries.
    items = schedule.participants()
    boundaries = {s.start for s in schedule.slots} | {minutes}
    assert items[0].start == 0 and items[-1].end == minutes
    for a, b in pairwise(items):
        assert a.end == b.start
    for item in items:
        assert item.start in boundaries and item.end in boundaries
        assert item.block is None or not item.block.facilitator_only
    shown = {i.block.id for i in items if i.block} | {f.id for i in items for f in i.folded}
    assert shown == {b.id for b in tool.agenda.blocks}


@settings(max_examples=100, deadline=None)
@given(st.integers(35 // 5, 480 // 5))
def test_each_block_stays_within_one_step_of_its_exact_share(units: int):
    tool = LIBRARY.tool("vaerktoej2")
    minutes = units * 5
    schedule = fit(tool, minutes, with_break=False)
    own = [b.minutes for b in tool.agenda.blocks]
    # The exact share: λ·minutes, but never below one step; find λ by bisection.
    low, high = 0.0, 10.0
    for _ in range(100):
        lam = (low + high) / 2
        low, high = (lam, high) if sum(max(5, lam * m) for m in own) < minutes else (low, lam)
    for m, got in zip(own, block_minutes(schedule), strict=True):
        assert abs(got - max(5, high * m)) < 5 + 1e-6


# --- breaks, bounds, errors ----------------------------------------------------------------


def test_a_long_session_gets_a_break_near_the_middle_never_before_a_summary(library: Library):
    tool = library.tool("vaerktoej2")
    schedule = fit(tool, 180, start=time(9, 0))
    pause = schedule.break_slot
    assert pause is not None and pause.minutes == 15
    index = schedule.slots.index(pause)
    following = schedule.slots[index + 1].block
    assert following is not None and not following.facilitator_only
    # Among the boundaries a break may take, the one nearest the middle of the work.
    blocks = [s for s in schedule.slots if not s.is_break]
    work = sum(s.minutes for s in blocks)
    elapsed = [sum(s.minutes for s in blocks[:i]) for i in range(len(blocks))]
    allowed = [i for i in range(1, len(blocks)) if not blocks[i].block.facilitator_only]
    nearest = min(allowed, key=lambda i: (abs(elapsed[i] - work / 2), i))
    assert schedule.slots[index + 1] is blocks[nearest]
    participant_titles = [i.block.title if i.block else "Pause" for i in schedule.participants()]
    assert "Pause" in participant_titles
    assert fit(tool, 180, with_break=False).break_slot is None
    assert fit(tool, 150).break_slot is None  # the threshold itself: no break yet
    assert fit(tool, 120, with_break=True).break_slot is not None


def test_too_short_states_the_possible_range(library: Library):
    with pytest.raises(ScheduleError, match=r"20 minutes does not fit.*at least 35 minutes"):
        fit(library.tool("vaerktoej2"), 20)


def test_too_long_states_the_range_when_every_block_has_a_maximum():
    blocks = [
        AgendaBlock(id="a", title="A", minutes=10, max_minutes=20),
        AgendaBlock(id="b", title="B", minutes=20, min_minutes=10, max_minutes=30),
        AgendaBlock(id="c", title="C", minutes=15, fixed=True),
    ]
    tool = dataclasses.replace(LIBRARY.tool("vaerktoej2"), agenda=Agenda(blocks=blocks))
    with pytest.raises(ScheduleError, match=r"possible: 30–65 minutes in 5-minute steps"):
        fit(tool, 70)
    assert block_minutes(fit(tool, 65)) == [20, 30, 15]
    assert block_minutes(fit(tool, 30)) == [5, 10, 15]
    with pytest.raises(ScheduleError, match=r"fixed at 15 min.*10-minute steps"):
        fit(tool, 60, step=10)


def test_minutes_off_the_step_suggest_the_nearest_steps(library: Library):
    with pytest.raises(ScheduleError, match="try 90 or 95"):
        fit(library.tool("vaerktoej2"), 92)


def test_outside_the_recommended_length_warns(library: Library):
    tool = library.tool("vaerktoej2")
    assert fit(tool, 90).warnings == (
        "Værktøj 2 is meant for 120–240 minutes; 90 minutes is shorter",
    )
    assert fit(tool, 240).warnings == ()
    assert "longer" in fit(tool, 300).warnings[0]


# --- outputs ------------------------------------------------------------------------------


def printed(schedule: Schedule, block: AgendaBlock | None) -> str:
    """A block's title as the agenda prints it: with * where it is the kit's (and only
    some of the titles are)."""
    if block is None:
        return "Pause"
    return block.title + (" *" if schedule.tool.agenda.marked(block) else "")


def expected_lines(schedule: Schedule) -> list[str]:
    lines = []
    for slot in schedule.slots:
        title = printed(schedule, slot.block)
        lines.append(f"{schedule.span(slot.start, slot.end)} · {title} ({slot.minutes} min)")
    return lines


@pytest.mark.parametrize("tool_id", TOOLS)
@pytest.mark.parametrize("minutes", [None, 180])
def test_pdf_has_each_agenda_on_its_page_with_every_block_and_time(
    library: Library, tool_id: str, minutes: int | None
):
    schedule = fit(library.tool(tool_id), minutes, start=time(13, 0), day=date(2026, 12, 7))
    doc = open_pdf(agenda_pdf(library, schedule))
    pages = [" ".join(page.get_text().split()) for page in doc]
    facilitator = " ".join(pages[:-1])  # the participants' agenda is the last page
    order = [facilitator.index(line) for line in expected_lines(schedule)]
    assert order == sorted(order)
    for slot in schedule.slots:
        for note in slot.block.notes if slot.block else []:
            assert " ".join(note.split()) in facilitator
    participants = " ".join(pages[-1:])
    assert "Agenda" in participants
    for item in schedule.participants():
        title = printed(schedule, item.block)
        assert f"{schedule.span(item.start, item.end)} {title} ({item.minutes} min" in participants
    assert "mandag den 7. december 2026" in participants


def test_pdf_of_the_source_length_is_one_page_per_agenda(library: Library):
    schedule = fit(library.tool("vaerktoej2"), start=time(13, 0))
    doc = open_pdf(agenda_pdf(library, schedule))
    assert len(doc) == 2
    assert "Hvad tog I med jer fra i dag?" in doc[0].get_text()
    assert "Dagsorden til workshopdeltagerne" in doc[1].get_text()
    assert len(open_pdf(agenda_pdf(library, schedule, "participants"))) == 1


def test_markdown_holds_every_block_and_time_without_front_matter(library: Library):
    schedule = fit(library.tool("vaerktoej2"), 90, start=time(13, 0))
    text = agenda_markdown(library, schedule)
    assert not text.startswith("---")
    for line in expected_lines(schedule):
        assert f"#### {line}" in text
    for item in schedule.participants():
        title = printed(schedule, item.block)
        assert f"| {schedule.span(item.start, item.end)} | {title} ({item.minutes} min" in text
    assert "Dagsordenen er tilpasset til 1 t 30 min; kilden regner med 2 timer." in text
    only = agenda_markdown(library, schedule, "participants")
    assert "Opsamling i plenum" not in only and "Fælles refleksion" in only


def test_suggested_agendas_say_so(library: Library):
    schedule = fit(library.tool("faelles-ramme"))
    assert "forslag fra fremfaerd-kit" in agenda_markdown(library, schedule, "facilitator")


def test_ics_parses_back_with_start_end_and_the_participants_agenda(library: Library):
    schedule = fit(library.tool("vaerktoej2"), 90, start=time(13, 0), day=date(2026, 12, 7))
    calendar = Calendar.from_ical(agenda_ics(library, schedule))
    (event,) = calendar.walk("VEVENT")
    zone = ZoneInfo("Europe/Copenhagen")
    assert event.decoded("dtstart") == datetime(2026, 12, 7, 13, 0, tzinfo=zone)
    assert event.decoded("dtend") == datetime(2026, 12, 7, 14, 30, tzinfo=zone)
    assert str(event["summary"]) == "Workshop om kerneopgaver og kernefaglighed"
    description = str(event["description"])
    for item in schedule.participants():
        title = item.block.title if item.block else "Pause"
        assert f"{schedule.span(item.start, item.end)}  {title}" in description
    assert "Opsamling" not in description
    assert agenda_ics(library, schedule) == agenda_ics(library, schedule)


def test_ics_needs_a_date_and_a_start(library: Library):
    from fremfaerd_kit.errors import InputError

    with pytest.raises(InputError, match="--date YYYY-MM-DD and --start HH:MM"):
        agenda_ics(library, fit(library.tool("vaerktoej2"), start=time(13, 0)))


# --- the command ------------------------------------------------------------------------


def test_kit_agenda_writes_the_pdf_and_reports_the_break(tmp_path):
    result = run_kit("agenda", "vaerktoej2", "--minutes", "180", "--start", "9:00", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "a 15-minute break" in result.stdout
    assert (tmp_path / "vaerktoej2-dagsorden-180min.pdf").exists()


def test_kit_agenda_markdown_to_stdout(tmp_path):
    result = run_kit(
        "agenda", "vaerktoej2", "--format", "md", "--for", "participants", "-o", "-",
        "--start", "13:00", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (
        "| 13:10–13:50 | Gruppearbejde 1: Kortlæg kerneopgaver "
        "(40 min, heraf 10 min opsamling i plenum) |" in result.stdout
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--minutes", "20"], "vaerktoej2: 20 minutes does not fit its agenda; possible: at least"),
        (["--minutes", "ti"], "Invalid value for '--minutes'"),
        (["--start", "25:00"], "Invalid value for --start: '25:00' is not a time"),
        (["--date", "7/12"], "Invalid value for --date: '7/12' is not a date"),
        (["--format", "ics", "--start", "13:00"], "a calendar event needs --date and --start"),
        (["--for", "alle"], "'alle' is not one of 'facilitator', 'participants', 'both'"),
    ],
)
def test_kit_agenda_bad_input_is_one_line_and_exit_2(tmp_path, args, message):
    result = run_kit("agenda", "vaerktoej2", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_kit_agenda_warns_outside_the_recommended_length(tmp_path):
    result = run_kit("agenda", "vaerktoej2", "--minutes", "90", cwd=tmp_path)
    assert result.returncode == 0
    assert "kit: warning: Værktøj 2 is meant for 120–240 minutes" in result.stderr


@pytest.mark.parametrize(
    ("day", "start", "utc"),
    [
        (date(2026, 12, 7), time(13, 0), datetime(2026, 12, 7, 12, 0, tzinfo=UTC)),  # CET
        (date(2027, 6, 15), time(9, 30), datetime(2027, 6, 15, 7, 30, tzinfo=UTC)),  # CEST
        (date(2027, 3, 28), time(9, 0), datetime(2027, 3, 28, 7, 0, tzinfo=UTC)),  # switch day
    ],
)
def test_ics_time_zone_is_complete_for_a_second_parser(library: Library, day, start, utc):
    """RFC 5545: a VTIMEZONE has STANDARD and DAYLIGHT parts. vobject builds its own time
    zone from them (not from a zone database), so the UTC start it gives proves them."""
    import vobject

    schedule = fit(library.tool("vaerktoej2"), 120, start=start, day=day)
    text = agenda_ics(library, schedule).decode()
    zone = text[text.index("BEGIN:VTIMEZONE") : text.index("END:VTIMEZONE")]
    assert "BEGIN:STANDARD" in zone and "BEGIN:DAYLIGHT" in zone
    event = vobject.readOne(text).vevent
    assert event.dtstart.value.astimezone(UTC) == utc
    assert event.dtend.value.astimezone(UTC) == utc + timedelta(minutes=120)


def test_equal_group_works_stay_within_a_step_and_equal_where_the_quotas_allow():
    from fremfaerd_kit.errors import InputError

    tool = LIBRARY.tool("vaerktoej2")
    for minutes in range(35, 481, 5):
        try:
            schedule = fit(tool, minutes)
        except InputError:
            continue
        by_id = {s.block.id: s.minutes for s in schedule.slots if s.block}
        group_works = [by_id[b.id] for b in tool.agenda.blocks if b.group_work]
        assert max(group_works) - min(group_works) <= 5, minutes
    # The cases: equal in the source (30 and 30), equal at 90 and 200 minutes too,
    # the odd step going to another block.
    for minutes, expected in ((90, 20), (200, 45)):
        slots = [s for s in fit(tool, minutes).slots if s.block and s.block.group_work]
        assert [s.minutes for s in slots] == [expected, expected]
