"""`kit build`: whole kits from kit files, the examples, your own material, and what is refused."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from fremfaerd_kit.build import MANIFEST, build_kit
from fremfaerd_kit.kitfile import load_kit

from .conftest import REPO, run_kit, snapshot
from .pdfread import open_pdf, pdf_text

EXAMPLES = REPO / "examples"
KITS = sorted(p.parent.name for p in EXAMPLES.glob("*/kit.yaml"))


def test_default_kit_is_vaerktoej2_with_the_dialogue_cards(tmp_path, library):
    result = run_kit("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    kit = tmp_path / "kit"
    names = sorted(p.name for p in kit.iterdir() if p.name != MANIFEST)
    assert (kit / MANIFEST).is_file()  # what the kit wrote, so that a rebuild touches only that
    assert names == [
        "01-guide.pdf",
        "02-dagsorden-moedeleder.pdf",
        "03-dagsorden-deltagere.pdf",
        "04-arbejdsark.pdf",
        "05-kort-dialogkort.pdf",
        "facilitator.html",
        "index.md",
        "invitation.md",
    ]
    assert "Værdi – af projektet i kerneopgaver og -fagligheder" in pdf_text(kit / "01-guide.pdf")
    cards = pdf_text(kit / "05-kort-dialogkort.pdf")
    for card in library.deck("dialogkort").cards:
        assert " ".join(card.question.split()) in cards
    index = (kit / "index.md").read_text()
    for name in [*names[:-3], "facilitator.html"]:
        assert f"| {name} |" in index
    assert (
        "| 03-dagsorden-deltagere.pdf | Dagsorden til deltagerne | 1 | enkeltsidet | 12 |" in index
    )
    assert "dobbeltsidet, vend på den lange kant | 3 |" in index
    assert "Gruppearbejde 1: Kortlæg kerneopgaver" not in index
    assert (
        "Gruppearbejde 1: Kortlæg kerneopgaver (40 min, heraf 10 min opsamling i plenum)"
        in (kit / "invitation.md").read_text()
    )


@pytest.mark.parametrize("example", KITS)
def test_every_example_kit_builds_with_its_texts_and_zip(tmp_path, example):
    kit = load_kit(EXAMPLES / example / "kit.yaml")
    out = tmp_path / example
    result = run_kit("build", str(EXAMPLES / example / "kit.yaml"), "-o", str(out), "--zip", "-q")
    assert result.returncode == 0, result.stderr
    spec = kit.spec
    sheets = pdf_text(out / "04-arbejdsark.pdf")
    assert f"Teknologi: {spec.technology}" in sheets
    assert f"Arbejdsplads: {spec.workplace}" in sheets
    for number in range(1, spec.groups + 1):
        assert f"Gruppe {number}" in sheets
    for handout in spec.handouts:
        assert (out / f"06-handout-{handout}.pdf").exists()
    for deck in spec.decks:
        assert (out / f"05-kort-{deck.id}.pdf").exists()
    ics = (out / "kalender.ics").read_text()
    assert (
        f"DTSTART;TZID=Europe/Copenhagen:{spec.date:%Y%m%d}T{str(spec.start).replace(':', '')}00"
        in ics
    )
    guide = pdf_text(out / "01-guide.pdf")
    assert spec.branding.footer is not None and spec.branding.footer in guide
    with zipfile.ZipFile(tmp_path / f"{example}.zip") as archive:
        zipped = {Path(n).name: archive.read(n) for n in archive.namelist()}
    assert zipped == {name: data for name, data in snapshot(out).items() if name != MANIFEST}


def test_a_csv_deck_from_the_kit_folder_becomes_cards():
    kit = load_kit(EXAMPLES / "softwarerobot-borgerservice" / "kit.yaml")
    from fremfaerd_kit.library import load_library

    library = load_library(kit.content_folders())
    deck = library.deck("robotten")
    assert [c.name for c in deck.categories] == ["Hverdagen", "Borgerne", "Kompetencer"]
    assert deck.cards[1].question == "Hvordan opdager vi, når robotten har lavet en fejl?"
    assert library.publications[deck.source.publication].title == "Egne spørgsmål"


def test_the_example_script_builds_one_kit_per_department(tmp_path):
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "build_departments.py"), str(EXAMPLES / "afdelinger.csv"),
         "-o", str(tmp_path)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = (EXAMPLES / "afdelinger.csv").read_text().splitlines()[1:]
    for row in rows:
        department, workplace, technology = row.split(",")[:3]
        sheets = pdf_text(tmp_path / department / "04-arbejdsark.pdf")
        assert f"Arbejdsplads: {workplace}" in sheets and f"Teknologi: {technology}" in sheets


def test_the_same_kit_builds_byte_for_byte_the_same(tmp_path):
    kit = load_kit(EXAMPLES / "vasketoilet-hjemmepleje" / "kit.yaml")
    first = build_kit(kit, tmp_path / "a" / "kit", make_zip=True)
    second = build_kit(kit, tmp_path / "b" / "kit", make_zip=True)
    assert snapshot(first.folder) == snapshot(second.folder)
    assert first.zip_path is not None and second.zip_path is not None
    with zipfile.ZipFile(first.zip_path) as a, zipfile.ZipFile(second.zip_path) as b:
        assert [a.read(n) for n in a.namelist()] == [b.read(n) for n in b.namelist()]


# --- your own material --------------------------------------------------------------------


def write_kit(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kit.yaml"
    path.write_text(text, encoding="utf-8")
    return path


OWN_DECK = """\
kind: deck
id: {id}
{replaces}title: Vores egne kort
short_title: Egne
source: {{publication: egne, section: Vores møde}}
categories:
  - {{id: hverdag, name: Hverdagen, colour: "#1D3B5A"}}
