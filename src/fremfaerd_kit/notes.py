"""The notes file the facilitator screen saves, read as a file someone sends you.

Its schema (`fremfaerd-kit/noter`, version 1) is `docs/notes-schema.md`. The file comes
back from a browser, a mail or a USB stick: edited, damaged, or made by someone else
entirely. So it is read like every other input. The reading gate takes it with a limit;
its structure is counted before Python's JSON parser builds anything (objects and lists,
items, by `str.count` at C speed: a file of twenty million empty lists would take
gigabytes as Python objects); the parser refuses duplicate keys, `NaN` and long numbers;
then every field is checked against the schema with its place in the file
(`notes.json: blocks[3].points[2].text: …`), every problem at once. Texts must be printable
by the kit's font (the referat prints them). Photos are decoded in full and made clean as a
logo is (`kitfile.fit_logo`: upright, sRGB, no EXIF, GPS or other metadata), after their
pixels are counted from their headers.
"""

from __future__ import annotations

import base64
import binascii
import difflib
import io
import json
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypeVar

from .errors import ContentError, Location, Problem
from .intake import MB, read_bytes

SCHEMA = "fremfaerd-kit/noter"
VERSION = 1
NOTES_LIMIT = 64 * MB
"""A notes file as read: fifty photos of the page's 1,600 pixels are about 20 MB."""
MAX_DEPTH = 16
"""Objects and lists inside one another: the schema's deepest is 5."""
MAX_CONTAINERS = 100_000
"""Objects and lists in the file (counted as `{` and `[` anywhere, strings too)."""
MAX_ITEMS = 1_000_000
"""Items of all objects and lists (counted as commas anywhere)."""
MAX_DIGITS = 15
MAX_TEXT = 2_000
"""A point, a decision, a note, an agreement: a few sentences typed on the day."""
MAX_TITLE = 20_000
"""A block's title and its questions: the content library's texts."""
MAX_SHORT = 200
"""Who, when, a place."""
MAX_CAPTION = 500
MAX_BLOCKS = 40
MAX_QUESTIONS = 50
MAX_POINTS = 2_000
MAX_ENTRIES = 500
MAX_LOG = 20_000
MAX_PHOTOS = 50
"""Photos in the whole file."""
PHOTO_LIMIT = 10 * MB
"""One photo, decoded from its base64: the logo's limit."""
MAX_PHOTO_PIXELS = 100_000_000
"""Pixels of all photos together: fifty of the page's two million, decoded in seconds."""
MAX_PROBLEMS = 100
MAX_VARIABLES = 100
"""A kit file's variables (the kit file's own limit)."""
EVENTS = ("start", "enter", "leave", "skip", "pause", "resume", "plus", "minus", "end", "reset")
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Point:
    """What a group (or the plenum) said, under one question of a block."""

    text: str
    question: int | None = None
    group: int | None = None


@dataclass(frozen=True)
class Photo:
    """A photo of the flipover or the post-its: clean image bytes (PNG or JPEG)."""

    image: bytes
    caption: str = ""


@dataclass(frozen=True)
class Block:
    """One agenda block and what was captured in it."""

    id: str
    title: str
    offset: int
    minutes: int
    questions: tuple[str, ...] = ()
    points: tuple[Point, ...] = ()
    decisions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    """The facilitator's own notes: never in the participants' referat."""
    photos: tuple[Photo, ...] = ()


@dataclass(frozen=True)
class Agreement:
    """One row of the agreement table: hvad – hvem – hvornår."""

    what: str
    who: str = ""
    when: str = ""


@dataclass(frozen=True)
class FollowUp:
    """The next meeting, as far as the facilitator wrote it down."""

    day: date | None = None
    start: time | None = None
    minutes: int | None = None
    place: str | None = None


@dataclass(frozen=True)
class LogEntry:
    """One thing that happened on the screen."""

    at: datetime
    event: str
    block: str | None = None
    """A block's id; None for the break, or for an event of no block."""
    minutes: int | None = None
    rehearsal: bool = False
    until: datetime | None = None


