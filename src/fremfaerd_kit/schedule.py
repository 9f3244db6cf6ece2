"""Fit a tool's agenda to the minutes a meeting actually has.

The facilitator's agenda is the single source. Its blocks scale in proportion, in whole
steps (5 minutes by default), within each block's minimum and maximum, in their order,
and add up to exactly the session's length. The participants' agenda is derived from the
same slots, so the two always agree on the clock.

Why not plain largest remainder: rounding each length afresh for every session length
suffers the Alabama paradox (one more step can take a step *away* from a block), so a
longer session could shorten a block. Here the steps are handed out one at a time, from
the shortest possible session up to the one asked for, each to the block furthest below
its exact proportional share and never beyond that share rounded up (a quota method after
Balinski and Young). A longer session therefore never shortens a block, every block stays
within one step of its share, and at the tool's own length every block gets exactly its
own minutes.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from math import ceil

from .errors import InputError
from .model import AgendaBlock, Tool


class ScheduleError(InputError):
    """The session cannot be scheduled as asked (too short, too long, bad step)."""


@dataclass(frozen=True)
class Slot:
    """One block or the break, placed on the clock (`start` is minutes after the start)."""

    start: int
    minutes: int
    block: AgendaBlock | None = None

    @property
    def end(self) -> int:
        return self.start + self.minutes

    @property
    def is_break(self) -> bool:
        return self.block is None


@dataclass(frozen=True)
class ParticipantItem:
    """One item of the participants' agenda: a block with the facilitator-only blocks after it."""

    start: int
    end: int
    block: AgendaBlock | None
    folded: tuple[AgendaBlock, ...] = ()
    folded_minutes: int = 0
    """Of `minutes`, those of the folded blocks (the agenda says so beside the item's)."""

    @property
    def minutes(self) -> int:
        return self.end - self.start

    @property
    def is_break(self) -> bool:
        return self.block is None


@dataclass(frozen=True)
class Schedule:
    """A tool's agenda fitted to `minutes`, optionally anchored at a date and a start time."""

    tool: Tool
    minutes: int
    step: int
    slots: tuple[Slot, ...]
    start: time | None = None
    day: date | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def break_slot(self) -> Slot | None:
        return next((s for s in self.slots if s.is_break), None)

    def participants(self) -> list[ParticipantItem]:
        """The participants' agenda: facilitator-only blocks fold into the item before them."""
        items: list[ParticipantItem] = []
        pending: list[Slot] = []  # facilitator-only slots before the first visible one
        for slot in self.slots:
            if slot.block is not None and slot.block.facilitator_only:
                if items and not items[-1].is_break:
                    last = items[-1]
                    items[-1] = ParticipantItem(
                        last.start, slot.end, last.block, (*last.folded, slot.block),
                        last.folded_minutes + slot.minutes,
                    )  # fmt: skip
                else:
                    pending.append(slot)
                continue
            start = pending[0].start if pending else slot.start
            folded = tuple(p.block for p in pending if p.block is not None)
            early = sum(p.minutes for p in pending)
            items.append(ParticipantItem(start, slot.end, slot.block, folded, early))
            pending = []
        return items

    def clock(self, offset: int) -> str:
        """`HH:MM` of a point `offset` minutes into the session (elapsed `H:MM` without a start)."""
        if self.start is None:
            return f"{offset // 60}:{offset % 60:02d}"
        moment = datetime.combine(self.day or date(2000, 1, 1), self.start)
        return (moment + timedelta(minutes=offset)).strftime("%H:%M")

    def span(self, start: int, end: int) -> str:
        """`13:10–13:50`, the clock times of a slot or item."""
        return f"{self.clock(start)}–{self.clock(end)}"

    @property
    def starts_at(self) -> datetime | None:
        if self.start is None or self.day is None:
            return None
        return datetime.combine(self.day, self.start)


