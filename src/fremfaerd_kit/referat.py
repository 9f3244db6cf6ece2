"""The referat of a workshop, made from the notes file the facilitator screen saved.

The referat is a document like the guide or the agenda: the Markdown template
`documents/referat.md.j2`, typeset by the same typesetters as PDF and Word, in two versions
(the mødeleder's, and the participants' without the mødeleder's own notes). Beside it: the
agreements as an Excel sheet to follow up on, and the next meeting as a calendar event.

The photos of the flipover and the post-its are the one part the document model has no
element for yet: they follow the typeset document as an appendix, a page each in the PDF
(drawn here, with the kit's font and look, and joined to the document by qpdf) and a
picture each with its caption as alt text at the end of the Word file. The referat's own
Markdown lists them in the order they follow.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from .errors import ContentError, Location, Problem
from .frontmatter import Look
from .library import Library
from .notes import Block, LogEntry, Notes, runs
from .output import redated_zip, zip_time
from .templating import render

FILES = {
    "facilitator": "referat.pdf",
    "participants": "referat-deltagere.pdf",
    "agreements": "aftaler.xlsx",
    "calendar": "naeste-moede.ics",
}
"""The files of a referat; each PDF has a Word twin of the same name (.docx)."""


@dataclass(frozen=True)
class HeldRow:
    """A slot of the agenda: as planned, as held, and what happened during it."""

    title: str
    planned: str
    actual: str
    during: str


@dataclass(frozen=True)
class Referat:
    """Every file of a referat, made in memory: (file name, bytes)."""

    files: tuple[tuple[str, bytes], ...]


def _clock(start: datetime | None, offset: int) -> str:
    if start is None:
        return f"{offset // 60}:{offset % 60:02d}"
    return (start + timedelta(minutes=offset)).strftime("%H:%M")


def _span(a: datetime, b: datetime) -> str:
    minutes = round((b - a).total_seconds() / 60)
    return f"{a.strftime('%H:%M')}–{b.strftime('%H:%M')} ({minutes} min)"


def last_run(notes: Notes) -> tuple[LogEntry, ...]:
    """The run the referat tells: the last one that is no rehearsal (empty if none)."""
    found: tuple[LogEntry, ...] = ()
    for run in runs(notes.log):
        if run and run[0].event == "start" and not run[0].rehearsal:
            found = run
    return found


def held_agenda(notes: Notes) -> tuple[list[HeldRow], dict[str, str | None]]:
    """The agenda as held, beside the plan, from the log of the last run; and when the
    meeting began and ended (`began`, `ended`, `planned_end` as HH:MM, or None)."""
    meeting = notes.meeting
    base = (
        datetime.combine(meeting.day or date(2000, 1, 1), meeting.start) if meeting.start else None
    )
    run = last_run(notes)
    slots: list[tuple[str | None, str, int, int]] = [
        (b.id, b.title, b.offset, b.minutes) for b in notes.blocks
    ]
    if notes.pause is not None:
        slots.append((None, "Pause", *notes.pause))
    slots.sort(key=lambda s: s[2])
    rows = []
    for block_id, title, offset, minutes in slots:
        planned = f"{_clock(base, offset)}–{_clock(base, offset + minutes)} ({minutes} min)"
        mine = [e for e in run if e.block == block_id and e.event not in ("start", "end", "reset")]
        entered = [e.at for e in mine if e.event == "enter"]
        left = [e.at for e in mine if e.event == "leave"]
        ended = [e.at for e in run if e.event == "end"]
        last = mine[-1].event if mine else None
        skipped = len(mine) >= 2 and mine[-2].event == "skip" and last == "leave"
        if not entered:
            actual = "ikke holdt" if run else "–"
        elif skipped:
            actual = "sprunget over"
        else:
            finish = left[-1] if left and left[-1] >= entered[0] else (ended[-1] if ended else None)
            actual = _span(entered[0], finish) if finish else f"fra {entered[0].strftime('%H:%M')}"
        during = []
        pauses = [e.minutes or 0 for e in mine if e.event == "resume"]
        if pauses:
            during.append(f"{len(pauses)} pause{'r' if len(pauses) > 1 else ''}, {sum(pauses)} min")
        changed = sum(e.minutes or 0 for e in mine if e.event in ("plus", "minus"))
        if changed:
            during.append(f"{changed:+d} min undervejs")
        rows.append(HeldRow(title, planned, actual, "; ".join(during) or " "))
    began = run[0].at.strftime("%H:%M") if run else None
    ends = [e.at for e in run if e.event == "end"]
    planned_end = _clock(base, meeting.minutes) if base is not None else None
    return rows, {
        "began": began,
        "ended": ends[-1].strftime("%H:%M") if ends else None,
        "planned_end": planned_end,
    }


def _asked(block: Block) -> list[dict[str, Any]]:
    """The block's questions with the points under each; points under no question last."""
    asked = [
        {"text": q, "points": [p for p in block.points if p.question == i]}
        for i, q in enumerate(block.questions)
    ]
    loose = [p for p in block.points if p.question is None]
    if loose:
        asked.append(
            {"text": "Pointer" if not block.questions else "Andre pointer", "points": loose}
        )
    return asked


