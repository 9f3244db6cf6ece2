"""The sources complete and framed as they are: what a reader of the printed kit sees.

Each test runs the real `kit` command and reads its output back, the way a consultant
would check a printout against the publication.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from fremfaerd_kit.library import Library

from .conftest import run_kit
from .pdfread import open_pdf, unhyphenated


def flat(text: str) -> str:
    return " ".join(text.split())


def printed(tmp_path: Path, *args: str) -> str:
    """The text of the PDF a `kit` command writes, its lines joined and hyphens undone."""
    out = tmp_path / "out.pdf"
    result = run_kit(*args, "-o", str(out))
    assert result.returncode == 0, result.stderr
    return " ".join(flat(unhyphenated(page.get_text())) for page in open_pdf(out.read_bytes()))


def markdown(*args: str) -> str:
    result = run_kit(*args, "--format", "md", "-o", "-")
    assert result.returncode == 0, result.stderr
    return result.stdout


def in_order(text: str, *parts: str) -> bool:
    at = 0
    for part in parts:
        at = text.find(part, at)
        if at < 0:
            return False
    return True


FORORD_QUESTIONS = [
    "Hvad er formålet med og det forventede udbytte af teknologien?",
    "Hvordan påvirker teknologien hverdagens arbejde?",
    "Hvordan ændrer teknologien vores behov for nye kompetencer?",
    "Hvordan skal vi samarbejde om god implementering?",
]


# --- the texts that were missing -----------------------------------------------------------


def test_the_forord_leads_in_to_its_four_questions(tmp_path: Path):
    guide = printed(tmp_path, "guide", "sammen-om-ny-teknologi")
    assert "overveje sammen." not in guide
    assert in_order(guide, "med fordel altid kan overveje sammen:", *FORORD_QUESTIONS, "Formål")


def test_the_deck_of_the_four_questions_carries_them_on_its_instruction_card(tmp_path: Path):
    cards = printed(tmp_path, "cards", "fem-spoergsmaal", "--no-warmup")
    assert in_order(cards, "overveje sammen:", *[f"• {q}" for q in FORORD_QUESTIONS])


@pytest.mark.parametrize(
    ("handout_id", "words"),
    [
        (
            "faelles-samarbejdsfora",
            [
                "Hovedudvalget",
                "lokale MED-udvalg",
                "(information, medindflydelse og medbestemmelse)",
            ],
        ),
        ("faglighed-relationer-arbejdsmiljoe", ["Faglighed", "Relationer", "Arbejdsmiljø"]),
        ("de-noedvendige-kompetencer", ["henholdsvis kende, kunne eller mestre et nyt it-system"]),
        ("beskyttelse-af-borgerens-data", ["GDPR", "skal borgerne give samtykke til den."]),
        ("eksempler-paa-teknologi", ["Dagtilbud og skole:", "Administration:"]),
        ("kommunernes-teknologiradar", ["videncenter.kl.dk", "KL’s Teknologiradar"]),
        ("ny-teknologi-er-ofte-digital", ["elevationssenge, rendegravere og whiteboards"]),
    ],
)
def test_the_sections_and_boxes_that_were_missing_are_handouts(
    tmp_path: Path, handout_id: str, words: list[str]
):
    text = printed(tmp_path, "handout", handout_id)
    assert in_order(text, *words)


def test_a_quote_is_printed_with_whom_it_quotes(tmp_path: Path):
    text = printed(tmp_path, "handout", "faelles-samarbejdsfora")
    assert in_order(
        text,
        "når du involverer.",
        "Erhvervspsykologerne Morten Jack og Morten Ejlskov",
        "forskellige faser.",
        "OAO: Digitalisering – hvordan håndterer vi det i SU?",
    )


def test_unintended_effects_open_and_close_as_the_section_does(tmp_path: Path):
    text = printed(tmp_path, "handout", "utilsigtede-effekter")
    body = text.split("Utilsigtede effekter", 1)[1]
    assert body.lstrip().startswith("I arbejdet med ny teknologi er der et naturligt fokus")
    assert "opmærksom på mulige utilsigtede effekter. De kan være både negative" in body
    assert in_order(body, "bedst mulige service.", "Ny teknologi kan således rykke",
                    "relevante fra et medarbejderperspektiv.")  # fmt: skip


# --- the participants' agenda and the source's minutes ------------------------------------


@pytest.mark.parametrize("minutes", [120, 90, 165])
def test_the_participants_agenda_says_what_is_folded_into_an_item(minutes: int):
    facilitator = markdown(
        "agenda", "vaerktoej2", "--for", "facilitator", "--minutes", str(minutes)
    )
    participants = markdown(
        "agenda", "vaerktoej2", "--for", "participants", "--minutes", str(minutes)
    )
    own = dict(re.findall(r"· (Gruppearbejde \d: [^(]+) \((\d+) min\)", facilitator))
    summaries = re.findall(r"· Opsamling i plenum \((\d+) min\)", facilitator)
    assert len(own) == 2 and len(summaries) == 2
    for (title, work), summary in zip(own.items(), summaries, strict=True):
        total = int(work) + int(summary)
        assert (
            f"{title.strip()} ({total} min, heraf {summary} min opsamling i plenum)" in participants
        )
    if minutes == 120:  # the source's own: 30 min each, and the 10 of the summary after it
        assert "(40 min, heraf 10 min opsamling i plenum)" in participants


def test_the_calendar_event_says_it_too():
    result = run_kit(
        "agenda", "vaerktoej2", "--format", "ics", "--date", "2027-01-19", "--start", "12:30",
        "-o", "-",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    from icalendar import Calendar

    (event,) = Calendar.from_ical(result.stdout).walk("VEVENT")
    assert "Kortlæg kerneopgaver (40 min, heraf 10 min opsamling i plenum)" in event["description"]


# --- texts framed as the source frames them ------------------------------------------------


def test_the_med_dialogue_names_its_readers_in_the_back_covers_own_sentences(tmp_path: Path):
    guide = printed(tmp_path, "guide", "sammen-om-ny-teknologi")
    assert "Den kan fx bruges" not in guide.split("Den kan fx bruges som oplæg")[0]
    assert (
        "Publikationen er især henvendt til chefer, ledere, tillidsvalgte og samarbejdsfora "
        "i kommunerne, som står foran eller midt i vigtige teknologibeslutninger. Den kan fx "
        "bruges som oplæg til drøftelser i MED" in guide  # (MED-udvalg may break at its hyphen)
    )
    assert "Som udgangspunkt for fælles drøftelser" not in guide


def test_the_three_perspectives_are_led_in_by_the_articles_words_not_as_questions():
    agenda = markdown("agenda", "hvem-definerer-kerneopgaven", "--for", "facilitator")
    assert "Spørgsmål til grupperne" not in agenda
    assert in_order(agenda, "ud fra disse tre perspektiver:", "1. Den formelle kerneopgave")


def test_the_kits_lead_in_stays_where_the_source_gives_none(library: Library):
    # Værktøj 2's groups lead in with the source's "Opgave til grupperne:".
    agenda = markdown("agenda", "vaerktoej2", "--for", "facilitator")
    assert in_order(
        agenda, "Kortlæg kerneopgaver", "Opgave til grupperne:", "1. Hvilke kerneopgaver"
    )
    assert "Spørgsmål til grupperne" not in agenda


def test_the_two_ways_follow_the_step_that_names_them(tmp_path: Path):
    guide = printed(tmp_path, "guide", "faelles-ramme")
    assert in_order(
        guide,
        "Sådan gør I",
        "først den ene og så den anden: 1. Med udgangspunkt i én formulering af kerneopgaven",
        "2. Med udgangspunkt i jeres vigtigste arbejdsopgaver",
        "Tegn gerne en oversigt",
    )
    assert not re.search(r"den anden: \d\. Tegn", guide)


def test_the_slides_deck_names_no_audience_of_its_own(tmp_path: Path, library: Library):
    assert library.deck("forankring").audience is None
    slides = printed(tmp_path, "slides", "forankring")
    assert "Ledere og medarbejdere" not in slides


def test_the_phase_diagrams_labels_are_marked_as_the_kits(tmp_path: Path):
    text = printed(tmp_path, "handout", "teknologiprocessens-hovedfaser")
    assert in_order(
        text,
        "Implementering · Drift",
        "Note fra fremfaerd-kit: Figurens ord er fordelt på faserne af fremfaerd-kit",
        "Figuren staver »Inplementering«",
    )


@pytest.mark.parametrize(
    ("tool_id", "note", "marked", "unmarked"),
    [
        # Every title the article's words: only the minutes are the kit's.
        (
            "faggrupper-bidrager",
            "Tiderne er et forslag fra fremfaerd-kit: kilden angiver ingen. "
            "Punkternes titler er kildens ord.",
            [],
            ["Lederen spiller ud med sit bud (", "Medarbejderne diskuterer udspillet ("],
        ),
        # Some titles the kit's: those are marked, the source's are not.
        (
            "hvem-definerer-kerneopgaven",
            "Tiderne og titlerne mærket med * er et forslag fra fremfaerd-kit: "
            "kilden angiver ingen dagsorden.",
            ["Velkomst og introduktion * (", "Gruppearbejde om de tre perspektiver * ("],
            ["De tre perspektiver på et fælles møde (", "Saml grupperne ("],
        ),
        (
            "sammen-om-ny-teknologi",
            "Tiderne og titlerne mærket med * er et forslag fra fremfaerd-kit",
            ["Velkomst og introduktion * (", "Næste skridt og afslutning * ("],
            ["1. Kerneopgave (", "4. Inddragelse ("],
        ),
    ],
)
def test_a_suggested_agenda_says_exactly_what_is_the_kits(
    tmp_path: Path, tool_id: str, note: str, marked: list[str], unmarked: list[str]
):
    text = printed(tmp_path, "agenda", tool_id)
    assert note in text
    assert "minuttal" not in text
    for title in marked + unmarked:
        assert title in text
    for title in unmarked:
        assert title.replace(" (", " * (") not in text


def test_the_source_agenda_says_nothing_is_the_kits():
    agenda = markdown("agenda", "vaerktoej2")
    assert "fremfaerd-kit" not in agenda and "\\*" not in agenda


# --- credits -----------------------------------------------------------------------------

VAERKTOEJ2 = "Fremfærd, Værktøj 2: Værdi – af projektet i kerneopgaver og -fagligheder"


def test_every_output_credits_a_publication_in_one_form(tmp_path: Path):
    kit = tmp_path / "kit"
    result = run_kit("build", "-o", str(kit), "-q")
    assert result.returncode == 0, result.stderr
    texts = {
        name: " ".join(
            flat(unhyphenated(p.get_text())) for p in open_pdf((kit / name).read_bytes())
        )
        for name in ("01-guide.pdf", "02-dagsorden-moedeleder.pdf", "04-arbejdsark.pdf")
    }
    texts["05-kort-dialogkort.pdf"] = " ".join(
        flat(p.get_text()) for p in open_pdf((kit / "05-kort-dialogkort.pdf").read_bytes())
    )
    texts["facilitator.html"] = (kit / "facilitator.html").read_text(encoding="utf-8")
    texts["kit show"] = flat(run_kit("show", "vaerktoej2").stdout)
    slides = tmp_path / "s.pdf"
    assert run_kit("slides", "vaerktoej2", "-o", str(slides)).returncode == 0
    texts["slides"] = " ".join(flat(p.get_text()) for p in open_pdf(slides.read_bytes()))
    for name, text in texts.items():
        assert f"Kilde: {VAERKTOEJ2}" in text or name == "05-kort-dialogkort.pdf", name
        assert "Fremfærd: Værktøj 2" not in text and "-fagligheder, Fremfærd" not in text, name
        assert "(Fremfærd)" not in text, name
    dialogkort = "Kilde: Digitalt kompetente kommuner, Kort til dialog og fælles refleksion"
    assert dialogkort in texts["05-kort-dialogkort.pdf"]
    assert dialogkort in texts["01-guide.pdf"]


def test_a_dated_publication_is_credited_with_its_year(tmp_path: Path):
    text = flat(run_kit("show", "faelles-ramme").stdout)
    assert "Kilde: Fremfærd, Fire enkle steder at starte: Fire spørgsmål der sætter" in text
    assert "på dagsordenen (2015). Afsnit: 2) En fælles ramme om alle opgaver?" in text


def test_the_readmes_own_deck_credits_the_consultant(tmp_path: Path):
    from .conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = readme.split("A minimal deck of your own:", 1)[1].split("```yaml", 1)[1]
    (tmp_path / "min-bunke.yaml").write_text(example.split("```", 1)[0], encoding="utf-8")
    result = run_kit("--content", str(tmp_path), "show", "min-bunke")
    assert result.returncode == 0, result.stderr
    assert "Kilde: Egne spørgsmål" in result.stdout
    assert "Digitalt kompetente" not in result.stdout


# --- a workbook deck's title ------------------------------------------------------------------


def workbook(path: Path, sheet: str, title: str | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = sheet
    book.active.append(["Spørgsmål", "Kategori"])
    book.active.append(["Hvad skal børnene opleve?", "Børnene"])
    if title:
        book.properties.title = title
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("sheet", "title", "expected"),
    [
        ("Personalemøde", None, "Personalemøde"),  # the sheet's name
        ("Personalemøde", "Møde i Solsikken", "Møde i Solsikken"),  # the workbook's title
        ("Ark1", None, "Personalemoede"),  # Excel's name: the file's, letters as spelt
        ("Kort", None, "Personalemoede"),  # the starter workbook's sheet
    ],
)
def test_a_workbook_decks_title_is_the_workbooks_own(
    tmp_path: Path, sheet: str, title: str | None, expected: str
):
    workbook(tmp_path / "personalemoede.xlsx", sheet, title)
    result = run_kit("--content", str(tmp_path), "show", "personalemoede")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == expected


def kit_file(tmp_path: Path, deck: str) -> Path:
    (tmp_path / "egne").mkdir()
    workbook(tmp_path / "egne" / "personalemoede.xlsx", "Ark1")
    (tmp_path / "kit.yaml").write_text(
        f"kind: kit\ntool: hvem-definerer-kerneopgaven\ncontent: [egne]\ndecks:\n{deck}",
        encoding="utf-8",
    )
    return tmp_path / "kit.yaml"


def test_a_kit_file_titles_a_deck_from_a_spreadsheet(tmp_path: Path):
    path = kit_file(tmp_path, "  - id: personalemoede\n    title: Personalemøde\n")
    result = run_kit("build", str(path), "-o", str(tmp_path / "ud"), "-q")
    assert result.returncode == 0, result.stderr
    cards = " ".join(
        p.get_text()
        for p in open_pdf((tmp_path / "ud" / "05-kort-personalemoede.pdf").read_bytes())
    )
    assert "Personalemøde" in cards and "Personalemoede" not in cards
    screen = (tmp_path / "ud" / "facilitator.html").read_text(encoding="utf-8")
    data = json.loads(screen.split('id="kit-data">', 1)[1].split("</script>", 1)[0])
    assert [d["title"] for d in data["decks"]] == ["Personalemøde"]


def test_a_kit_file_does_not_retitle_a_publications_deck(tmp_path: Path):
    path = kit_file(tmp_path, "  - id: dialogkort\n    title: Vores kort\n")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run_kit("build", str(path), "-q", cwd=tmp_path)
    assert result.returncode == 2
    assert (
        f"{path}:6:5: decks[0].title: deck `dialogkort` has its own title (the kit file "
        "titles only a deck from a spreadsheet)" in result.stderr
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == before


# --- the kit's own Danish --------------------------------------------------------------------

KIT_WORDING = [
    *sorted((Path(__file__).parent.parent / "templates").rglob("*.j2")),
    Path(__file__).parent.parent / "templates" / "print" / "labels.yaml",
    Path(__file__).parent.parent / "templates" / "kit" / "starter-deck.yaml",
    Path(__file__).parent.parent / "src" / "fremfaerd_kit" / "terminal.py",
    Path(__file__).parent.parent / "src" / "fremfaerd_kit" / "cards.py",
]


@pytest.mark.parametrize(
    "wrong",
    [
        'Uddeling"',  # an index row: Uddelingsark
        "og minuttal er",  # titler og tider
        "er tilpasset {{",  # tilpasset til
        "Slutningen kan ikke holdes",  # Sluttidspunktet
        "Tid tilbage af punktet",  # Resterende tid på punktet
        "mærket * ",  # mærket med *
        "Kortbunke",  # one term: Kortsæt
        "Dialogkort til print",  # every deck, not only the dialogue cards
    ],
)
def test_the_kits_danish_says_it_as_proof_read(wrong: str):
    for path in KIT_WORDING:
        assert wrong not in path.read_text(encoding="utf-8"), path


def test_the_kits_index_and_listing_use_one_term_for_a_deck(tmp_path: Path):
    result = run_kit("build", "-o", str(tmp_path / "kit"), "-q")
    assert result.returncode == 0, result.stderr
    index = (tmp_path / "kit" / "index.md").read_text(encoding="utf-8")
    assert "| Kortsæt (dialogkort) |" in index and "Dialogkort" not in index
    assert "Kortene: ét sæt pr. gruppe." in index
    listing = run_kit("list").stdout
    assert "Kortsæt (decks)" in listing and "Kortbunker" not in listing


# --- two formats a consultant reaches for ------------------------------------------------------

MODEL = ["Målgruppen", "Værdien", "Ambitionen", "Tilgangen"]


def test_the_slides_model_is_a_meeting_with_the_slides_own_questions(
    tmp_path: Path, library: Library
):
    agenda = printed(tmp_path, "agenda", "forankring-kerneopgaven", "--for", "facilitator")
    assert in_order(agenda, "Velkomst og introduktion *", *[f"{t} (20 min)" for t in MODEL])
    assert "Tiderne og titlerne mærket med * er et forslag fra fremfaerd-kit" in agenda
    deck = library.deck("forankring")
    tool = library.tool("forankring-kerneopgaven")
    # The tool writes the deck's questions out (a kit may replace the deck): the same ones.
    assert [g.id for g in tool.group_work] == ["maalgruppen", "vaerdien", "ambitionen", "tilgangen"]
    for group in tool.group_work:
        assert group.questions == [c.question for c in deck.cards_in(group.id)]
        for question in group.questions:
            assert flat(question) in agenda
    assert "Spørg til sidst: ”Inspiration? Mening hos os?”" in agenda
    guide = printed(tmp_path, "guide", "forankring-kerneopgaven")
    assert "Note fra fremfaerd-kit: Kilden er et oplæg på slides, ikke en mødeform" in guide


def test_the_slides_meeting_is_a_kit_with_its_deck(tmp_path: Path):
    (tmp_path / "kit.yaml").write_text(
        "kind: kit\ntool: forankring-kerneopgaven\ndecks: [{id: forankring}]\n"
        "slides: [forankring-kerneopgaven]\n",
        encoding="utf-8",
    )
    result = run_kit("build", str(tmp_path / "kit.yaml"), "-o", str(tmp_path / "ud"), "-q")
    assert result.returncode == 0, result.stderr
    built = {p.name for p in (tmp_path / "ud").iterdir()}
    assert {"04-arbejdsark.pdf", "05-kort-forankring.pdf"} <= built
    assert "07-slides-forankring-kerneopgaven.pdf" in built


def test_the_four_formats_on_one_page_each_marked_where_it_is_the_kits(
    tmp_path: Path, library: Library
):
    out = tmp_path / "out.pdf"
    assert run_kit("handout", "fire-enkle-steder", "-o", str(out)).returncode == 0
    doc = open_pdf(out.read_bytes())
    assert len(doc) == 1
    text = flat(unhyphenated(doc[0].get_text()))
    tools = library.handout("fire-enkle-steder").tools
    titles = [f"{i}) {library.tool(t).title}" for i, t in enumerate(tools, start=1)]
    assert in_order(text, *titles)
    # Each format's note says what of its agenda is the kit's, as its own agenda does.
    sections = re.split(r"\d\) ", text)[1:]
    assert "Tiderne og titlerne mærket med * er et forslag fra fremfaerd-kit." in sections[0]
    assert "Velkomst og introduktion * (10 min)" in sections[0]
    assert "Tiderne er et forslag fra fremfaerd-kit." in sections[3]
    assert "*" not in sections[3].split("Note fra fremfaerd-kit")[0]
    assert "Note fra fremfaerd-kit: Oversigten er fremfaerd-kits sammenstilling" in text


def test_an_overview_naming_an_unknown_tool_is_a_located_error(tmp_path: Path):
    (tmp_path / "o.yaml").write_text(
        "kind: handout\nid: oversigt\ntitle: Oversigt\n"
        "source: {publication: fire-enkle-steder, section: x}\n"
        "tools: [faelles-ramme, faelles-rame]\n",
        encoding="utf-8",
    )
    result = run_kit("check", str(tmp_path))
    assert result.returncode == 2
    assert (
        f"{tmp_path / 'o.yaml'}:5:24: tools[1]: unknown tool `faelles-rame`; "
        "did you mean `faelles-ramme`?" in result.stderr
    )


def test_a_workbooks_title_is_read_with_the_same_bounds_as_its_cards(tmp_path: Path):
    import zipfile

    source = workbook(tmp_path / "source.xlsx", "Ark1", "Vores kort")
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    core = parts["docProps/core.xml"].decode()

    def variant(name: str, new_core: str) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        with zipfile.ZipFile(folder / "kort.xlsx", "w", zipfile.ZIP_DEFLATED) as out:
            for part, data in parts.items():
                out.writestr(part, new_core.encode() if part == "docProps/core.xml" else data)
        return folder

    long = variant("long", core.replace("Vores kort", "Vores  kort\n" + "x" * 9_000))
    result = run_kit("--content", str(long), "show", "kort")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == ("Vores kort " + "x" * 9_000)[:4_000]
    root = core.index("<cp:coreProperties")
    entity = variant("dtd", core[:root] + '<!DOCTYPE x [<!ENTITY a "aaaa">]>' + core[root:])
    result = run_kit("check", str(entity))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 2  # one line and the count
    assert "is not a readable Excel workbook (docProps/core.xml declares a DTD" in result.stderr
