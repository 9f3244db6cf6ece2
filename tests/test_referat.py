"""`kit referat`: the notes of a whole workshop, driven in Chromium, made into the referat
(PDF, Word, the participants' version, the agreements in Excel, the next meeting in a
calendar) and read back with python-docx, LibreOffice, the PDF's text, openpyxl, icalendar
and vobject; and notes files someone else made, each refused in located lines."""

from __future__ import annotations

import base64
import copy
import io
import json
import os
import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from .browser import browser
from .conftest import REPO, run_kit, snapshot
from .cups import skip_or_fail
from .pdfread import pdf_text
from .test_hostile import png, run_limited
from .workshop import AGREEMENTS, OWN_QUESTIONS, POINTS, run_workshop

EXAMPLE = REPO / "examples" / "vasketoilet-hjemmepleje"
EXAMPLE_NOTES = next(EXAMPLE.glob("noter-*.json"))
OWN_NOTE = "Gruppe 3 nåede ikke spørgsmål 3: tag det op på næste personalemøde"
FILES = ["aftaler.xlsx", "naeste-moede.ics", "referat-deltagere.docx", "referat-deltagere.pdf",
         "referat.docx", "referat.pdf"]  # fmt: skip


def flat(text: str) -> str:
    return " ".join(text.split())


# --- a whole run on the screen, and its referat --------------------------------------------------


@pytest.fixture(scope="module")
def notes_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("workshop")
    result = run_kit("build", str(EXAMPLE / "kit.yaml"), "-o", str(folder / "kit"), "-q")
    assert result.returncode == 0, result.stderr
    (folder / "hentet").mkdir()
    for page in browser():
        return run_workshop(page, folder / "kit" / "facilitator.html", folder / "hentet", folder)
    raise AssertionError("no browser")