def referat_context(
    library: Library,
    notes: Notes,
    *,
    participants: bool,
    variables: dict[str, str] | None = None,
    calendar: str | None = None,
) -> dict[str, Any]:
    """What the referat template sees."""
    meeting = notes.meeting
    tool = library.tools.get(meeting.tool)
    vars = dict(variables or {})
    held, times = held_agenda(notes)
    photos: list[dict[str, str]] = []
    blocks = []
    for block in notes.blocks:
        numbers = []
        for photo in block.photos:
            photos.append({"block": block.title, "caption": photo.caption})
            numbers.append(f"nr. {len(photos)}")
        own = block.notes if not participants else ()
        if block.points or block.decisions or own or block.photos:
            blocks.append(
                {
                    "title": block.title,
                    "asked": _asked(block),
                    "decisions": block.decisions,
                    "notes": block.notes,
                    "photos": numbers,
                }
            )
    follow = notes.follow_up
    follow_end = None
    if follow and follow.start and follow.minutes:
        follow_end = (
            datetime.combine(date(2000, 1, 1), follow.start) + timedelta(minutes=follow.minutes)
        ).strftime("%H:%M")
    place = (
        " · ".join(v for v in (vars.get("kommune"), vars.get("arbejdsplads")) if v) or meeting.place
    )
    publication = library.publications[tool.source.publication] if tool else None
    # The credit in the one form every output prints (Publication.credit).
    source = f"Værktøjet er fra {publication.credit}" if publication else ""
    return {
        "vars": vars,
        "participants": participants,
        "title": vars.get("titel") or meeting.title,
        "tool": tool,
        "tool_label": meeting.tool_label,
        "place": place,
        "day": meeting.day,
        "start": meeting.start.strftime("%H:%M") if meeting.start else None,
        "held": held,
        "ran": bool(last_run(notes)),
        **times,
        "blocks": blocks,
        "decisions": [{"text": d, "block": b.title} for b in notes.blocks for d in b.decisions],
        "agreements": notes.agreements,
        "follow_up": follow,
        "follow_up_end": follow_end,
        "calendar": calendar,
        "parking": notes.parking,
        "checklist": tool.checklist if tool else None,
        "photos": photos,
        "saved": notes.saved,
        "source": source,
        "footer": f"Referat · Kilde: {publication.credit}" if publication else "Referat",
    }


def referat_markdown(
    library: Library,
    notes: Notes,
    *,
    participants: bool = False,
    variables: dict[str, str] | None = None,
    templates: Iterable[Path] = (),
    calendar: str | None = None,
) -> str:
    """The referat as Markdown with front matter (the participants' version: without the
    mødeleder's own notes)."""
    context = referat_context(
        library, notes, participants=participants, variables=variables, calendar=calendar
    )
    return render("documents/referat.md.j2", templates, **context)


