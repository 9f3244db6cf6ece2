"""Guides, worksheets and handouts: every word of the source on the page, inside the margins."""

from __future__ import annotations

import re

import pymupdf
import pytest

from fremfaerd_kit.documents import guide_markdown, handout_markdown, pdf, worksheet_markdown
from fremfaerd_kit.errors import InputError
from fremfaerd_kit.library import Library, load_library
from fremfaerd_kit.presets import MM
from fremfaerd_kit.typesetters.pdf import MARGIN, MARGIN_Y, markdown_pdf

from .conftest import run_kit
from .pdfread import open_pdf, unhyphenated

LIBRARY = load_library()
TOOLS = sorted(LIBRARY.tools)
HANDOUTS = sorted(LIBRARY.handouts)


def flat(text: str) -> str:
    return " ".join(text.split())


def page_texts(doc: pymupdf.Document) -> list[str]:
    return [flat(unhyphenated(page.get_text())) for page in doc]


def body_text(doc: pymupdf.Document) -> str:
    """The pages' text without the running header and footer: a paragraph that goes on
    to the next page reads on."""
    lines = []
    for page in doc:
        for block in page.get_text("blocks"):
            if block[1] >= MARGIN_Y - 0.5 and block[3] <= page.rect.height - MARGIN_Y + 0.5:
                lines.append(block[4])
    return flat(unhyphenated("\n".join(lines)))


def assert_in_order(text: str, expected: list[str]) -> None:
    at = 0
    for item in expected:
        found = text.find(flat(item), at)
        assert found >= 0, f"missing or out of order: {item!r}"
        at = found


def assert_inside_margins(doc: pymupdf.Document) -> None:
    """Body text inside the frame at 10 pt or more; header and footer inside the page's margin."""
    for page in doc:
        width, height = page.rect.width, page.rect.height
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    if not span["text"].strip():
                        continue
                    x0, top, x1, bottom = span["bbox"]
                    assert x0 >= MARGIN - 0.5 and x1 <= width - MARGIN + 0.5, span["text"]
                    in_body = top >= MARGIN_Y - 0.5 and bottom <= height - MARGIN_Y + 0.5
                    if in_body:
                        assert span["size"] >= 10 - 0.01, (span["text"], span["size"])
                    else:  # running header or footer: small, but well inside the paper
                        assert top >= 6 * MM and bottom <= height - 6 * MM, span["text"]
        for drawing in page.get_drawings():
            r = drawing["rect"]
            assert r.x0 >= MARGIN - 1 and r.x1 <= width - MARGIN + 1, drawing


# --- guides -------------------------------------------------------------------------------


@pytest.mark.parametrize("tool_id", TOOLS)
def test_every_guide_holds_the_whole_tool_in_the_source_order(library: Library, tool_id: str):
    tool = library.tool(tool_id)
    doc = open_pdf(pdf(guide_markdown(library, tool_id)))
    text = " ".join(page_texts(doc))
    expected: list[str] = [tool.title, *tool.intro, tool.purpose]
    if tool.use_when:
        expected += [tool.use_when.title, *tool.use_when.items]
    expected += [*tool.preparation, *tool.steps]
    if tool.example:
        expected.append(tool.example.text)
    expected += [b.title for b in tool.agenda.blocks]
    for group in tool.group_work:
        expected += [group.title, *library.questions(tool, group.id)]
        expected += [t.text for t in group.tips]
    if tool.checklist:
        expected += [tool.checklist.title, *tool.checklist.items]
    assert_in_order(text, expected)
    assert_inside_margins(doc)
    # A bookmark for every section.
    toc = [flat(title) for _, title, _ in doc.get_toc()]
    sections = ["Formål"] + (["Introduktion"] if tool.intro else [])
    sections += [flat(f"{g.heading or 'Gruppearbejde'}: {g.title}") for g in tool.group_work]
    if tool.checklist:
        sections.append(tool.checklist.title)
    for section in sections:
        assert section in toc
    # Every page names the tool and its source, and numbers itself.
    for number, page in enumerate(page_texts(doc), 1):
        assert tool.label in page and f"Side {number} af {len(doc)}" in page
        assert "Kilde:" in page


def test_the_guide_of_vaerktoej2_has_boxes_numbered_steps_and_a_scaled_agenda(library: Library):
    doc = open_pdf(pdf(guide_markdown(library, "vaerktoej2", minutes=90)))
    text = " ".join(page_texts(doc))
    assert "☐ Download og print arbejdsarket til alle deltagere." in text
    assert "☐ Undersøgt, hvilke kerneopgaver teknologien påvirker" in text
    assert "1. Mødeleder sender dagsorden til deltagere" in text
    assert "0:10–0:30 · Gruppearbejde 1: Kortlæg kerneopgaver (20 min)" in text
    toc = [title for _, title, _ in doc.get_toc()]
    assert toc.index("Introduktion") < toc.index("Sådan gør I") < toc.index("Eksempel")