cards:
  - id: k1
    category: hverdag
    question: Hvad gør vi anderledes i morgen?
"""


def test_a_user_yaml_deck_and_a_replaced_builtin_deck_appear_in_the_kit(tmp_path):
    mine = tmp_path / "egne"
    mine.mkdir()
    (mine / "egen.yaml").write_text(OWN_DECK.format(id="egen", replaces=""), encoding="utf-8")
    (mine / "forankring.yaml").write_text(
        OWN_DECK.format(id="forankring", replaces="replaces: true\n").replace(
            "Hvad gør vi anderledes i morgen?", "Hvem holder fast i det nye?"
        ),
        encoding="utf-8",
    )
    path = write_kit(
        tmp_path, "kind: kit\ncontent: [egne]\ndecks: [{id: egen}, {id: forankring}]\n"
    )
    result = run_kit("build", str(path), "-o", str(tmp_path / "out"), "-q")
    assert result.returncode == 0, result.stderr
    assert "Hvad gør vi anderledes i morgen?" in pdf_text(tmp_path / "out" / "05-kort-egen.pdf")
    replaced = pdf_text(tmp_path / "out" / "05-kort-forankring.pdf")
    assert "Hvem holder fast i det nye?" in replaced
    assert replaced.count("Egne ·") == 1  # one card (its footer), not the 41 built-in ones


def test_an_accidental_clash_with_a_builtin_id_is_an_error(tmp_path):
    mine = tmp_path / "egne"
    mine.mkdir()
    (mine / "forankring.yaml").write_text(OWN_DECK.format(id="forankring", replaces=""))
    path = write_kit(tmp_path, "kind: kit\ncontent: [egne]\n")
    result = run_kit("build", str(path), "-o", str(tmp_path / "out"), "-q")
    assert result.returncode == 2
    assert f"{mine / 'forankring.yaml'}:2:1: id: duplicate id `forankring`" in result.stderr
    assert "add `replaces: true`" in result.stderr
    assert not (tmp_path / "out").exists()


# --- refused --------------------------------------------------------------------------------


def test_a_template_may_write_its_front_matter_as_plain_yaml(tmp_path):
    """The built-in templates write JSON strings; a consultant writes `title: Min titel`."""
    overrides = tmp_path / "skabeloner" / "documents"
    overrides.mkdir(parents=True)
    (overrides / "handout.md.j2").write_text(
        "---\ntitle: Vores egen håndbog\nfooter: 'Fod: {{ \"i dag\" }}'\nsubject:\n---\n"
        "# Overskrift\n\nTekst.\n"
    )
    path = write_kit(tmp_path, "kind: kit\ntemplates: skabeloner\nhandouts: [businesscase]\n")
    result = run_kit("build", str(path), "-o", str(tmp_path / "out"), "-q")
    assert result.returncode == 0, result.stderr
    (handout,) = (tmp_path / "out").glob("06-handout-*.pdf")
    document = open_pdf(handout.read_bytes())
    assert document.metadata["title"] == "Vores egen håndbog"
    assert document.metadata["subject"] == "", "an empty value is empty, not `None`"
    assert "Fod: i dag" in document[0].get_text()


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "template error: access to attribute"),
        ("{% include '../../../../../etc/passwd' %}", "template error"),
        ("{{ nobody }}", "template error: 'nobody' is undefined"),
    ],
)
def test_a_hostile_template_is_refused(tmp_path, template, message):
    overrides = tmp_path / "skabeloner" / "documents"
    overrides.mkdir(parents=True)
    (overrides / "handout.md.j2").write_text(template)
    path = write_kit(tmp_path, "kind: kit\ntemplates: skabeloner\nhandouts: [businesscase]\n")
    result = run_kit("build", str(path), "-o", str(tmp_path / "out"), "-q")
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "root:" not in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("content: [../]", "content[0]"),
        ("templates: /etc", "templates"),
        ("branding: {logo: ../../etc/hostname}", "branding.logo"),
    ],
)
def test_a_kit_file_cannot_point_outside_its_folder(tmp_path, line, key):
    path = write_kit(tmp_path / "kit", f"kind: kit\n{line}\n")
    result = run_kit("build", str(path), "-o", str(tmp_path / "out"), "-q")
    assert result.returncode == 2
    assert f"{path}:2:" in result.stderr and f": {key}: " in result.stderr
    assert "outside the kit file's folder" in result.stderr


def test_a_logo_that_is_not_an_image_is_refused(tmp_path):
    (tmp_path / "logo.png").write_text("not a picture")
    path = write_kit(tmp_path, "kind: kit\nbranding:\n  logo: logo.png\n")
    result = run_kit("build", str(path), "-o", str(tmp_path / "out"), "-q")
    assert result.returncode == 2
    assert f"{path}:3:3: branding.logo: `logo.png` is not an image" in result.stderr


def test_kit_file_mistakes_name_file_line_and_field(tmp_path):
    path = write_kit(tmp_path, "kind: kit\nparticipant: 12\nstart: 25:00\n")
    result = run_kit("build", str(path), "-q", cwd=tmp_path)
    assert result.returncode == 2
    assert (
        f"{path}:2:1: participant: unknown key `participant`; did you mean `participants`?"
        in result.stderr
    )
    assert f'{path}:3:1: start: `25:00` is not a time; write it as "13:00"' in result.stderr


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("[13, 0]", 'start: expected start time, "HH:MM" (quote it), got a list'),
        ("true", 'start: expected start time, "HH:MM" (quote it), got `True`'),
        ("-5", 'start: `-5` is not a time; write it as "13:00"'),
    ],
)
def test_a_start_of_the_wrong_kind_is_one_line(tmp_path, value, says):
    """A start time may be written as text or (unquoted 13:00) read by YAML as a number;
    a value that is neither is one problem, not one for each kind it could have been."""
    path = write_kit(tmp_path, f"kind: kit\nstart: {value}\n")
    result = run_kit("check", str(path), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"{path}:2:1: {says}", "kit: 1 problem found"]


def test_a_failed_build_leaves_the_earlier_kit_intact(tmp_path):
    path = write_kit(tmp_path, "kind: kit\n")
    out = tmp_path / "out"
    assert run_kit("build", str(path), "-o", str(out), "-q").returncode == 0
    before = snapshot(out)
    path.write_text("kind: kit\nhandouts: [ti-principper]\n")
    result = run_kit("build", str(path), "-o", str(out), "-q")
    assert result.returncode == 2 and "unknown handout `ti-principper`" in result.stderr
    assert snapshot(out) == before


def test_init_writes_a_starter_that_builds(tmp_path):
    assert run_kit("init", "mit-kit.yaml", cwd=tmp_path).returncode == 0
    again = run_kit("init", "mit-kit.yaml", cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr
    result = run_kit("build", "mit-kit.yaml", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "mit-kit" / "kalender.ics").exists()


def test_the_api_imports_without_the_command_line():
    code = (
        "import sys, fremfaerd_kit as k; k.load_library(); "
        "assert 'typer' not in sys.modules and 'fremfaerd_kit.cli' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.fixture(autouse=True)
def _no_stray_temporary_files(tmp_path):
    yield
    stray = [p for p in tmp_path.rglob(".*.tmp")]
    assert stray == []
    shutil.rmtree(tmp_path, ignore_errors=True)


@pytest.mark.posix
@pytest.mark.parametrize(
    ("stop", "code", "said"),
    [("SIGINT", 130, "kit: interrupted"), ("SIGTERM", 143, "kit: terminated"), ("SIGKILL", -9, "")],
)
def test_a_build_stopped_midway_leaves_the_earlier_kit_and_no_temporary_files(
    tmp_path, stop, code, said
):
    import signal
    import time

    big = tmp_path / "egne"
    big.mkdir()
    rows = ["spørgsmål,kategori"] + [
        f"Spørgsmål nummer {i} om hverdagen?,Hverdag" for i in range(12000)
    ]
    (big / "mange.csv").write_text("\n".join(rows), encoding="utf-8")
    path = write_kit(tmp_path, "kind: kit\ncontent: [egne]\ndecks: [{id: mange}]\n")
    out = tmp_path / "out"
    assert run_kit("build", str(path), "-o", str(out), "-q").returncode == 0
    before = snapshot(out)
    path.write_text("kind: kit\ncontent: [egne]\nminutes: 90\ndecks: [{id: mange}]\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "fremfaerd_kit", "build", str(path), "-o", str(out), "-q"],
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(1.5)  # rendering 12,000 cards takes seconds longer than this
    proc.send_signal(getattr(signal, stop))
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code, stderr
    assert stderr.strip() == said
    assert snapshot(out) == before


OWN_HANDOUT = """\
kind: handout
id: vores-aftaler
title: Vores aftaler om {{ teknologi }}
source: {publication: egne, section: Personalemøde}
items:
  - text: Vi afprøver {{ teknologi }} i {{ arbejdsplads }} i fire uger.