def check_tool(library: Library, notes: Notes, shown: Path | str) -> None:
    """The notes' tool must be one the library knows (its checklist and source are read)."""
    if notes.meeting.tool not in library.tools:
        import difflib

        hint = difflib.get_close_matches(notes.meeting.tool, list(library.tools), n=1)
        raise ContentError(
            [
                Problem(
                    Location(shown, path="kit.tool"),
                    f"`{notes.meeting.tool}` is no tool of the library"
                    + (f"; did you mean `{hint[0]}`?" if hint else "")
                    + " (give the kit file whose content folders hold it)",
                )
            ]
        )


def make_referat(
    library: Library,
    notes: Notes,
    *,
    variables: dict[str, str] | None = None,
    templates: Iterable[Path] = (),
    look: Look | None = None,
    paper: str = "a4",
) -> Referat:
    """Every file of the referat, in memory: both versions as PDF and Word, the agreements
    as an Excel sheet, and the next meeting as a calendar event where it has a date and a
    time."""
    from .documents import pdf
    from .typesetters.word import markdown_docx

    templates = tuple(templates)
    look = look or Look()
    follow = notes.follow_up
    calendar = FILES["calendar"] if follow and follow.day and follow.start else None
    files: list[tuple[str, bytes]] = []
    photos = [(b.title, p.image, p.caption) for b in notes.blocks for p in b.photos]
    for version in ("facilitator", "participants"):
        text = referat_markdown(
            library,
            notes,
            participants=version == "participants",
            variables=variables,
            templates=templates,
            calendar=calendar,
        )
        where = f"referat ({version})"
        name = FILES[version]
        document = pdf(text, paper=paper, where=where, look=look)
        word = markdown_docx(text, paper_id=paper, look=look, where=where)
        if photos:
            document = _with_photo_pages(document, photos, paper, look)
            word = _with_pictures(word, photos)
        files += [(name, document), (name.removesuffix(".pdf") + ".docx", word)]
    files.append((FILES["agreements"], agreements_xlsx(notes)))
    if calendar:
        files.append((calendar, follow_up_ics(notes)))
    return Referat(tuple(files))


# --- the photo appendix ------------------------------------------------------------------------


def _with_photo_pages(
    document: bytes, photos: Sequence[tuple[str, bytes, str]], paper: str, look: Look
) -> bytes:
    """The typeset referat with a page for each photo after it."""
    import pikepdf

    from .presets import paper as paper_size

    size = paper_size(paper)
    pages = _photo_pages(photos, size.width, size.height, look)
    with pikepdf.open(io.BytesIO(document)) as whole, pikepdf.open(io.BytesIO(pages)) as extra:
        whole.pages.extend(extra.pages)
        out = io.BytesIO()
        whole.save(out, deterministic_id=True)
    return out.getvalue()


def _photo_pages(
    photos: Sequence[tuple[str, bytes, str]], width_mm: float, height_mm: float, look: Look
) -> bytes:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from . import fonts

    fonts.register()
    out = io.BytesIO()
    page = (width_mm * mm, height_mm * mm)
    canvas = Canvas(out, pagesize=page, invariant=1)
    margin = 20 * mm
    for number, (block, image, caption) in enumerate(photos, 1):
        canvas.setFillColor(HexColor(look.accent))
        canvas.setFont(fonts.BOLD, 13)
        top = page[1] - margin
        canvas.drawString(
            margin,
            top - 13,
            _fitted(f"Billede {number}: {block}", fonts.BOLD, 13, page[0] - 2 * margin),
        )
        canvas.setFillColor(HexColor("#1a1a1a"))
        canvas.setFont(fonts.REGULAR, 10)
        line = top - 32
        if caption:
            canvas.drawString(
                margin, line, _fitted(caption, fonts.REGULAR, 10, page[0] - 2 * margin)
            )
            line -= 18
        reader = ImageReader(io.BytesIO(image))
        w, h = reader.getSize()
        room_w, room_h = page[0] - 2 * margin, line - margin - 14
        scale = min(room_w / w, room_h / h)
        canvas.drawImage(reader, margin, line - h * scale, w * scale, h * scale)
        canvas.setFont(fonts.REGULAR, 8)
        canvas.drawRightString(
            page[0] - margin, margin - 10, f"Bilag · billede {number} af {len(photos)}"
        )
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _fitted(text: str, font: str, size: float, room: float) -> str:
    from . import fonts

    if fonts.width(text, font, size) <= room:
        return text
    while text and fonts.width(text + " …", font, size) > room:
        text = text[:-1]
    return text.rstrip() + " …"