@dataclass(frozen=True)
class Meeting:
    """The meeting the notes are of, as the screen knew it."""

    title: str
    tool: str
    tool_label: str
    minutes: int
    groups: int
    place: str | None = None
    day: date | None = None
    start: time | None = None
    variables: tuple[tuple[str, str], ...] = ()
    """The kit's variables the screen was made with (`teknologi`, `arbejdsplads`, …)."""


@dataclass(frozen=True)
class Notes:
    """A notes file, checked: everything the referat and the next kit are made from."""

    meeting: Meeting
    blocks: tuple[Block, ...]
    saved: datetime | None = None
    pause: tuple[int, int] | None = None
    """The break as planned: (minutes after the start, minutes)."""
    parking: tuple[str, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    follow_up: FollowUp | None = None
    log: tuple[LogEntry, ...] = field(default=())


_T = TypeVar("_T")


class _Refused(Exception):
    """The JSON parser met something the schema never has (a duplicate key, NaN)."""


def read_notes(path: Path) -> Notes:
    """The notes file at `path`, checked; a `ContentError` with every problem otherwise."""
    data = read_bytes(path, limit=NOTES_LIMIT, what="notes file")
    return parse_notes(data, path)


def parse_notes(data: bytes, shown: Path | str) -> Notes:
    """The notes file `data` (read from `shown`), checked against the schema."""
    value = _json(data, shown)
    check = _Check(shown)
    notes = check.notes(value)
    if check.problems or notes is None:
        raise ContentError(check.problems[:MAX_PROBLEMS])
    return notes


def _json(data: bytes, shown: Path | str) -> Any:
    def fail(message: str, line: int | None = None, column: int | None = None) -> ContentError:
        return ContentError([Problem(Location(shown, line, column), message)])

    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise fail(f"byte {exc.start}: is not UTF-8; a notes file is UTF-8 JSON") from None
    containers = text.count("{") + text.count("[")
    if containers > MAX_CONTAINERS:
        raise fail(
            f"has more than {MAX_CONTAINERS:,} objects and lists; a notes file has a few hundred"
        )
    if text.count(",") > MAX_ITEMS:
        raise fail(f"has more than {MAX_ITEMS:,} items")

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, item in items:
            if key in out:
                raise _Refused(f"the key {key!r} is in one object twice")
            out[key] = item
        return out

    def number(digits: str) -> int:
        if len(digits.lstrip("-")) > MAX_DIGITS:
            raise _Refused(f"a number of more than {MAX_DIGITS} digits ({digits[:20]}…)")
        return int(digits)

    def constant(name: str) -> Any:
        raise _Refused(f"{name} is not JSON a notes file holds")

    try:
        value = json.loads(text, object_pairs_hook=pairs, parse_int=number, parse_constant=constant)
    except json.JSONDecodeError as exc:
        raise fail(exc.msg, exc.lineno, exc.colno) from None
    except _Refused as exc:
        raise fail(str(exc)) from None
    except RecursionError:
        raise fail(f"is nested more than {MAX_DEPTH} levels deep") from None
    if _depth(value) > MAX_DEPTH:
        raise fail(f"is nested more than {MAX_DEPTH} levels deep")
    return value


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            stack.extend(
                (child, level + 1) for child in (item.values() if isinstance(item, dict) else item)
            )
    return deepest


def _key(where: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{where}[{key}]"
    return f"{where}.{key}" if where else key


class _Check:
    """The schema, field by field; each problem with its key path."""

    def __init__(self, shown: Path | str) -> None:
        self.shown = shown
        self.problems: list[Problem] = []
        self.photos = 0
        self.pixels = 0

    def fail(self, where: str, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(Location(self.shown, path=where), message))

    # --- shapes -------------------------------------------------------------------------------

    def obj(
        self, value: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.fail(where or "(the file)", f"must be an object, not {_kind(value)}")
            return None
        known = (*required, *optional)
        for key in value:
            if key not in known:
                hint = difflib.get_close_matches(key, known, n=1)
                self.fail(
                    _key(where, key),
                    "is not a key of the notes schema"
                    + (f"; did you mean `{hint[0]}`?" if hint else ""),
                )
        for key in required:
            if key not in value:
                self.fail(where or "(the file)", f"`{key}` is missing")
        return value

    def items(self, value: Any, where: str, most: int) -> list[tuple[str, Any]]:
        if not isinstance(value, list):
            self.fail(where, f"must be a list, not {_kind(value)}")
            return []
        if len(value) > most:
            self.fail(where, f"has {len(value):,} items; at most {most:,}")
            return []
        return [(_key(where, i), item) for i, item in enumerate(value)]

    def each(
        self, value: Any, where: str, most: int, read: Callable[[Any, str], _T | None]
    ) -> tuple[_T, ...]:
        """`read` of each item of the list `value` (at most `most`): those that are right."""
        found = (read(item, at) for at, item in self.items(value, where, most))
        return tuple(item for item in found if item is not None)

    def text(
        self, value: Any, where: str, most: int = MAX_TEXT, *, empty: bool = False
    ) -> str | None:
        if not isinstance(value, str):
            self.fail(where, f"must be a text, not {_kind(value)}")
            return None
        if not value.strip() and not empty:
            self.fail(where, "is empty")
            return None
        if len(value) > most:
            self.fail(where, f"has {len(value):,} characters; at most {most:,}")
            return None
        from .textcheck import unsafe

        why = unsafe(value)  # the kit's one check of a text: controls, direction, the fonts
        if why is None and ("\n" in value or "\t" in value):
            why = "contains a line break or a tab; a text of the notes is one line"
        if why:
            self.fail(where, why)
            return None
        return unicodedata.normalize("NFC", value)

    def maybe_text(self, value: Any, where: str, most: int = MAX_TEXT) -> str | None:
        return None if value is None else self.text(value, where, most)

    def whole(self, value: Any, where: str, least: int, most: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, f"must be a whole number, not {_kind(value)}")
            return None
        if not least <= value <= most:
            self.fail(where, f"is {value}; give {least} to {most:,}")
            return None
        return value

    def maybe_whole(self, value: Any, where: str, least: int, most: int) -> int | None:
        return None if value is None else self.whole(value, where, least, most)

    def parsed(self, value: Any, where: str, form: str, read: Callable[[str], Any]) -> Any:
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(where, f"must be {form} or null, not {_kind(value)}")
            return None
        try:
            return read(value)
        except ValueError:
            self.fail(where, f"{value[:40]!r} is not {form}")
            return None

    def day(self, value: Any, where: str) -> date | None:
        found = self.parsed(value, where, "a date YYYY-MM-DD", _day)
        if found is not None and not 1900 <= found.year <= 9998:
            self.fail(where, "give a date between the years 1900 and 9998")
            return None
        return found  # type: ignore[no-any-return]

    def clock(self, value: Any, where: str) -> time | None:
        return self.parsed(value, where, "a time HH:MM", _clock)  # type: ignore[no-any-return]

    def moment(self, value: Any, where: str) -> datetime | None:
        return self.parsed(value, where, "a time 2026-12-07T13:00:00+01:00", _moment)  # type: ignore[no-any-return]

    # --- the file -----------------------------------------------------------------------------

    def notes(self, value: Any) -> Notes | None:
        top = self.obj(
            value,
            "",
            (
                "schema",
                "version",
                "saved",
                "kit",
                "blocks",
                "break",
                "parking",
                "agreements",
                "followUp",
                "log",
            ),
        )
        if top is None:
            return None
        if top.get("schema") != SCHEMA:
            self.fail(
                "schema", f"is {top.get('schema')!r}; a notes file of fremfaerd-kit says {SCHEMA!r}"
            )
            return None
        if top.get("version") != VERSION:
            self.fail("version", f"is {top.get('version')!r}; this kit reads version {VERSION}")
            return None
        saved = self.moment(top.get("saved"), "saved")
        meeting = self.meeting(top.get("kit"))
        groups = meeting.groups if meeting else 30
        blocks = self.each(
            top.get("blocks"), "blocks", MAX_BLOCKS, lambda item, at: self.block(item, at, groups)
        )
        if isinstance(top.get("blocks"), list) and not top["blocks"]:
            self.fail("blocks", "is empty; the agenda has at least one block")
        seen: set[str] = set()
        for i, block in enumerate(blocks):
            if block.id in seen:
                self.fail(f"blocks[{i}].id", f"`{block.id}` is a second block of that id")
            seen.add(block.id)
        pause = None
        if top.get("break") is not None:
            planned = self.obj(top.get("break"), "break", ("offset", "minutes"))
            if planned is not None:
                offset = self.whole(planned.get("offset"), "break.offset", 0, 1440)
                minutes = self.whole(planned.get("minutes"), "break.minutes", 1, 1440)
                pause = (offset, minutes) if offset is not None and minutes is not None else None
        parking = self.each(top.get("parking"), "parking", MAX_ENTRIES, self.entry)
        agreements = self.each(top.get("agreements"), "agreements", MAX_ENTRIES, self.agreement)
        follow_up = self.follow_up(top.get("followUp"))
        log = self.each(
            top.get("log"), "log", MAX_LOG, lambda item, at: self.entry_of_log(item, at, seen)
        )
        if meeting is None or self.problems:
            return None
        return Notes(meeting, blocks, saved, pause, parking, agreements, follow_up, log)

    def meeting(self, value: Any) -> Meeting | None:
        kit = self.obj(
            value,
            "kit",
            ("title", "tool", "toolLabel", "place", "date", "start", "minutes", "groups"),
            ("variables",),
        )
        if kit is None:
            return None
        title = self.text(kit.get("title"), "kit.title", MAX_TITLE)
        tool = kit.get("tool")
        if not isinstance(tool, str) or not ID.match(tool) or len(tool) > 64:
            self.fail("kit.tool", "must be a tool's id (lower-case letters, digits and hyphens)")
            tool = None
        label = self.text(kit.get("toolLabel"), "kit.toolLabel", MAX_SHORT)
        place = self.maybe_text(kit.get("place"), "kit.place", MAX_TITLE)
        day = self.day(kit.get("date"), "kit.date")
        start = self.clock(kit.get("start"), "kit.start")
        minutes = self.whole(kit.get("minutes"), "kit.minutes", 1, 1440)
        groups = self.whole(kit.get("groups"), "kit.groups", 1, 30)
        variables = self.variables(kit.get("variables", {}), "kit.variables")
        if None in (title, tool, label, minutes, groups):
            return None
        return Meeting(title, tool, label, minutes, groups, place, day, start, variables)  # type: ignore[arg-type]

    def variables(self, value: Any, where: str) -> tuple[tuple[str, str], ...]:
        if not isinstance(value, dict):
            self.fail(where, f"must be an object of names and texts, not {_kind(value)}")
            return ()
        if len(value) > MAX_VARIABLES:
            self.fail(where, f"has {len(value)} variables; a kit has at most {MAX_VARIABLES}")
            return ()
        found = []
        for name, text in value.items():
            at = _key(where, name)
            if not ID.match(name) or len(name) > 64:
                self.fail(at, "is not a variable's name (lower-case letters, digits and hyphens)")
                continue
            checked = self.text(text, at, MAX_TITLE)
            if checked is not None:
                found.append((name, checked))
        return tuple(found)

    def block(self, value: Any, where: str, groups: int) -> Block | None:
        b = self.obj(
            value,
            where,
            ("id", "title", "planned", "questions", "points", "decisions", "notes", "photos"),
        )
        if b is None:
            return None
        block_id = b.get("id")
        if not isinstance(block_id, str) or not ID.match(block_id) or len(block_id) > 64:
            self.fail(
                _key(where, "id"), "must be a block's id (lower-case letters, digits and hyphens)"
            )
            block_id = None
        title = self.text(b.get("title"), _key(where, "title"), MAX_TITLE)
        planned = self.obj(b.get("planned"), _key(where, "planned"), ("offset", "minutes"))
        offset = minutes = None
        if planned is not None:
            offset = self.whole(planned.get("offset"), _key(where, "planned.offset"), 0, 1440)
            minutes = self.whole(planned.get("minutes"), _key(where, "planned.minutes"), 1, 1440)

        def inside(key: str) -> str:
            return _key(where, key)

        questions = self.each(
            b.get("questions"), inside("questions"), MAX_QUESTIONS,
            lambda item, at: self.text(item, at, MAX_TITLE),
        )  # fmt: skip
        asked = len(b["questions"]) if isinstance(b.get("questions"), list) else 0
        points = self.each(
            b.get("points"), inside("points"), MAX_POINTS,
            lambda item, at: self.point(item, at, asked, groups),
        )  # fmt: skip
        decisions = self.each(b.get("decisions"), inside("decisions"), MAX_ENTRIES, self.entry)
        own = self.each(b.get("notes"), inside("notes"), MAX_ENTRIES, self.entry)
        photos = self.each(b.get("photos"), inside("photos"), MAX_PHOTOS, self.photo)
        if None in (block_id, title, offset, minutes):
            return None
        return Block(block_id, title, offset, minutes, questions, points, decisions, own, photos)  # type: ignore[arg-type]

    def point(self, value: Any, where: str, asked: int, groups: int) -> Point | None:
        p = self.obj(value, where, ("question", "group", "text"))
        if p is None:
            return None
        text = self.text(p.get("text"), _key(where, "text"))
        question = p.get("question")
        if question is not None:
            question = (
                self.whole(question, _key(where, "question"), 0, max(0, asked - 1))
                if asked
                else None
            )
            if not asked:
                self.fail(_key(where, "question"), "the block has no questions; give null")
        group = self.maybe_whole(p.get("group"), _key(where, "group"), 1, groups)
        if (
            text is None
            or (p.get("question") is not None and question is None)
            or (p.get("group") is not None and group is None)
        ):
            return None
        return Point(text, question, group)

    def entry(self, value: Any, where: str) -> str | None:
        e = self.obj(value, where, ("text",))
        return None if e is None else self.text(e.get("text"), _key(where, "text"))

    def agreement(self, value: Any, where: str) -> Agreement | None:
        a = self.obj(value, where, ("what", "who", "when"))
        if a is None:
            return None
        what = self.text(a.get("what"), _key(where, "what"))
        who = self.text(a.get("who"), _key(where, "who"), MAX_SHORT, empty=True)
        when = self.text(a.get("when"), _key(where, "when"), MAX_SHORT, empty=True)
        if None in (what, who, when):
            return None
        return Agreement(what, who, when)  # type: ignore[arg-type]

    def follow_up(self, value: Any) -> FollowUp | None:
        if value is None:
            return None
        f = self.obj(value, "followUp", ("date", "start", "minutes", "place"))
        if f is None:
            return None
        return FollowUp(
            self.day(f.get("date"), "followUp.date"),
            self.clock(f.get("start"), "followUp.start"),
            self.maybe_whole(f.get("minutes"), "followUp.minutes", 5, 1440),
            self.maybe_text(f.get("place"), "followUp.place", MAX_SHORT),
        )

    def entry_of_log(self, value: Any, where: str, blocks: set[str]) -> LogEntry | None:
        e = self.obj(value, where, ("at", "event"), ("block", "minutes", "rehearsal", "until"))
        if e is None:
            return None
        at = self.moment(e.get("at"), _key(where, "at"))
        event = e.get("event")
        if event not in EVENTS:
            self.fail(_key(where, "event"), f"is {event!r}; one of {', '.join(EVENTS)}")
            event = None
        block = e.get("block")
        if block is not None and (not isinstance(block, str) or block not in blocks):
            self.fail(_key(where, "block"), f"{block!r} is none of the file's blocks")
            block = None
        minutes = self.maybe_whole(e.get("minutes"), _key(where, "minutes"), -1440, 1440)
        rehearsal = e.get("rehearsal", False)
        if not isinstance(rehearsal, bool):
            self.fail(_key(where, "rehearsal"), f"must be true or false, not {_kind(rehearsal)}")
        until = self.moment(e.get("until"), _key(where, "until"))
        if at is None or event is None:
            return None
        return LogEntry(at, event, block, minutes, rehearsal is True, until)

    def photo(self, value: Any, where: str) -> Photo | None:
        p = self.obj(value, where, ("caption", "image"))
        if p is None:
            return None
        caption = self.text(p.get("caption"), _key(where, "caption"), MAX_CAPTION, empty=True)
        self.photos += 1
        if self.photos > MAX_PHOTOS:
            if self.photos == MAX_PHOTOS + 1:
                self.fail(where, f"is one photo more than a notes file may hold ({MAX_PHOTOS})")
            return None
        image = self.image(p.get("image"), _key(where, "image"))
        if caption is None or image is None:
            return None
        return Photo(image, caption)

    def image(self, value: Any, where: str) -> bytes | None:
        if not isinstance(value, str):
            self.fail(where, f"must be a data URL (data:image/jpeg;base64,…), not {_kind(value)}")
            return None
        head, _, body = value.partition(",")
        if head not in ("data:image/jpeg;base64", "data:image/png;base64"):
            self.fail(where, "must be a data URL of a JPEG or PNG image (data:image/jpeg;base64,…)")
            return None
        if len(body) > PHOTO_LIMIT * 4 // 3 + 4:
            self.fail(where, f"is larger than {PHOTO_LIMIT // MB} MB, the most a photo may be")
            return None
        try:
            data = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            self.fail(where, "is not base64 (a data URL's letters, digits, + and /)")
            return None
        pixels = _pixels(data)
        if pixels is None:
            self.fail(where, "is not an image the kit can read (PNG or JPEG)")
            return None
        self.pixels += pixels
        if self.pixels > MAX_PHOTO_PIXELS:
            if self.pixels - pixels > MAX_PHOTO_PIXELS:
                return None  # said at the photo that went past
            self.fail(
                where,
                f"brings the photos past {MAX_PHOTO_PIXELS // 1_000_000} million "
                "pixels in all; save them smaller",
            )
            return None
        from .kitfile import LogoError, fit_logo

        try:
            return fit_logo(data)
        except LogoError as exc:
            self.fail(where, str(exc))
            return None


def _pixels(data: bytes) -> int | None:
    """An image's pixels as its header says, before anything is decoded."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's warning of a large image: counted here
            image = Image.open(io.BytesIO(data))
        with image:
            if image.format not in ("PNG", "JPEG", "MPO"):
                return None
            width, height = image.size
            return int(width * height)
    except Exception:  # Pillow raises many kinds for a header it cannot read
        return None


def _day(text: str) -> date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(text)
    return date.fromisoformat(text)


def _clock(text: str) -> time:
    if not re.fullmatch(r"\d{2}:\d{2}", text):
        raise ValueError(text)
    return time.fromisoformat(text)


def _moment(text: str) -> datetime:
    if not re.fullmatch(
        r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})", text
    ):
        raise ValueError(text)
    moment = datetime.fromisoformat(text)
    if not 1900 <= moment.year <= 9998:
        raise ValueError(text)
    return moment


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def runs(log: tuple[LogEntry, ...]) -> Iterator[tuple[LogEntry, ...]]:
    """The log's runs: a `start` and what follows it until the next `start` or `reset`."""
    run: list[LogEntry] = []
    for entry in log:
        if entry.event in ("start", "reset") and run:
            yield tuple(run)
            run = []
        if entry.event != "reset":
            run.append(entry)
    if run:
        yield tuple(run)
