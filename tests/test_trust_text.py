"""Text someone else wrote (issue 24: 3, 4, 5, 6, 9, 15), through the real `kit` command.

One problem is one line whatever the value quotes; controls arrive as YAML escapes as
well as raw bytes and are refused either way; every text of the content and of the kit
file passes the same check, at its line, in `kit check` as in a build; a value is data in
every output; text is compared in one Unicode form; and a kit file's problems all come
out in one run.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from .conftest import REPO, snapshot
from .pdfread import open_pdf, pdf_text
from .test_hostile import Run, run_limited

KIT = "kind: kit\n"
DECK = """\
kind: deck
id: min-bunke
title: TITLE
short_title: Mine
source: {publication: dialogkort, section: Egne spørgsmål}
categories:
  - {id: hverdag, name: NAME, colour: "#1D3B5A"}
cards:
  - id: k1
    category: hverdag
    question: QUESTION
"""


def deck(title: str = "Min bunke", name: str = "Hverdagen", question: str = "Hvad nu?") -> str:
    return DECK.replace("TITLE", title).replace("NAME", name).replace("QUESTION", question)


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))


def problem_lines(run: Run) -> list[str]:
    """The problem lines on standard error, which must be lines only where `\\n` breaks
    them (no other character a terminal or `splitlines` takes for a line end), and which
    must be as many as the closing count says."""
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    assert "\x1b" not in run.stderr and "\x1b" not in run.stdout
    lines = run.stderr.split("\n")
    assert lines[-1] == "", "ends with a line end"
    assert run.stderr.splitlines() == lines[:-1], "no other line end in the output"
    count = re.fullmatch(r"kit: (\d+) problems? found", lines[-2])
    if count is None:  # one error, not a list of problems
        assert len(lines) == 2 and lines[0].startswith("kit: error: "), lines
        return lines[:1]
    assert len(lines) - 2 == int(count[1]), lines
    return lines[:-2]


def located(lines: list[str], *files: str) -> None:
    """Each line starts with `file:line:column: ` of one of `files`."""
    for line in lines:
        assert any(re.match(re.escape(f) + r":\d+:\d+: ", line) for f in files), line


# --- 3. messages and the terminal ------------------------------------------------------


def test_a_line_break_or_escape_in_an_id_value_or_file_name_keeps_a_problem_on_one_line(
    tmp_path: Path,
) -> None:
    forged = "\nkit.yaml:1:1: forged\r\x1b[2J\x1b]0;title\x07\u2028\x85\u202e"
    write(
        tmp_path,
        {
            "kit.yaml": KIT
            + f"tool: {json.dumps('x' + forged)}\n"
            + f"handouts: [{json.dumps('y' + forged)}]\n"
            + f"decks: [{{id: {json.dumps('z' + forged)}}}]\n"
            + "content: [egne]\n"
            + f"{json.dumps('key' + forged)}: 1\n",
            # A file name that says the same: its own problem quotes the name.
            f"egne/a{forged.replace('/', '')}.yaml": "kind: deck\nid: [\n",
        },
    )
    before = snapshot(tmp_path)
    run = run_limited("check", "kit.yaml", cwd=tmp_path)
    assert run.code == 2
    lines = problem_lines(run)
    assert len(lines) == 5, lines
    shown = r"a\nkit.yaml:1:1: forged\r\x1b[2J\x1b]0;title\x07\u2028\x85\u202e.yaml"
    located(lines, "kit.yaml", str(tmp_path / "egne" / shown))
    assert not any("forged" in line.split(": ", 1)[0] for line in lines)
    assert (
        r"unknown key `key\nkit.yaml:1:1: forged\r\x1b[2J\x1b]0;title\x07\u2028\x85" in (lines[-1])
    )
    assert snapshot(tmp_path) == before


def test_kit_show_and_list_print_no_control_and_keep_a_row_a_line(tmp_path: Path) -> None:
    write(tmp_path, {"egne/d.yaml": deck(title=json.dumps("Min\nbunke"))})
    listing = run_limited("--content", "egne", "list", cwd=tmp_path)
    assert listing.code == 0, listing.stderr
    (row,) = [line for line in listing.stdout.splitlines() if "min-bunke" in line]
    assert "Min bunke" in row  # the title's line break is a space: the row is one line
    (tmp_path / "egne" / "d.yaml").write_text(  # as YAML escapes
        deck(title='"Min \\e[2J\\x1b]0;x\\x07bunke"'), encoding="utf-8"
    )
    for args in (("show", "min-bunke"), ("list",), ("show", "x\n\x1b[2J\u202e")):
        run = run_limited("--content", "egne", *args, cwd=tmp_path)
        assert run.code == 2
        (line,) = problem_lines(run)
        assert line.startswith(f"{Path('egne') / 'd.yaml'}:3:1: title: contains the control")
    shown = run_limited("show", "x\n\x1b[2J\u202e", cwd=tmp_path)
    assert shown.code == 2
    (line,) = problem_lines(shown)
    assert line.startswith(r"kit: error: unknown item `x\n\x1b[2J\u202e`")


def test_a_web_address_that_is_wrong_is_named_as_an_address_not_a_colour(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "egne/kilder.yaml": "kind: sources\nsources:\n  - id: egne-kilder\n"
            "    title: Vores kilde\n    publisher: Os\n    url: ftp://example.dk/rapport\n"
        },
    )
    run = run_limited("check", "egne", cwd=tmp_path)
    assert run.code == 2
    (line,) = problem_lines(run)
    assert line.startswith(f"{Path('egne') / 'kilder.yaml'}:6:5: sources[0].url: ")
    assert "is not a web address" in line and "colour" not in line


# --- 4. control characters through YAML escapes --------------------------------------------


ESCAPES = {
    "title": '"Møde\\x07"',
    "organisation": '"\\u0000"',
    "workplace": '"Hal\\rC"',
    "technology": '"robot\\e[31m"',
    "variables:\n  rum": '"a\\u2028b"',  # a line end to `splitlines` and many terminals
}


@pytest.mark.parametrize("command", ["check", "build"])
def test_control_characters_written_as_yaml_escapes_are_refused_where_they_stand(
    command: str, tmp_path: Path
) -> None:
    kit = KIT + 'formats: [pdf, docx]\nbranding:\n  footer: "Fod\\x1b"\n'
    kit += "".join(f"{key}: {value}\n" for key, value in ESCAPES.items())
    write(tmp_path, {"kit.yaml": kit})
    before = snapshot(tmp_path)
    run = run_limited(command, "kit.yaml", cwd=tmp_path)
    assert run.code == 2
    lines = problem_lines(run)
    located(lines, "kit.yaml")
    assert [line.split(": ")[1] for line in lines] == [
        "branding.footer",
        "title",
        "organisation",
        "workplace",
        "technology",
        "variables.rum",
    ]
    assert "U+001B (ESC)" in lines[0] and "U+0007 (BEL)" in lines[1]
    assert "U+0000 (NUL)" in lines[2] and "U+000D (carriage return)" in lines[3]
    assert "U+2028 (line separator)" in lines[5]
    assert snapshot(tmp_path) == before, "nothing written"


def test_a_control_character_escaped_in_content_is_refused_by_kit_check(tmp_path: Path) -> None:
    write(tmp_path, {"egne/d.yaml": deck(question='"Hvad nu?\\x07\\0"')})
    run = run_limited("check", "egne", cwd=tmp_path)
    assert run.code == 2
    assert problem_lines(run) == [
        f"{Path('egne') / 'd.yaml'}:11:5: cards[0].question: contains the control character "
        "U+0007 (BEL); a text holds none (remove it)"
    ]


# --- 5. every text field passes the text checks ----------------------------------------------


@pytest.mark.parametrize("command", ["check", "build"])
def test_right_to_left_and_undrawable_text_in_any_field_is_located(
    command: str, tmp_path: Path
) -> None:
    write(
        tmp_path,
        {
            "kit.yaml": KIT
            + "title: Møde om 漢字\n"
            + "organisation: Kommune \u202eenummok\n"
            + "workplace: בית\n"
            + "branding:\n  footer: Hilsen ☃ 🙂\n"
            + "content: [egne]\n"
            + "decks: [{id: min-bunke}]\n",
            "egne/d.yaml": deck(name="Hverdag ܐ", title="Bunke ༄"),
        },
    )
    before = snapshot(tmp_path)
    run = run_limited(command, "kit.yaml", cwd=tmp_path)
    assert run.code == 2
    lines = problem_lines(run)
    deck_file = str(tmp_path / "egne" / "d.yaml")
    located(lines, "kit.yaml", deck_file)
    where = [":".join(line.split(":")[:2]) + " " + line.split(": ")[1] for line in lines]
    assert where == [
        f"{deck_file}:3 title",
        f"{deck_file}:7 categories[0].name",
        "kit.yaml:2 title",
        "kit.yaml:3 organisation",
        "kit.yaml:4 workplace",
        "kit.yaml:6 branding.footer",
    ]
    assert "the font cannot draw '༄' (U+0F04)" in lines[0]
    assert "right-to-left text ('ܐ' (U+0710))" in lines[1]
    assert "the font cannot draw '漢' (U+6F22), '字' (U+5B57)" in lines[2]
    assert "direction controls ('\\u202e' (U+202E))" in lines[3]
    assert "right-to-left text" in lines[4]
    assert "'🙂' (U+1F642)" in lines[5]
    assert snapshot(tmp_path) == before


# --- 6. values are data in every output -------------------------------------------------


def test_a_value_printed_raw_by_a_template_makes_no_markdown_structure(tmp_path: Path) -> None:
    # A template override that prints values without a filter: each is still one line of
    # text (a heading, a rule, a quote, a fence, a checkbox or an entity in it is text).
    raw = "\n\n{{ vars.teknologi }}\n\n{{ vars.rum }}\n\n{{ vars.dato }}\n"
    handout = (REPO / "templates" / "documents" / "handout.md.j2").read_text(encoding="utf-8")
    write(
        tmp_path,
        {
            "kit.yaml": KIT
            + "templates: t\nhandouts: [businesscase]\n"
            + 'technology: "# Rubrik *** &amp;"\n'
            + 'variables:\n  rum: "> citat\\n```\\n- [ ] Falsk: felt"\n  dato: "=== ~~~"\n',
            "t/documents/handout.md.j2": handout + raw,
        },
    )
    run = run_limited("build", "kit.yaml", "-o", "out", "-q", cwd=tmp_path)
    assert run.code == 0, run.stderr
    (pdf,) = (tmp_path / "out").glob("*businesscase*.pdf")
    lines = [line for page in open_pdf(pdf.read_bytes()) for line in page.get_text().splitlines()]
    assert "# Rubrik *** &amp;" in lines
    assert "> citat ``` - [ ] Falsk: felt" in lines
    assert "=== ~~~" in lines


def test_a_name_with_a_line_break_or_a_control_is_one_located_problem(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "kit.yaml": KIT
            + "technology: |\n  robot\n  # Overskrift\n"
            + 'workplace: "Hal C\\r==="\n'
            + 'branding:\n  footer: "Fod\\u2028linje"\n'
        },
    )
    run = run_limited("check", "kit.yaml", cwd=tmp_path)
    assert run.code == 2
    lines = problem_lines(run)
    assert [line.split(": ")[0:2] for line in lines] == [
        ["kit.yaml:2:1", "technology"],
        ["kit.yaml:5:1", "workplace"],
        ["kit.yaml:7:3", "branding.footer"],
    ]
    assert "is one line of text" in lines[0]
    assert "U+000D (carriage return)" in lines[1] and "U+2028 (line separator)" in lines[2]
    sheet = run_limited(
        "worksheet", "vaerktoej2", "--set", "teknologi=x\n# Overskrift", "-o", "w.pdf",
        cwd=tmp_path,
    )  # fmt: skip
    assert sheet.code == 2
    (line,) = problem_lines(sheet)
    assert "--set" in line and "teknologi: the value is one line of text" in line


def test_card_text_reads_the_same_on_the_screen_the_slides_and_the_printed_card(
    tmp_path: Path,
) -> None:
    # Content text fills in the kit's variables on every view of a deck, and only there:
    # the value filled in is data (its `{{ 7*7 }}` is printed, not run).
    question = "Hvad er {{ 7*7 }}, {% raw %}{{ x }}{% endraw %} og {{ teknologi }}?"
    write(
        tmp_path,
        {
            "egne/d.yaml": deck(question=json.dumps(question)),
            "kit.yaml": KIT + "content: [egne]\ndecks: [{id: min-bunke}]\nslides: [min-bunke]\n"
            'technology: "{{ 7*7 }} # ***"\n',
        },
    )
    run = run_limited("build", "kit.yaml", "-o", "out", "-q", cwd=tmp_path)
    assert run.code == 0, run.stderr
    printed = "Hvad er 49, {{ x }} og {{ 7*7 }} # ***?"
    html = (tmp_path / "out" / "facilitator.html").read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="kit-data">(.*?)</script>', html, re.S)
    assert found is not None
    (shown,) = [card for d in json.loads(found[1])["decks"] for card in d["cards"]
                if card.get("number") == 1]  # fmt: skip
    assert shown["question"] == printed
    cards = " ".join(pdf_text(p) for p in (tmp_path / "out").glob("*kort*.pdf"))
    slides = pdf_text(next((tmp_path / "out").glob("*slides*.pdf")))
    assert printed in cards and printed in slides


def test_a_variable_named_like_a_name_of_the_templates_is_a_located_error(tmp_path: Path) -> None:
    write(tmp_path, {"kit.yaml": KIT + "variables:\n  rum: A\n  self: x\n  loop: y\n"})
    run = run_limited("check", "kit.yaml", cwd=tmp_path)
    assert run.code == 2
    lines = problem_lines(run)
    assert [line.split(": ")[0:2] for line in lines] == [
        ["kit.yaml:4:3", "variables.self"],
        ["kit.yaml:5:3", "variables.loop"],
    ]
    assert "`self` is a name Jinja gives a template itself" in lines[0]
    sheet = run_limited("worksheet", "vaerktoej2", "--set", "self=x", "-o", "w.pdf", cwd=tmp_path)
    assert sheet.code == 2
    (line,) = problem_lines(sheet)
    assert "--set" in line and "`self` is a name Jinja gives" in line
    assert not (tmp_path / "w.pdf").exists()


# --- 9. Unicode normalisation --------------------------------------------------------------


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_a_decomposed_file_name_gives_the_same_deck_id(tmp_path: Path) -> None:
    folder = tmp_path / "egne"
    folder.mkdir()
    (folder / nfd("kåre spørgsmål.csv")).write_text("spørgsmål\nHvad nu?\n", encoding="utf-8")
    run = run_limited("--content", "egne", "list", cwd=tmp_path)
    assert run.code == 0, run.stderr
    (row,) = [line for line in run.stdout.splitlines() if "kaare" in line]
    assert row.split()[0] == "kaare-spoergsmaal"
    assert "Kåre spørgsmål" in row and nfd("å") not in run.stdout


def test_one_category_name_in_two_normal_forms_is_one_category(tmp_path: Path) -> None:
    rows = f"spørgsmål;kategori\nHvad nu?;Håb\nOg så?;{nfd('Håb')}\n"
    write(tmp_path, {"egne/håb.csv": rows})
    run = run_limited("--content", "egne", "show", "haab", cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert "2 kort i 1 kategori" in run.stdout and "Håb (2)" in run.stdout
    assert nfd("å") not in run.stdout


def test_a_kit_file_names_a_folder_saved_decomposed(tmp_path: Path) -> None:
    write(tmp_path, {f"{nfd('spørgsmål-å')}/d.yaml": deck(name=nfd("Håb"))})
    write(tmp_path, {"kit.yaml": KIT + "content: [spørgsmål-å]\ndecks: [{id: min-bunke}]\n"})
    run = run_limited("check", "kit.yaml", cwd=tmp_path)
    assert run.code == 0, run.stderr
    shown = run_limited("--content", nfd("spørgsmål-å"), "show", "min-bunke", cwd=tmp_path)
    assert "Håb (1)" in shown.stdout and nfd("Håb") not in shown.stdout


# --- 15. located, and all at once --------------------------------------------------------


def test_an_impossible_date_hides_no_other_problem_of_the_kit_file(tmp_path: Path) -> None:
    write(tmp_path, {"kit.yaml": KIT + "date: 2026-02-30\ntool: vaerktoej3\ngroups: mange\n"})
    for command in ("check", "build"):
        run = run_limited(command, "kit.yaml", cwd=tmp_path)
        assert run.code == 2
        assert problem_lines(run) == [
            "kit.yaml:2:7: date: `2026-02-30` is not a valid date; quote it to keep it as text",
            "kit.yaml:3:1: tool: unknown tool `vaerktoej3`; did you mean `vaerktoej2`?",
            "kit.yaml:4:1: groups: expected a whole number, got `'mange'`",
        ]


def test_an_impossible_date_in_content_hides_no_other_problem_of_the_file(tmp_path: Path) -> None:
    text = deck(question='"Hvad nu?\\x07"').replace("short_title: Mine\n", "short_title: 7\n")
    write(tmp_path, {"egne/d.yaml": text.replace("title: Min", "when: 2026-13-01\ntitle: Min")})
    run = run_limited("check", "egne", cwd=tmp_path)
    assert run.code == 2
    assert [line.split(": ")[0:2] for line in problem_lines(run)] == [
        [f"{Path('egne') / 'd.yaml'}:3:7", "when"],
        [f"{Path('egne') / 'd.yaml'}:5:1", "short_title"],
        [f"{Path('egne') / 'd.yaml'}:12:5", "cards[0].question"],
    ]