@dataclass(frozen=True)
class _Bounds:
    """A block in steps: its own length, and the least and most it may get (None: no most)."""

    own: Fraction
    least: int
    most: int | None
    kind: tuple[object, ...] = ()
    """Blocks of one kind and the same own length, bounds included, are twins."""


def _bounds(tool: Tool, step: int) -> list[_Bounds]:
    bounds = []
    for block in tool.agenda.blocks:
        if block.fixed:
            if block.minutes % step:
                raise ScheduleError(
                    f"{tool.id}: block {block.id!r} is fixed at {block.minutes} min, "
                    f"which is not a whole number of {step}-minute steps; choose another --step"
                )
            least = block.minutes // step
            most: int | None = least
        else:
            least = max(1, ceil(block.min_minutes / step)) if block.min_minutes else 1
            most = block.max_minutes // step if block.max_minutes else None
            if most is not None and most < least:
                raise ScheduleError(
                    f"{tool.id}: block {block.id!r} cannot be between {block.min_minutes} and "
                    f"{block.max_minutes} min in {step}-minute steps; choose another --step"
                )
        kind = (block.group_work is not None, block.facilitator_only, block.fixed)
        bounds.append(_Bounds(Fraction(block.minutes, step), least, most, kind))
    return bounds


class _Shares:
    """Exact proportional shares: clamp(λ·own, least, most) summing to a total (in steps).

    The sum is piecewise linear and non-decreasing in λ, with corners where a block meets
    its least or its most. The corners are found once; a total is then placed on its piece
    and λ solved exactly by linear interpolation.
    """

    def __init__(self, bounds: list[_Bounds]) -> None:
        self.bounds = bounds
        corners = {Fraction(0)} | {b.least / b.own for b in bounds}
        corners |= {b.most / b.own for b in bounds if b.most is not None}
        self.points = sorted(corners)
        self.sums = [sum(self.at(p)) for p in self.points]
        # Past the last corner only the blocks without a most still grow.
        self.tail_slope = sum((b.own for b in bounds if b.most is None), Fraction(0))

    def at(self, lam: Fraction) -> list[Fraction]:
        out = []
        for b in self.bounds:
            value = max(Fraction(b.least), lam * b.own)
            out.append(min(value, Fraction(b.most)) if b.most is not None else value)
        return out

    def __call__(self, total: int) -> list[Fraction]:
        index = bisect_left(self.sums, total)
        if index == 0:
            return self.at(self.points[0])
        if index == len(self.sums):
            lam = self.points[-1] + (total - self.sums[-1]) / self.tail_slope
        else:
            p0, p1 = self.points[index - 1], self.points[index]
            s0, s1 = self.sums[index - 1], self.sums[index]
            lam = p0 + (total - s0) * (p1 - p0) / (s1 - s0)
        return self.at(lam)


def allocate(bounds: list[_Bounds], total: int) -> list[int]:
    """Whole steps per block summing to `total`, monotone in `total` (see the module doc).

    Twins (blocks of one kind with equal own lengths and bounds, such as Værktøj 2's two
    group works) are kept equal where the quotas allow: a step that would part equal
    twins goes to another block, and when one twin is a step ahead the next step goes to
    the other, in both cases unless that would leave some block a whole step or more
    below its share. Steps are still handed out one at a time, so a longer session still
    never shortens a block.
    """
    given: list[int] = []
    for given in allocations(bounds, total):  # noqa: B007 (the last one is the answer)
        pass
    return given