def test_no_heading_is_left_alone_at_the_foot_of_a_page(library: Library):
    for tool_id in TOOLS:
        doc = open_pdf(pdf(guide_markdown(library, tool_id)))
        for page in doc:
            lines = [
                (
                    line["bbox"][3],
                    max(s["size"] for s in line["spans"] if any(c.isalpha() for c in s["text"])),
                )
                for block in page.get_text("dict")["blocks"]
                for line in block.get("lines", [])
                if line["bbox"][3] < page.rect.height - MARGIN_Y
                and any(c.isalpha() for s in line["spans"] for c in s["text"])
            ]
            last_size = max(lines)[1]
            assert last_size < 12, f"{tool_id}: a heading ends page {page.number + 1}"


# --- worksheets -----------------------------------------------------------------------------


@pytest.mark.parametrize("tool_id", TOOLS)
def test_every_tool_has_one_worksheet_per_group_work(library: Library, tool_id: str):
    tool = library.tool(tool_id)
    doc = open_pdf(pdf(worksheet_markdown(library, tool_id)))
    # A sheet starts on a page of its own with its header fields; one with more questions
    # than a page holds with three lines each (the slides' ten on Tilgangen) goes on.
    sheets = [page for page in page_texts(doc) if "Teknologi:" in page]
    assert len(sheets) == len(tool.group_work)
    assert len(doc) == len(sheets) or any(len(library.questions(tool, g.id)) > 6
                                          for g in tool.group_work)  # fmt: skip
    text = " ".join(page_texts(doc))
    for page, group in zip(sheets, tool.group_work, strict=True):
        assert "Arbejdsplads:" in page and flat(group.title) in page
        assert_in_order(text[text.index(page) :], [group.title, *library.questions(tool, group.id)])
    assert_inside_margins(doc)


def test_groups_give_labelled_sets_and_set_fills_the_header(library: Library):
    tool = library.tool("vaerktoej2")
    text = worksheet_markdown(
        library,
        "vaerktoej2",
        groups=3,
        variables={"teknologi": "vasketoilet", "arbejdsplads": "Hjemmeplejen Nord"},
    )
    doc = open_pdf(pdf(text))
    pages = page_texts(doc)
    assert len(pages) == 3 * len(tool.group_work)
    for index, page in enumerate(pages):
        assert page.startswith(f"Gruppe {index // len(tool.group_work) + 1} ") or (
            f" Gruppe {index // len(tool.group_work) + 1} " in page
        )
        assert "Teknologi: vasketoilet" in page
        assert "Arbejdsplads: Hjemmeplejen Nord" in page
    # The writing space fills each page: ruled lines reach down near the foot.
    for page in doc:
        lowest = max(d["rect"].y1 for d in page.get_drawings())
        assert lowest > page.rect.height - MARGIN_Y - 60 * MM


def test_without_set_the_header_fields_are_lines_to_write_on(library: Library):
    doc = open_pdf(pdf(worksheet_markdown(library, "hvem-definerer-kerneopgaven")))
    words = [w[4] for w in doc[0].get_text("words")]
    assert words[words.index("Teknologi:") + 1] == "Arbejdsplads:"


# --- handouts -------------------------------------------------------------------------------


@pytest.mark.parametrize("handout_id", HANDOUTS)
def test_every_handout_is_one_page_with_every_item(library: Library, handout_id: str):
    handout = library.handout(handout_id)
    doc = open_pdf(pdf(handout_markdown(library, handout_id)))
    # Lists, models, tables and boxes fit one page; a handout of whole sections of the
    # source's running text may go on to a second.
    running_text = any(group.paragraphs for group in handout.groups)
    assert len(doc) == 1 or (running_text and len(doc) == 2)
    text = body_text(doc)
    expected = [handout.title] + ([handout.intro] if handout.intro else [])
    for item in handout.items:
        expected += [item.title or "", item.text]
    for group in handout.groups:
        expected.append(group.title)
        for item in group.items:
            expected += [item.title or "", item.text]
        expected += group.paragraphs
    expected += handout.paragraphs
    if handout.outro:
        expected.append(handout.outro)
    for quote in handout.quotes:
        expected += [quote.text, quote.by]
    if handout.arranged_by_kit:
        expected.append(f"Note fra fremfaerd-kit: {handout.arranged_by_kit}")
    assert_in_order(text, [e for e in expected if e])
    if handout.table:
        words = set(text.split())
        for row in [handout.table.columns, *handout.table.rows]:
            for cell in row:
                assert set(cell.split()) <= words
    assert_inside_margins(doc)