"""


def test_content_text_may_use_the_kits_variables(tmp_path):
    mine = tmp_path / "egne"
    mine.mkdir()
    (mine / "aftaler.yaml").write_text(OWN_HANDOUT, encoding="utf-8")
    path = write_kit(
        tmp_path,
        "kind: kit\ncontent: [egne]\ntechnology: vasketoilet\nworkplace: Hjemmeplejen Nord\n"
        "handouts: [vores-aftaler]\n",
    )
    result = run_kit("build", str(path), "-o", str(tmp_path / "out"), "-q")
    assert result.returncode == 0, result.stderr
    text = pdf_text(tmp_path / "out" / "06-handout-vores-aftaler.pdf")
    assert "Vores aftaler om vasketoilet" in text
    assert "Vi afprøver vasketoilet i Hjemmeplejen Nord i fire uger." in text
    path.write_text("kind: kit\ncontent: [egne]\nhandouts: [vores-aftaler]\n")
    result = run_kit("build", str(path), "-o", str(tmp_path / "out2"), "-q")
    assert result.returncode == 2
    assert "'teknologi' is undefined (set it with --set NAME=VALUE" in result.stderr


def test_the_guide_of_a_kit_with_cards_says_how_to_use_them(tmp_path, library):
    result = run_kit("build", "-o", "ud", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    guide = pdf_text(tmp_path / "ud" / "01-guide.pdf")
    deck = library.deck("dialogkort")
    assert "Sådan bruger I kortene: Kort til dialog og fælles refleksion" in guide
    assert deck.guidance is not None
    for step in deck.guidance.steps:
        assert " ".join(step.split()) in guide
    assert (
        "Kilde: Digitalt kompetente kommuner, Kort til dialog og fælles refleksion – Medarbejderen"
        in guide
    )
