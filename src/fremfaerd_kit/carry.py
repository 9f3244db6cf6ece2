"""What a workshop's notes carry into the next kit (`kit init NEXT.yaml --from NOTES`).

The sources end a workshop with "Aftal, hvordan input tages med videre i projektet". The
next kit file starts from what was captured: the meeting's place and technology, the next
meeting's date and time, the same tool and groups, and, as variables the templates and
worksheets print, the points under the questions that name what the next phase builds on
(for Værktøj 2 the core tasks and the disciplines; `templates/kit/from-notes.yaml` says
which questions, per tool). The agreements and the parking lot follow as comments, to
keep in view while the kit is edited. Every value is written as a quoted YAML string, so a
point typed on the day is data in the new file too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .notes import Notes
from .resources import templates_dir

MAX_VARIABLE = 20_000
"""A kit file's text (a variable's value): points past it are left out, and said so."""


@dataclass(frozen=True)
class NextKit:
    """The new kit file's text, and what could not go into it."""

    text: str
    notes: tuple[str, ...] = ()


def carried(notes: Notes) -> tuple[dict[str, str], list[str]]:
    """The variables the notes give the next kit: the meeting's own, then the points of
    the questions `from-notes.yaml` names; and a note for each that had to be cut."""
    import yaml

    rules: dict[str, Any] = yaml.safe_load(
        (templates_dir() / "kit" / "from-notes.yaml").read_text(encoding="utf-8")
    )
    variables = {k: v for k, v in notes.meeting.variables if k not in _KIT_KEYS}
    said: list[str] = []
    blocks = {b.id: b for b in notes.blocks}
    for name, rule in (rules.get(notes.meeting.tool) or {}).items():
        block = blocks.get(rule["block"])
        if block is None:
            continue
        points = [p.text for p in block.points if p.question == rule["question"] - 1]
        kept: list[str] = []
        for point in dict.fromkeys(points):  # a point two groups wrote, once
            if len("; ".join([*kept, point])) > MAX_VARIABLE:
                said.append(f"{name}: {len(points) - len(kept)} points left out "
                            f"(a variable holds {MAX_VARIABLE:,} characters)")  # fmt: skip
                break
            kept.append(point)
        if kept:
            variables[name] = "; ".join(kept)
    return variables, said


_KIT_KEYS = {"teknologi": "technology", "arbejdsplads": "workplace", "kommune": "organisation",
             "titel": "title"}  # fmt: skip
"""The variables a kit file sets with keys of its own."""


def next_kit(notes: Notes) -> NextKit:
    """The text of a kit file for the next meeting, from the notes of this one."""
    meeting = notes.meeting
    own = dict(meeting.variables)
    variables, said = carried(notes)
    follow = notes.follow_up

    def q(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML string

    when = f" {meeting.day.isoformat()}" if meeting.day else ""
    lines = [
        f"# The next kit, from the notes of {q(meeting.title)}{when} (kit init --from).",
        "# Edit it, check it with `kit check THIS-FILE.yaml`, build it with `kit build`.",
        "kind: kit",
        "",
        f"title: {q(own.get('titel') or meeting.title)}",
    ]
    for variable, key in _KIT_KEYS.items():
        if variable != "titel" and own.get(variable):
            lines.append(f"{key}: {q(own[variable])}")
    if follow and follow.day:
        lines.append(f"date: {follow.day.isoformat()}                       # the next meeting")
    if follow and follow.start:
        lines.append(f'start: "{follow.start.strftime("%H:%M")}"')
    if follow and follow.minutes:
        lines.append(f"minutes: {follow.minutes}                          # its length")
    lines += [
        f"groups: {meeting.groups}",
        f"tool: {meeting.tool}                        # or the project's next tool: see `kit list`",
    ]
    if variables:
        lines += ["", "# What the workshop found, for the templates and worksheets:", "variables:"]
        lines += [f"  {name}: {q(value)}" for name, value in variables.items()]
    if notes.agreements:
        lines += ["", "# Agreed at the workshop (hvad – hvem – hvornår):"]
        lines += [f"#   {a.what}" + "".join(f" – {x}" for x in (a.who, a.when) if x)
                  for a in notes.agreements]  # fmt: skip
    if notes.parking:
        lines += ["", "# On the parking lot, to take up:"]
        lines += [f"#   {text}" for text in notes.parking]
    return NextKit("\n".join(lines) + "\n", tuple(said))