def _with_pictures(word: bytes, photos: Sequence[tuple[str, bytes, str]]) -> bytes:
    """The Word file with each photo after its end: a heading of its own, the picture with
    its caption as alt text, the caption below it."""
    from docx import Document
    from docx.shared import Mm

    doc = Document(io.BytesIO(word))
    for number, (block, image, caption) in enumerate(photos, 1):
        heading = doc.add_heading(f"Billede {number}: {block}", level=3)
        if number == 1:
            heading.paragraph_format.page_break_before = True
        shape = doc.add_picture(io.BytesIO(image), width=Mm(150))
        if shape.height > Mm(190):  # a photo taken upright: as high as a page allows
            shape.width = int(shape.width * Mm(190) / shape.height)
            shape.height = Mm(190)
        shape._inline.docPr.set("descr", caption or f"Billede {number}: {block}")
        if caption:
            doc.add_paragraph(caption)
    out = io.BytesIO()
    doc.save(out)
    return redated_zip(out.getvalue())


# --- the agreements and the next meeting ---------------------------------------------------------


def agreements_xlsx(notes: Notes) -> bytes:
    """The agreement table as an Excel sheet: hvad, hvem, hvornår, and a column to follow
    up in. Every cell is text (a `=` someone typed is never a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Aftaler"
    header = ("Hvad", "Hvem", "Hvornår", "Fulgt op")
    widths = (60, 24, 20, 20)
    for column, (name, width) in enumerate(zip(header, widths, strict=True), 1):
        cell = sheet.cell(row=1, column=column, value=name)
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = width
    for row, agreement in enumerate(notes.agreements, 2):
        for column, value in enumerate((agreement.what, agreement.who, agreement.when), 1):
            cell = sheet.cell(row=row, column=column)
            cell.value = value
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:D{max(1, len(notes.agreements) + 1)}"
    stamp = datetime(*zip_time())
    book.properties.title = f"Aftaler – {notes.meeting.title}"[:250]
    book.properties.creator = book.properties.lastModifiedBy = "fremfaerd-kit"
    book.properties.created = book.properties.modified = stamp
    book.properties.language = "da-DK"
    # openpyxl's save() dates the workbook now; its writer keeps the date given above.
    from openpyxl.writer.excel import ExcelWriter

    out = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)).save()
    return redated_zip(out.getvalue())


def follow_up_ics(notes: Notes) -> bytes:
    """The next meeting as a calendar event (Europe/Copenhagen), the agreements in its
    description."""
    from .agenda import calendar_event

    follow = notes.follow_up
    assert follow is not None and follow.day is not None and follow.start is not None
    minutes = follow.minutes or 60
    lines = [f"Opfølgning på: {notes.meeting.title}", ""]
    if notes.agreements:
        lines.append("Aftaler:")
        lines += [
            f"- {a.what}"
            + (f" ({', '.join(x for x in (a.who, a.when) if x)})" if a.who or a.when else "")
            for a in notes.agreements
        ]
    return calendar_event(
        f"Opfølgning: {notes.meeting.title}",
        datetime.combine(follow.day, follow.start),
        minutes,
        "\n".join(lines),
        key=f"{notes.meeting.tool}|{notes.meeting.title}|opfølgning|{{start}}|{minutes}",
        location=follow.place,
        product="kit referat",
    )