def allocations(bounds: list[_Bounds], total: int) -> Iterator[list[int]]:
    """`allocate` for every total from the least the blocks take up to `total`, in turn.

    Steps are handed out one at a time, so the allocation for one more step is the one
    before it plus that step: one pass yields all of them (a copy each).
    """
    given = [b.least for b in bounds]
    yield list(given)
    shares_for = _Shares(bounds)
    twins = [
        [j for j, c in enumerate(bounds) if (c.own, c.least, c.most, c.kind) == key]
        for key in dict.fromkeys((b.own, b.least, b.most, b.kind) for b in bounds)
    ]
    # The longest twins first: two group works matter more than two summaries.
    twins = sorted((g for g in twins if len(g) > 1), key=lambda g: -bounds[g[0]].own)
    for size in range(sum(given) + 1, total + 1):
        shares = shares_for(size)

        def allowed(i: int, shares: list[Fraction] = shares) -> bool:
            most = bounds[i].most
            return given[i] + 1 <= ceil(shares[i]) and (most is None or given[i] + 1 <= most)

        best: tuple[Fraction, Fraction, int] | None = None
        for i, b in enumerate(bounds):
            if not allowed(i):
                continue
            key = (shares[i] - given[i], b.own, -i)
            if best is None or key > best:
                best = key
        assert best is not None, "a share below its quota always exists"
        choice = -best[2]
        split = next((g for g in twins if choice in g and len({given[i] for i in g}) == 1), None)
        if split is not None:  # the step would part equal twins: another block, if it may
            others = [i for i in range(len(bounds)) if i not in split and allowed(i)]
            for i in sorted(others, key=lambda i: -(shares[i] - given[i])):
                after = [g + (j == i) for j, g in enumerate(given)]
                if all(share - g < 1 for share, g in zip(shares, after, strict=True)):
                    choice = i
                    break
        for group in twins:
            behind = [i for i in group if given[i] < max(given[j] for j in group)]
            if behind and choice not in group and allowed(behind[0]):
                after = [g + (i == behind[0]) for i, g in enumerate(given)]
                if all(share - g < 1 for share, g in zip(shares, after, strict=True)):
                    choice = behind[0]
                    break
        given[choice] += 1
        yield list(given)


def _break_position(blocks: list[AgendaBlock], lengths: list[int]) -> int | None:
    """Index of the block the break goes before: the boundary nearest the middle.

    Never before a facilitator-only block (a plenum summary belongs to the group work
    before it), never before the first block or after the last.
    """
    total = sum(lengths)
    best: tuple[Fraction, int] | None = None
    elapsed = 0
    for i in range(1, len(blocks)):
        elapsed += lengths[i - 1]
        if blocks[i].facilitator_only:
            continue
        key = (abs(Fraction(elapsed) - Fraction(total, 2)), i)
        if best is None or key < best:
            best = key
    return None if best is None else best[1]


def _steps_label(step: int) -> str:
    return f"in {step}-minute steps" if step != 1 else "in whole minutes"


MAX_MINUTES = 24 * 60
"""The longest session, on the command line as in a kit file."""


def _can_break(tool: Tool) -> bool:
    blocks = tool.agenda.blocks
    return len(blocks) > 1 and any(not b.facilitator_only for b in blocks[1:])


def _work(tool: Tool, total: int, step: int, with_break: bool | None) -> int:
    """The minutes of a `total`-minute session that go to the blocks (the rest: the break)."""
    agenda = tool.agenda
    pause = ceil(agenda.break_minutes / step) * step
    threshold = agenda.break_after_minutes
    if with_break is False or not _can_break(tool):
        return total
    if with_break is True:
        return total - pause
    if threshold is not None and total > threshold:
        # The break grows to its full length over the first minutes past the threshold,
        # so the blocks never get shorter when the session gets longer.
        return max(threshold - threshold % step, total - pause)
    return total