@pytest.fixture(scope="module")
def referat(notes_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("referat") / "referat"
    result = run_kit("referat", str(notes_file), str(EXAMPLE / "kit.yaml"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"wrote 6 files to {out}{os.sep}\n"
    return out


def test_the_notes_of_a_whole_run_hold_what_happened(notes_file: Path) -> None:
    from PIL import Image

    notes = json.loads(notes_file.read_bytes())
    assert (notes["schema"], notes["version"]) == ("fremfaerd-kit/noter", 1)
    events = [(e["event"], e.get("block")) for e in notes["log"]]
    assert events[:2] == [("start", None), ("enter", "velkomst")]
    assert ("plus", "gruppearbejde-1") in events  # pressed in the projector's window
    assert ("skip", None) in events  # the break
    assert ("pause", "gruppearbejde-2") in events and ("resume", "gruppearbejde-2") in events
    assert ("minus", "faelles-refleksion") in events and events[-1] == ("end", None)
    start = datetime.fromisoformat(notes["log"][0]["at"])
    assert start == datetime(2027, 1, 19, 12, 31, tzinfo=ZoneInfo("Europe/Copenhagen"))
    blocks = {b["id"]: b for b in notes["blocks"]}
    assert [p["text"] for p in blocks["gruppearbejde-1"]["points"] if p["question"] == 0] == [
        line.split(": ", 1)[1] for line in POINTS["opsamling-1"][0]
    ]
    assert {p["group"] for p in blocks["gruppearbejde-1"]["points"]} == {1, 2, 3}
    assert blocks["opsamling-2"]["notes"] == [{"text": OWN_NOTE}]
    photo = blocks["gruppearbejde-1"]["photos"][0]
    assert photo["caption"] == "Gruppernes post-its om kerneopgaver"
    data = base64.b64decode(photo["image"].split(",", 1)[1])
    with Image.open(io.BytesIO(data)) as image:
        assert image.size[1] > image.size[0]  # the phone's sideways pixels, upright
        assert not image.getexif() and b"GPS" not in data and b"Telefon" not in data
    # The example kept in examples/ is such a run's file (scripts/make-example-referat).
    kept = json.loads(EXAMPLE_NOTES.read_bytes())
    assert [e["event"] for e in kept["log"]] == [e["event"] for e in notes["log"]]
    assert kept["agreements"] == notes["agreements"]


def test_the_referat_says_what_was_said_planned_beside_held(referat: Path) -> None:
    assert sorted(p.name for p in referat.iterdir()) == FILES
    mine = flat(pdf_text(referat / "referat.pdf"))
    theirs = flat(pdf_text(referat / "referat-deltagere.pdf"))
    for text in (mine, theirs):
        assert "Referat: Vasketoilet i hjemmeplejen – workshop om kerneopgaver" in text
        assert "Eksempel Kommune · Hjemmeplejen Nord" in text and "Teknologi: vasketoilet" in text
        assert "Hvad referatet rummer." in text
        # The agenda as held, beside the plan: late, +5, the break skipped, a pause, −5.
        assert ("Velkomst og introduktion 12:30–12:45 (15 min) 12:31–12:47 (16 min)") in text
        assert (
            "Gruppearbejde 1: Kortlæg kerneopgaver 12:45–13:20 (35 min) "
            "12:47–13:25 (38 min) +5 min undervejs" in text
        )
        assert "Pause 13:35–13:50 (15 min) sprunget over" in text
        assert "1 pause, 6 min" in text and "-5 min undervejs" in text
        assert "Mødet begyndte kl. 12:31 og sluttede kl. 15:17 (planlagt til kl. 15:15)." in text
        # The points under each question, with their group's number.
        assert ("Hvilke kerneopgaver har I i vores hverdag? (Post-its) • Gruppe 1: Personlig pleje "
                "og hygiejne • Gruppe 2: At borgeren klarer mest muligt selv") in text  # fmt: skip
        for lines in (*POINTS.values(), *OWN_QUESTIONS.values()):
            for line in (x for group in lines for x in group):
                assert line.split(": ", 1)[-1] in text, line
        assert (
            "Vi afprøver vasketoilettet hos fire borgere i tre måneder (Fælles refleksion)" in text
        )
        for what, who, when in AGREEMENTS:
            assert f"{what} {who} {when}" in text
        assert ("Næste møde: tirsdag den 16. februar 2027, kl. 13:00–14:00, Mødelokalet, "
                "Hjemmeplejen Nord (i kalenderfilen naeste-moede.ics).") in text  # fmt: skip
        assert (
            "Parkeringsplads Emner, I tager op en anden gang: • Vandforbruget: hvem betaler?"
            in text
        )
        assert "I er klar til næste fase, for nu har I: ☐ Undersøgt, hvilke kerneopgaver" in text
        assert (
            "Bilag: billeder" in text
            and "Billede 2: Gruppearbejde 2: Kernefaglighed i spil" in text
        )
        assert "Bilag · billede 2 af 2" in text
    # The mødeleder's own notes are the mødeleder's.
    assert OWN_NOTE in mine and OWN_NOTE not in theirs
    assert "Mødelederens egne noter er ikke med." in theirs
    assert "Udgave: til mødelederen" in mine and "Udgave: til deltagerne" in theirs


def test_the_referat_pdf_carries_its_photos_clean_and_its_title(referat: Path) -> None:
    import pymupdf as fitz

    data = (referat / "referat.pdf").read_bytes()
    assert b"GPS" not in data and b"Telefon" not in data
    with fitz.open(stream=data, filetype="pdf") as pdf:
        assert (
            pdf.metadata["title"]
            == "Referat – Vasketoilet i hjemmeplejen – workshop om kerneopgaver"
        )
        images = [img for page in pdf for img in page.get_images()]
        logos_and_photos = {pdf.extract_image(img[0])["height"] for img in images}
        assert len(logos_and_photos) >= 2  # the logo, and the photos
        last = pdf[-1].get_images()
        assert len(last) == 1
        photo = pdf.extract_image(last[0][0])
        assert photo["height"] > photo["width"]  # the second flipover, upright as taken


def test_the_word_files_have_real_headings_tables_pictures_with_alt_text(referat: Path) -> None:
    from docx import Document

    for name, own in (("referat.docx", True), ("referat-deltagere.docx", False)):
        doc = Document(str(referat / name))
        headings = [
            (p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")
        ]
        assert headings[0] == (
            "Heading 1",
            "Referat: Vasketoilet i hjemmeplejen – workshop om kerneopgaver",
        )
        assert ("Heading 2", "Dagsorden, som den blev holdt") in headings
        assert ("Heading 3", "Gruppearbejde 1: Kortlæg kerneopgaver") in headings
        assert ("Heading 3", "Billede 1: Gruppearbejde 1: Kortlæg kerneopgaver") in headings
        held, agreements = doc.tables[1], doc.tables[2]  # the first: the box of what it holds
        assert [c.text for c in held.rows[0].cells] == ["Punkt", "Planlagt", "Holdt", "Undervejs"]
        assert [[c.text for c in row.cells] for row in agreements.rows[1:]] == [
            list(a) for a in AGREEMENTS
        ]
        assert len(doc.inline_shapes) == 2
        alt = [s._inline.docPr.get("descr") for s in doc.inline_shapes]
        assert alt == ["Gruppernes post-its om kerneopgaver",
                       "Billede 2: Gruppearbejde 2: Kernefaglighed i spil"]  # fmt: skip
        text = "\n".join(p.text for p in doc.paragraphs)
        assert (OWN_NOTE in text) is own


def test_libreoffice_opens_the_word_file(referat: Path, tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        skip_or_fail("no LibreOffice (Debian's libreoffice-writer)")
    result = subprocess.run(
        [office, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(referat / "referat-deltagere.docx")],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = flat(pdf_text(tmp_path / "referat-deltagere.pdf"))
    assert "Gruppe 3: Færre besøg giver mindre tid til at observere" in text
    assert "Udpege fire borgere til afprøvningen" in text


def test_the_agreements_sheet_and_the_next_meeting(referat: Path) -> None:
    import icalendar
    import vobject
    from openpyxl import load_workbook

    sheet = load_workbook(referat / "aftaler.xlsx").active
    assert sheet is not None
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows()]
    assert rows == [("Hvad", "Hvem", "Hvornår", "Fulgt op"), *[(*a, None) for a in AGREEMENTS]]
    raw = (referat / "naeste-moede.ics").read_bytes()
    event = icalendar.Calendar.from_ical(raw).walk("VEVENT")[0]
    zone = ZoneInfo("Europe/Copenhagen")
    assert event.decoded("dtstart") == datetime(2027, 2, 16, 13, 0, tzinfo=zone)
    assert event.decoded("dtend") == datetime(2027, 2, 16, 14, 0, tzinfo=zone)
    assert str(event["location"]) == "Mødelokalet, Hjemmeplejen Nord"
    assert (
        "Udpege fire borgere til afprøvningen (Teamleder og sygeplejerske, inden 1. februar)"
        in str(event["description"])
    )
    parsed = vobject.readOne(raw.decode())
    assert (
        parsed.vevent.summary.value
        == "Opfølgning: Vasketoilet i hjemmeplejen – workshop om kerneopgaver"
    )
    assert parsed.vtimezone.tzid.value == "Europe/Copenhagen"


def test_the_same_notes_give_the_same_bytes_and_the_example_is_current(
    referat: Path, tmp_path: Path
) -> None:
    again = tmp_path / "igen"
    result = run_kit("referat", str(EXAMPLE_NOTES), str(EXAMPLE / "kit.yaml"), "-o", str(again))
    assert result.returncode == 0, result.stderr
    kept = EXAMPLE / "referat"
    assert sorted(p.name for p in kept.iterdir()) == FILES
    for name in FILES:
        assert (again / name).read_bytes() == (kept / name).read_bytes(), (
            f"{name}: run scripts/make-example-referat"
        )


def test_without_a_kit_file_the_notes_head_the_referat(tmp_path: Path) -> None:
    result = run_kit("referat", str(EXAMPLE_NOTES), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "referat-vasketoilet-i-hjemmeplejen-workshop-om-kerneopgaver-2027-01-19"
    assert sorted(p.name for p in folder.iterdir()) == FILES
    text = flat(pdf_text(folder / "referat.pdf"))
    assert "Referat: Vasketoilet i hjemmeplejen – workshop om kerneopgaver" in text
    assert "Eksempel Kommune · Hjemmeplejen Nord" in text


# --- notes files someone else made ----------------------------------------------------------------


def example() -> dict[str, Any]:
    return json.loads(EXAMPLE_NOTES.read_bytes())  # type: ignore[no-any-return]


def refused(tmp_path: Path, data: bytes | dict[str, Any], *lines: str) -> None:
    """`kit referat` of `data` exits 2 with exactly `lines` (the file's name put in for
    `notes.json`), within seconds, writing nothing."""
    notes = tmp_path / "notes.json"
    notes.write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
    before = snapshot(tmp_path)
    run = run_limited("referat", "notes.json", "-o", "ud", cwd=tmp_path)
    assert run.code == 2, run.stderr
    assert run.lines == list(lines), run.stderr
    assert "Traceback" not in run.stderr
    assert snapshot(tmp_path) == before


def test_fields_that_break_the_schema_are_located_all_at_once(tmp_path: Path) -> None:
    notes = example()
    notes["blocks"][3]["points"].append({"question": 0, "group": 2, "text": "tab\there"})
    notes["blocks"][3]["points"][1]["text"] = "x" * 2001
    notes["blocks"][1]["points"][0]["group"] = 4  # three groups
    notes["blocks"][1]["points"][1]["question"] = 9
    notes["agreements"][0]["hvem"] = "teamleder"
    notes["log"][3]["event"] = "jump"
    notes["followUp"]["date"] = "2027-02-30"
    notes["kit"]["place"] = 5
    notes["parking"].append({"text": "ESC \u001b[31m rød"})
    refused(
        tmp_path, notes,
        "notes.json: kit.place: must be a text, not a number",
        "notes.json: blocks[1].points[0].group: is 4; give 1 to 3",
        "notes.json: blocks[1].points[1].question: is 9; give 0 to 2",
        "notes.json: blocks[3].points[1].text: has 2,001 characters; at most 2,000",
        "notes.json: blocks[3].points[5].text: contains a line break or a tab; a text of the "
        "notes is one line",
        "notes.json: parking[2].text: contains the control character U+001B (ESC); a text "
        "holds none (remove it)",
        "notes.json: agreements[0].hvem: is not a key of the notes schema",
        "notes.json: followUp.date: '2027-02-30' is not a date YYYY-MM-DD",
        "notes.json: log[3].event: is 'jump'; one of start, enter, leave, "
        "skip, pause, resume, plus, minus, end, reset",
    )  # fmt: skip
    notes = example()
    notes["kit"]["minutes"] = True  # the meeting itself wrong: its groups are not checked
    notes["blocks"][1]["points"][0]["group"] = 4
    refused(tmp_path, notes, "notes.json: kit.minutes: must be a whole number, not true or false")


def test_text_the_referat_cannot_print_is_located(tmp_path: Path) -> None:
    notes = example()
    notes["parking"][0]["text"] = "Godt 👍"
    notes["blocks"][0]["decisions"].append({"text": "\u202ehemmeligt"})
    refused(
        tmp_path, notes,
        "notes.json: blocks[0].decisions[0].text: right-to-left text or direction controls "
        "('\\u202e' (U+202E)) would print reversed; the kit sets left-to-right scripts only",
        "notes.json: parking[0].text: the font cannot draw '👍' (U+1F44D)",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"[" * 1_000_000, "notes.json: has more than 100,000 objects and lists; a notes file has "
                           "a few hundred"),
        (b"[" * 5_000 + b"]" * 5_000, "notes.json: is nested more than 16 levels deep"),
        (b'{"a":' * 40 + b"1" + b"}" * 40, "notes.json: is nested more than 16 levels deep"),
        (b"[" + b"0," * 1_100_000 + b"0]", "notes.json: has more than 1,000,000 items"),
        (b'{"schema": 1, "schema": 2}', "notes.json: the key 'schema' is in one object twice"),
        (b'{"version": NaN}', "notes.json: NaN is not JSON a notes file holds"),
        (b'{"version": ' + b"9" * 5000 + b"}", "notes.json: a number of more than 15 digits "
                                               "(99999999999999999999…)"),
        (b"\xff\xfe{}", "notes.json: byte 0: is not UTF-8; a notes file is UTF-8 JSON"),
        (b'{"schema": "fremfaerd-kit/noter",\n "version": 1,,}',
         "notes.json:2:15: Expecting property name enclosed in double quotes"),
        (b"[]", "notes.json: (the file): must be an object, not a list"),
        (b'{"schema": "x", "version": 1}', "notes.json: (the file): `saved` is missing"),
    ],
    ids=["a-million-lists", "deep-lists", "deep-objects", "items", "duplicate", "nan", "digits",
         "utf16", "syntax", "list", "missing"],
)  # fmt: skip
def test_a_file_that_is_no_notes_file_is_one_located_line(
    tmp_path: Path, data: bytes, line: str
) -> None:
    notes = tmp_path / "notes.json"
    notes.write_bytes(data)
    run = run_limited("referat", "notes.json", "-o", "ud", cwd=tmp_path)
    assert run.code == 2, run.stderr
    assert run.lines[0] == line, run.stderr
    assert not (tmp_path / "ud").exists()
    assert run.peak_mb < 400, run.peak_mb


def test_the_schema_and_version_are_named(tmp_path: Path) -> None:
    notes = example()
    notes["version"] = 2
    refused(tmp_path, notes, "notes.json: version: is 2; this kit reads version 1")
    notes["schema"] = "noter"
    refused(
        tmp_path,
        notes,
        "notes.json: schema: is 'noter'; a notes file of fremfaerd-kit says 'fremfaerd-kit/noter'",
    )


def test_an_unknown_tool_is_named_with_a_suggestion(tmp_path: Path) -> None:
    notes = example()
    notes["kit"]["tool"] = "vaerktoej3"
    refused(
        tmp_path,
        notes,
        "notes.json: kit.tool: `vaerktoej3` is no tool of the library; did you "
        "mean `vaerktoej2`? (give the kit file whose content folders hold it)",
    )


def test_photos_that_are_no_photos_or_too_many_pixels(tmp_path: Path) -> None:
    notes = example()
    photos = notes["blocks"][1]["photos"]
    good = photos[0]
    photos.append({"caption": "", "image": "data:image/gif;base64,R0lGOD"})
    photos.append({"caption": "", "image": "data:image/png;base64,not base64!"})
    photos.append(
        {
            "caption": "",
            "image": "data:image/png;base64,"
            + base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 100).decode(),
        }
    )
    photos.append(
        {
            "caption": "",
            "image": "data:image/png;base64," + base64.b64encode(png(11_000, 10_000)).decode(),
        }
    )
    photos.extend(copy.deepcopy(good) for _ in range(50))
    refused(
        tmp_path,
        notes,
        "notes.json: blocks[1].photos: has 55 items; at most 50",
    )
    del photos[5:]
    refused(
        tmp_path, notes,
        "notes.json: blocks[1].photos[1].image: must be a data URL of a JPEG "
        "or PNG image (data:image/jpeg;base64,…)",
        "notes.json: blocks[1].photos[2].image: is not base64 (a data URL's "
        "letters, digits, + and /)",
        "notes.json: blocks[1].photos[3].image: is not an image the kit can read (PNG or JPEG)",
        "notes.json: blocks[1].photos[4].image: brings the photos past 100 "
        "million pixels in all; save them smaller",
    )  # fmt: skip


def test_a_photo_with_exif_and_gps_in_a_file_is_cleaned_as_a_logo_is(tmp_path: Path) -> None:
    """A notes file not of the screen's making: its photo still leaves its EXIF behind."""
    from PIL import Image

    from .workshop import flipover

    picture = tmp_path / "telefon.jpg"
    flipover(picture, "Fra en telefon", ["En post-it"], turned=True)
    notes = example()
    image = "data:image/jpeg;base64," + base64.b64encode(picture.read_bytes()).decode()
    notes["blocks"][1]["photos"] = [{"caption": "Sendt fra en telefon", "image": image}]
    (tmp_path / "n.json").write_text(json.dumps(notes), encoding="utf-8")
    result = run_kit("referat", "n.json", "-o", "ud", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for name in ("referat.pdf", "referat.docx"):
        data = (tmp_path / "ud" / name).read_bytes()
        assert b"GPS" not in data and b"Telefon" not in data, name
    with zipfile.ZipFile(tmp_path / "ud" / "referat.docx") as docx:
        media = [n for n in docx.namelist() if n.startswith("word/media/")]
        images = [docx.read(n) for n in media]
    upright = [Image.open(io.BytesIO(i)).size for i in images]
    assert (800, 640) not in upright and (640, 800) in upright  # turned by its EXIF


def test_the_notes_file_through_the_reading_gate(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(tmp_path / "fifo.json")
    run = run_limited("referat", "fifo.json", "-o", "ud", cwd=tmp_path)
    assert run.code == 2 and run.lines == [
        "fifo.json: is a FIFO (named pipe), not a regular file; only files are read"
    ], run.stderr
    (tmp_path / "zero.json").symlink_to("/dev/zero")
    run = run_limited("referat", "zero.json", "-o", "ud", cwd=tmp_path)
    assert run.code == 2 and "not a regular file" in run.stderr
    big = tmp_path / "big.json"
    with big.open("wb") as f:
        f.truncate(64 * 1024 * 1024 + 1)
    run = run_limited("referat", "big.json", "-o", "ud", cwd=tmp_path)
    assert run.code == 2 and run.lines == [
        "big.json: is larger than 64 MB, the most a notes file may be"
    ], run.stderr


def test_a_value_typed_on_the_day_is_data_everywhere(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    notes = example()
    hostile = '=HYPERLINK("http://x") | **fed** # ikke en overskrift {{ 7*7 }} <b>'
    notes["agreements"][0]["what"] = hostile
    notes["parking"][0]["text"] = "- [ ] ikke en boks"
    (tmp_path / "n.json").write_text(json.dumps(notes), encoding="utf-8")
    result = run_kit("referat", "n.json", "-o", "ud", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    cell = load_workbook(tmp_path / "ud" / "aftaler.xlsx").active["A2"]  # type: ignore[index]
    assert cell.value == hostile and cell.data_type == "s"
    text = flat(pdf_text(tmp_path / "ud" / "referat.pdf"))
    assert hostile.replace("  ", " ") in text and "• - [ ] ikke en boks" in text


# --- carried forward: the next kit ------------------------------------------------------------


def test_the_next_kit_starts_from_what_the_workshop_found(tmp_path: Path) -> None:
    result = run_kit("init", "naeste.yaml", "--from", str(EXAMPLE_NOTES), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "naeste.yaml").read_text(encoding="utf-8")
    assert 'technology: "vasketoilet"' in text and 'workplace: "Hjemmeplejen Nord"' in text
    assert "date: 2027-02-16" in text and 'start: "13:00"' in text
    kerneopgaver = "; ".join(line.split(": ", 1)[1] for line in POINTS["opsamling-1"][0])
    assert f'  kerneopgaver: "{kerneopgaver}"' in text
    assert "#   Udpege fire borgere til afprøvningen – Teamleder og sygeplejerske" in text
    check = run_kit("check", "naeste.yaml", cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    build = run_kit("build", "naeste.yaml", "-q", cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    sheets = flat(pdf_text(tmp_path / "naeste" / "04-arbejdsark.pdf"))
    assert f"Jeres kerneopgaver: {kerneopgaver}" in sheets
    assert "Jeres fagligheder: Vurdering af huden og tegn på tryksår" in sheets
    assert "Arbejdsplads: Hjemmeplejen Nord" in sheets
    again = run_kit("init", "naeste.yaml", "--from", str(EXAMPLE_NOTES), cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr


def test_a_point_typed_on_the_day_is_data_in_the_next_kit_file(tmp_path: Path) -> None:
    notes = example()
    hostile = 'x"\\\n: {{ 7*7 }} #: [1, 2] &a *a !!python/object'
    for block in notes["blocks"]:
        if block["id"] == "gruppearbejde-1":
            block["points"].insert(
                0, {"question": 0, "group": 1, "text": hostile.replace("\n", " ")}
            )
    notes["parking"][0]["text"] = "slut på kommentaren? ikke uden linjeskift"
    (tmp_path / "n.json").write_text(json.dumps(notes), encoding="utf-8")
    result = run_kit("init", "k.yaml", "--from", "n.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    from fremfaerd_kit.kitfile import load_kit

    kit = load_kit(tmp_path / "k.yaml")
    assert kit.spec.variables["kerneopgaver"].startswith(hostile.replace("\n", " ") + "; ")
    assert run_kit("init", "l.yaml", "--from", "nowhere.json", cwd=tmp_path).returncode == 2
    assert not (tmp_path / "l.yaml").exists()