def test_the_good_work_handout_is_a_three_column_table(library: Library):
    doc = open_pdf(pdf(handout_markdown(library, "digitalisering-og-det-gode-arbejde")))
    tables = doc[0].find_tables().tables
    assert len(tables) == 1 and tables[0].col_count == 3
    columns = library.handout("digitalisering-og-det-gode-arbejde").table.columns  # type: ignore[union-attr]
    assert_in_order(page_texts(doc)[0], columns)


# --- errors and the command -----------------------------------------------------------------


def test_text_the_font_cannot_draw_is_an_error_naming_it():
    message = r"guide: line 4 of the document: the font cannot draw '漢' \(U\+6F22\)"
    with pytest.raises(InputError, match=message):
        markdown_pdf("# Titel\n\nHej\n漢 og ☃\n", where="guide")


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["guide", "vaerktoej2", "--minutes", "90"], "vaerktoej2-guide.pdf"),
        (["worksheet", "vaerktoej2", "--groups", "2", "--set", "teknologi=robot"],
         "vaerktoej2-arbejdsark.pdf"),
        (["handout", "kompetencehjulet"], "kompetencehjulet.pdf"),
    ],
)  # fmt: skip
def test_the_commands_write_their_pdf(tmp_path, args, name):
    result = run_kit(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / name).read_bytes().startswith(b"%PDF")