def fit(
    tool: Tool,
    minutes: int | None = None,
    *,
    step: int = 5,
    with_break: bool | None = None,
    start: time | None = None,
    day: date | None = None,
) -> Schedule:
    """Fit `tool`'s agenda to `minutes` (default: its own length).

    `with_break`: None inserts the tool's break once the session passes its threshold,
    True always, False never. Raises `ScheduleError` when it cannot be done.
    """
    agenda = tool.agenda
    total = agenda.minutes if minutes is None else minutes
    if step < 1 or step > 60:
        raise ScheduleError(f"a step of {step} minutes: give a step between 1 and 60 minutes")
    if not 1 <= total <= MAX_MINUTES:
        raise ScheduleError(
            f"{total} minutes: give a length from 1 to {MAX_MINUTES} minutes (24 hours)"
        )
    if total % step:
        raise ScheduleError(
            f"{total} minutes is not a whole number of {step}-minute steps; "
            f"try {total - total % step or step} or {total - total % step + step}"
        )
    if day is not None and not 1900 <= day.year <= 9998:
        raise ScheduleError(f"the date {day}: give a date between the years 1900 and 9998")
    bounds = _bounds(tool, step)
    least = sum(b.least for b in bounds) * step
    most = None if any(b.most is None for b in bounds) else sum(b.most or 0 for b in bounds) * step
    if with_break is True and not _can_break(tool):
        raise ScheduleError(f"{tool.id}: the agenda has no place for a break")
    work = _work(tool, total, step, with_break)
    extra = total - work
    if work < least or (most is not None and work > most):
        low = least + extra if with_break is True else least
        span = f"{low}–{most + extra}" if most is not None else f"at least {low}"
        raise ScheduleError(
            f"{tool.id}: {total} minutes does not fit its agenda; possible: {span} minutes "
            f"{_steps_label(step)}"
        )

    lengths = [n * step for n in allocate(bounds, work // step)]
    blocks = list(agenda.blocks)
    position = _break_position(blocks, lengths) if extra else None
    slots: list[Slot] = []
    clock = 0
    for i, (block, length) in enumerate(zip(blocks, lengths, strict=True)):
        if i == position:
            slots.append(Slot(clock, extra))
            clock += extra
        slots.append(Slot(clock, length, block))
        clock += length

    warnings = []
    if tool.duration is not None and not (
        tool.duration.min_minutes <= total <= tool.duration.max_minutes
    ):
        side = "shorter" if total < tool.duration.min_minutes else "longer"
        warnings.append(
            f"{tool.label} is meant for {tool.duration.min_minutes}–{tool.duration.max_minutes} "
            f"minutes; {total} minutes is {side}"
        )
    return Schedule(tool, total, step, tuple(slots), start, day, tuple(warnings))


@dataclass(frozen=True)
class Rest:
    """The slots from `index` on, fitted afresh to each length the rest of a session may have.

    On the day a session runs late or early; the blocks still to come are fitted to the
    time that is left by the same rules as the whole agenda (their own lengths in
    proportion, minimums, maximums, fixed blocks, twins, the step), and a break still to
    come keeps its length. `lengths[i]` is the minutes of each slot when `least + i·step`
    minutes are left.

    Running early, the rest stretches only so far: no block gets more than its ceiling
    (`ceilings`), so a group far ahead is offered an early end rather than a closing block
    of an hour. The table stops where every block of the rest is at its ceiling.
    """

    index: int
    step: int
    least: int
    lengths: tuple[tuple[int, ...], ...]

    @property
    def most(self) -> int:
        return self.least + (len(self.lengths) - 1) * self.step


def _longest(schedule: Schedule) -> int:
    """The session length whose shares are the blocks' ceilings on the day: the longest the
    tool recommends (twice its own length where it names none), or the session if longer."""
    tool = schedule.tool
    duration = tool.duration
    longest = duration.max_minutes if duration is not None else 2 * tool.agenda.minutes
    return max(schedule.minutes, longest - longest % schedule.step)


def _day_bounds(schedule: Schedule) -> list[_Bounds]:
    """The blocks' bounds on the day: their own, and at most their ceiling.

    A block's ceiling is its exact proportional share at the tool's longest recommended
    length, rounded up to a whole step. It is never below its share at the session's own
    length (a longer session never gives a block less), so the fit of the whole session is
    the same with the ceilings as without them."""
    step = schedule.step
    bounds = _bounds(schedule.tool, step)
    # The break as the tool places it at its longest; never less than the session's blocks.
    work = max(
        _work(schedule.tool, _longest(schedule), step, None),
        sum(slot.minutes for slot in schedule.slots if not slot.is_break),
    )
    shares = _Shares(bounds)
    top = shares.sums[-1]
    if shares.tail_slope == 0 and work // step >= top:  # every block has a most, and is at it
        exact = shares.at(shares.points[-1])
    else:
        exact = shares(work // step)
    out = []
    for b, share in zip(bounds, exact, strict=True):
        ceiling = max(b.least, ceil(share))
        most = ceiling if b.most is None else min(b.most, ceiling)
        out.append(_Bounds(b.own, b.least, most, b.kind))
    return out


@dataclass(frozen=True)
class SlotBounds:
    """What a slot may be on the day, in minutes: its least, its own most (None: no most),
    and its ceiling, the most that fitting the rest again gives it (a break: its length)."""

    least: int
    most: int | None
    ceiling: int


def day_bounds(schedule: Schedule) -> tuple[SlotBounds, ...]:
    """The bounds of every slot of `schedule` on the day (see `Rest`)."""
    step = schedule.step
    own = iter(_bounds(schedule.tool, step))
    day = iter(_day_bounds(schedule))
    out = []
    for slot in schedule.slots:
        if slot.is_break:
            out.append(SlotBounds(slot.minutes, slot.minutes, slot.minutes))
            continue
        b, d = next(own), next(day)
        most = None if b.most is None else b.most * step
        out.append(SlotBounds(b.least * step, most, (d.most or 0) * step))
    return tuple(out)


def _rest_parts(schedule: Schedule, index: int) -> tuple[list[_Bounds], list[int | None], int]:
    """The day's bounds of the blocks from slot `index` on, the slots' layout (a block's
    place among them, None for the break) and the minutes of a break still to come."""
    if not 0 <= index < len(schedule.slots):
        raise ScheduleError(f"slot {index}: the agenda has {len(schedule.slots)} slots")
    bounds = _day_bounds(schedule)
    first = sum(1 for slot in schedule.slots[:index] if not slot.is_break)
    layout: list[int | None] = []
    pause = 0
    for slot in schedule.slots[index:]:
        if slot.is_break:
            layout.append(None)
            pause += slot.minutes
        else:
            layout.append(first + sum(1 for x in layout if x is not None))
    chosen = [bounds[i] for i in layout if i is not None]
    return chosen, layout, pause


def _lay_out(layout: list[int | None], given: list[int], step: int, pause: int) -> tuple[int, ...]:
    steps = iter(given)
    return tuple(pause if place is None else next(steps) * step for place in layout)


def _range(bounds: list[_Bounds], step: int, pause: int, longest: int) -> tuple[int, int]:
    """The least and most minutes the rest can take (at most `longest`, the session)."""
    least = sum(b.least for b in bounds) * step + pause
    if all(b.most is not None for b in bounds):
        longest = min(longest, sum(b.most or 0 for b in bounds) * step + pause)
    return least, longest


def rest(schedule: Schedule, index: int) -> Rest:
    """Every fit of the slots from `index` on, up to the session's own length or until
    every block is at its ceiling."""
    bounds, layout, pause = _rest_parts(schedule, index)
    step = schedule.step
    least, most = _range(bounds, step, pause, schedule.minutes)
    rows = [
        _lay_out(layout, given, step, pause)
        for given in allocations(bounds, (most - pause) // step)
    ]
    return Rest(index, step, least, tuple(rows) if most >= least else ())


def refit(schedule: Schedule, index: int, minutes: int) -> tuple[int, ...]:
    """The minutes of each slot from `index` on when `minutes` are left at its start
    (within the day's ceilings, like `rest`)."""
    bounds, layout, pause = _rest_parts(schedule, index)
    step = schedule.step
    least, most = _range(bounds, step, pause, MAX_MINUTES)
    if minutes % step or not least <= minutes <= most:
        raise ScheduleError(
            f"{minutes} minutes from slot {index}: give {least}–{most} minutes {_steps_label(step)}"
        )
    return _lay_out(layout, allocate(bounds, (minutes - pause) // step), step, pause)
