"""Agendas as documents: the fitted schedule rendered as PDF, Markdown or a calendar event."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from .errors import InputError
from .frontmatter import Look, split_front_matter
from .library import Library
from .output import source_date_epoch
from .resources import templates_dir
from .schedule import Schedule
from .templating import render, values

Audience = Literal["facilitator", "participants", "both"]
Format = Literal["pdf", "md", "ics", "docx"]
AUDIENCES: dict[str, tuple[str, ...]] = {
    "facilitator": ("facilitator",),
    "participants": ("participants",),
    "both": ("facilitator", "participants"),
}
TIMEZONE = "Europe/Copenhagen"


def context(
    library: Library,
    schedule: Schedule,
    audience: Audience = "both",
    variables: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """What the agenda templates see."""
    tool = schedule.tool
    return {
        "vars": values(variables),
        "tool": tool,
        "schedule": schedule,
        "items": schedule.participants(),
        "questions": {g.id: library.questions(tool, g.id) for g in tool.group_work},
        "question_headings": {g.id: library.question_heading(tool, g.id) for g in tool.group_work},
        "publication": library.publications[tool.source.publication],
        "audiences": AUDIENCES[audience],
        # "Se de næste sider for instruktion til øvelserne" only where such pages follow;
        # no agenda the kit prints is followed by them.
        "instructions_follow": False,
    }


def agenda_markdown(
    library: Library,
    schedule: Schedule,
    audience: Audience = "both",
    *,
    templates: Iterable[Path] = (),
    front_matter: bool = False,
    variables: Mapping[str, str] | None = None,
) -> str:
    """The agenda as Markdown; without front matter, the text to paste into an invitation."""
    text = render(
        "documents/agenda.md.j2", templates, **context(library, schedule, audience, variables)
    )
    return text if front_matter else split_front_matter(text)[1].lstrip("\n")


def agenda_pdf(
    library: Library,
    schedule: Schedule,
    audience: Audience = "both",
    *,
    paper: str = "a4",
    templates: Iterable[Path] = (),
    look: Look | None = None,
    variables: Mapping[str, str] | None = None,
) -> bytes:
    """The agenda as a PDF: one A4 page per agenda where it fits."""
    from .typesetters.pdf import markdown_pdf

    text = agenda_markdown(
        library, schedule, audience, templates=templates, front_matter=True, variables=variables
    )
    return markdown_pdf(
        text,
        paper_id=paper,
        look=look,
        where=f"agenda of {schedule.tool.id}",
        pages=len(AUDIENCES[audience]),  # each agenda on one page
    )


def _stamp(schedule_start: datetime) -> datetime:
    epoch = source_date_epoch()
    if epoch is not None:
        return datetime.fromtimestamp(epoch, UTC)
    # Reproducible without it: the event's own start stands in for "created at".
    return schedule_start.astimezone(UTC)


def agenda_ics(
    library: Library,
    schedule: Schedule,
    *,
    timezone: str = TIMEZONE,
    templates: Iterable[Path] = (),
    location: str | None = None,
) -> bytes:
    """One calendar event for the session, the participants' agenda in its description."""
    if schedule.starts_at is None:
        raise InputError("a calendar event needs --date YYYY-MM-DD and --start HH:MM")
    tool = schedule.tool
    description = render(
        "documents/agenda-event.txt.j2", templates, **context(library, schedule, "participants")
    ).strip()
    return calendar_event(
        tool.meeting.title,
        schedule.starts_at,
        schedule.minutes,
        description,
        key=f"{tool.id}|{{start}}|{schedule.minutes}|{tool.meeting.title}",
        location=location,
        timezone=timezone,
        product="kit agenda",
    )


def calendar_event(
    summary: str,
    starts_at: datetime,
    minutes: int,
    description: str,
    *,
    key: str,
    location: str | None = None,
    timezone: str = TIMEZONE,
    product: str,
) -> bytes:
    """A calendar (ICS) of one event at `starts_at` (local time in `timezone`), with the
    zone's full VTIMEZONE. `key` makes its UID (`{start}` is filled with the start), so the
    same event gives the same file and a calendar recognises it when it is sent again."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from icalendar import Calendar, Event

    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(f"unknown time zone {timezone!r}") from None
    start = starts_at.replace(tzinfo=zone)
    end = start + timedelta(minutes=minutes)
    unique = key.replace("{start}", start.isoformat())
    uid = hashlib.sha256(unique.encode()).hexdigest()[:32] + "@fremfaerd-kit"

    calendar = Calendar()
    calendar.add("prodid", f"-//fremfaerd-kit//{product}//DA")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", _stamp(start))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", summary)
    event.add("description", description)
    if location:
        event.add("location", location)
    calendar.add_component(_vtimezone(timezone, start, end))
    calendar.add_component(event)
    return bytes(calendar.to_ical())


def _vtimezone(timezone: str, start: datetime, end: datetime) -> Any:
    """The zone as RFC 5545 wants it, with its STANDARD and DAYLIGHT parts.

    For Copenhagen since the EU's rules of 1996, the canonical rule-based definition that
    calendar programs write themselves (`templates/calendar/`); otherwise one generated
    from the zone database for the years around the meeting.
    """
    from icalendar import Component, Timezone

    canonical = templates_dir() / "calendar" / f"{timezone.replace('/', '-')}.ics"
    if canonical.is_file() and start.year >= 1997:
        return Component.from_ical(canonical.read_text(encoding="utf-8"))
    year = timedelta(days=366)
    return Timezone.from_tzid(timezone, first_date=start.date() - year, last_date=end.date() + year)


def render_agenda(
    library: Library,
    schedule: Schedule,
    *,
    fmt: Format = "pdf",
    audience: Audience = "both",
    paper: str = "a4",
    templates: Iterable[Path] = (),
    look: Look | None = None,
    variables: Mapping[str, str] | None = None,
) -> bytes:
    """The agenda as bytes in `fmt`."""
    templates = tuple(templates)
    options: dict[str, Any] = {"templates": templates, "variables": variables}
    if fmt == "pdf":
        return agenda_pdf(library, schedule, audience, paper=paper, look=look, **options)
    if fmt == "md":
        return agenda_markdown(library, schedule, audience, **options).encode()
    if fmt == "docx":
        from .typesetters.word import markdown_docx

        text = agenda_markdown(library, schedule, audience, front_matter=True, **options)
        return markdown_docx(text, paper_id=paper, look=look, where=f"agenda of {schedule.tool.id}")
    return agenda_ics(library, schedule, templates=templates)