def test_an_unknown_handout_is_one_line_and_exit_2(tmp_path):
    result = run_kit("handout", "ti-principper", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "unknown handout `ti-principper`" in result.stderr


@pytest.mark.parametrize("tool_id", TOOLS)
def test_no_doubled_punctuation_or_empty_question_label(library: Library, tool_id: str):
    texts = [" ".join(page_texts(open_pdf(pdf(guide_markdown(library, tool_id)))))]
    texts += [" ".join(page_texts(open_pdf(pdf(handout_markdown(library, h))))) for h in HANDOUTS]
    for text in texts:
        # The slides lead a line's second half in with two dots ("..og hvordan?"): their
        # own mark, not a doubled full stop.
        text = re.sub(r"(?<![.\w])\.\.(?=\w)", "", text.replace("...", "…"))
        for doubled in ("?.", ".:", "?:", ".."):
            assert doubled not in text, doubled
    # A lead-in ("Spørgsmål til grupperne:") is on the same page as its first question.
    for page in page_texts(open_pdf(pdf(guide_markdown(library, tool_id)))):
        at = page.find("Spørgsmål til grupperne:")
        while at >= 0:
            assert page[at:].split(maxsplit=4)[3] == "1.", page[at : at + 80]
            at = page.find("Spørgsmål til grupperne:", at + 1)


# --- agendas on one page; the kit file's own details where people look first --------------


def smallest_text(doc: pymupdf.Document) -> float:
    """The smallest type of the body (the running header and footer are 8 pt by design)."""
    sizes = [
        span["size"]
        for page in doc
        for block in page.get_text("dict")["blocks"]
        for line in block.get("lines", [])
        for span in line["spans"]
        if span["text"].strip() and MARGIN_Y < line["bbox"][1] < page.rect.height - MARGIN_Y
    ]
    return min(sizes)


@pytest.mark.parametrize("tool_id", TOOLS)
def test_a_facilitator_agenda_of_any_allowed_length_fits_one_page(tool_id: str):
    from datetime import date, time

    from fremfaerd_kit.agenda import agenda_pdf
    from fremfaerd_kit.schedule import ScheduleError, fit

    tool = LIBRARY.tool(tool_id)
    low = tool.duration.min_minutes if tool.duration else 30
    high = tool.duration.max_minutes if tool.duration else 4 * 60
    lengths = sorted({low, tool.agenda.minutes, (low + high) // 2 // 5 * 5, high, 60, 90})
    checked = 0
    for minutes in lengths:
        try:
            schedule = fit(tool, minutes, start=time(13, 0), day=date(2027, 1, 19))
        except ScheduleError:
            continue
        for audience in ("facilitator", "participants"):
            doc = open_pdf(agenda_pdf(LIBRARY, schedule, audience))  # type: ignore[arg-type]
            assert doc.page_count == 1, (minutes, audience)
            assert smallest_text(doc) >= 9 - 0.01
        checked += 1
    assert checked >= 3


def test_the_kit_files_details_reach_the_cover_the_agendas_and_the_worksheets(tmp_path):
    kit = tmp_path / "kit.yaml"
    kit.write_text(
        "kind: kit\ntitle: Vasketoilet – workshop\norganisation: Eksempel Kommune\n"
        "workplace: Hjemmeplejen Nord\ntechnology: vasketoilet\ndate: 2027-01-19\n"
        "start: '12:30'\nminutes: 150\n",
        encoding="utf-8",
    )
    result = run_kit("build", "kit.yaml", "-o", "ud", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "ud"
    cover = page_texts(open_pdf((out / "01-guide.pdf").read_bytes()))[0]
    for shown in ("Vasketoilet – workshop", "Kommune: Eksempel Kommune",
                  "Arbejdsplads: Hjemmeplejen Nord", "Teknologi: vasketoilet",
                  "Dato: tirsdag den 19. januar 2027, kl. 12:30–15:00"):  # fmt: skip
        assert shown in cover
    for name in ("02-dagsorden-moedeleder.pdf", "03-dagsorden-deltagere.pdf"):
        doc = open_pdf((out / name).read_bytes())
        assert running_header(doc[0]).startswith("Vasketoilet – workshop · Værktøj 2")
        (page,) = page_texts(doc)
        assert "Vasketoilet – workshop Eksempel Kommune · Hjemmeplejen Nord" in page
        assert "Dato: tirsdag den 19. januar 2027" in page
        assert "Se de næste sider" not in page  # no such pages follow
    sheets = open_pdf((out / "04-arbejdsark.pdf").read_bytes())
    assert all(running_header(p).startswith("Vasketoilet – workshop · Værktøj 2") for p in sheets)
    invitation = (out / "invitation.md").read_text(encoding="utf-8")
    assert "Se de næste sider" not in invitation and "Vasketoilet – workshop" in invitation


def test_a_running_header_never_says_a_title_twice():
    tool = LIBRARY.tool("sammen-om-ny-teknologi")
    assert tool.label == tool.meeting.title  # the case that used to print it twice
    from fremfaerd_kit.agenda import agenda_pdf
    from fremfaerd_kit.schedule import fit

    page = open_pdf(agenda_pdf(LIBRARY, fit(tool), "facilitator"))[0]
    assert running_header(page) == tool.label


def running_header(page: pymupdf.Page) -> str:
    """The words above the top margin, left to right."""
    words = [w for w in page.get_text("words") if w[3] < MARGIN_Y]
    return " ".join(w[4] for w in sorted(words, key=lambda w: w[0]))


WORDS = [
    "https://www.fremfaerd.dk/vaerktoejer/dialogkort",
    "HTTPS://EXAMPLE.ORG/A/B",
    "ftp://x",
    "a://b",
    "http://192.168.0.1:8080/sti",
    "mailto:someone@example.org",
    "www.fremfaerd.dk",
    "Arbejdsmiljøorganisationen",
    "velfærdsteknologi://ø.dk/æ",
    "https://xn--vlfrd-gra.dk/sti",
    "https://velfærd.dk/sti",
    "https://\u212aommune.dk",  # KELVIN SIGN: folds to k
    "HTTP://LOCALHOST:8000/",
    "https://[2001:db8::1]/sti",
    "https://user:pw@host.example.com:443/a?b=c#d",
    "https://-bad-.example",
    "https://example",
    "://",
    "",
]


def test_reportlabs_web_address_pattern_answers_as_if_compiled_at_import(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The typesetters import ReportLab's paragraphs with its web-address pattern compiled
    when first needed; every answer is the compiled pattern's, and `re.compile` is Python's."""
    from reportlab.platypus import paragraph  # after this module's fremfaerd_kit.typesetters

    assert re.compile.__module__ == "re"
    later = paragraph.uri_pat
    assert type(later).__name__ == "_WebAddressPattern"
    compiled = re.compile(later._source, later._flags)
    for word in WORDS:
        found, expected = later.match(word), compiled.match(word)
        assert (found and (found.span(), found.groups())) == (
            expected and (expected.span(), expected.groups())
        ), word
    splits = [paragraph._uri_split_pairs(word) for word in WORDS]
    monkeypatch.setattr(paragraph, "uri_pat", compiled)
    assert splits == [paragraph._uri_split_pairs(word) for word in WORDS]
    assert splits[0] and splits[1], "a web address is still split at its slashes"
    assert later.pattern == compiled.pattern and later.flags == compiled.flags
    assert later._ascii is not None and later._ascii is not later._compiled, (
        "ASCII words were tried against the pattern without its wide ranges"
    )
