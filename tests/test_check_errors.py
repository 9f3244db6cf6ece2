"""`kit check` on broken files: one file per rule, each with its exact message and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from fremfaerd_kit.cli import app
from fremfaerd_kit.errors import ContentError
from fremfaerd_kit.library import load_library

from .conftest import run_kit

DECK = """\
kind: deck
id: min-bunke
title: Min bunke
short_title: Mine
source: {publication: dialogkort, section: Egne}
categories:
  - {id: a, name: Område A, colour: "#1D3B5A"}
cards:
  - id: k1
    category: a
    question: Hvad gør vi nu?
"""

TOOL = """\
kind: tool
id: mit-moede
label: Møde
title: Mit møde
source: {publication: vaerktoej2, section: Egne}
purpose: At tale sammen.
meeting: {title: Mødet}
agenda:
  blocks:
    - id: start
      title: Start
      minutes: 10
"""

runner = CliRunner()

# (file text, expected "line:column: key.path: message")
CASES = {
    "syntax": (
        DECK.replace("title: Min bunke", "title: [Min bunke"),
        "4:12: YAML syntax error: did not find expected ',' or ']'",  # libyaml's wording
    ),
    "wrong-type": (
        DECK.replace("question: Hvad gør vi nu?", "question: [1, 2]"),
        "11:5: cards[0].question: expected text, got a list",
    ),
    "unknown-key": (
        DECK.replace("    question:", "    qeustion: x\n    question:"),
        "11:5: cards[0].qeustion: unknown key `qeustion`; did you mean `question`?",
    ),
    "missing-field": (
        DECK.replace("short_title: Mine\n", ""),
        "1:1: short_title: missing required field `short_title`",
    ),
    "bad-id": (
        DECK.replace("id: min-bunke", "id: Min Bunke"),
        "2:1: id: `Min Bunke` is not a valid id",
    ),
    "dangling-category": (
        DECK.replace("category: a", "category: b"),
        "10:5: cards[0].category: unknown category `b` (known: a)",
    ),
    "dangling-publication": (
        DECK.replace("publication: dialogkort", "publication: dialogkrt"),
        "5:10: source.publication: unknown publication `dialogkrt`; did you mean `dialogkort`?",
    ),
    "duplicate-card": (
        DECK + '  - {id: k1, category: a, question: "Og så?"}\n',
        "12:6: cards[1].id: duplicate id `k1` in `cards`",
    ),
    "duplicate-key": (
        DECK.replace("title: Min bunke", "title: Min bunke\ntitle: Igen"),
        "4:1: title: duplicate key `title`",
    ),
    "colour": (
        DECK.replace('"#1D3B5A"', "blue"),
        "7:29: categories[0].colour: `blue` is not a colour like `#1D3B5A`",
    ),
    "split-word": (
        DECK.replace("Hvad gør vi nu?", "Hvordan under- støtter vi?"),
        "11:5: cards[0].question: `under- støtter` looks like a word split",
    ),
    "replacement-char": (
        DECK.replace("Hvad gør", "\ufffdHvad gør"),
        "11:5: cards[0].question: contains a replacement character",
    ),
    "ligature": (
        DECK.replace("Hvad gør vi nu?", "Hvad er Mo<va<onen?"),
        "11:5: cards[0].question: `Mo<va<onen?` looks like a lost ligature",
    ),
    "unknown-kind": (
        DECK.replace("kind: deck", "kind: dek"),
        "1:1: kind: unknown kind `dek`; did you mean `deck`?",
    ),
    "minutes-zero": (
        TOOL.replace("minutes: 10", "minutes: 0"),
        "12:7: agenda.blocks[0].minutes: minutes must be a positive whole number",
    ),
    "minutes-text": (
        TOOL.replace("minutes: 10", "minutes: ti"),
        "12:7: agenda.blocks[0].minutes: minutes must be a positive whole number",
    ),
    "minutes-float": (
        TOOL.replace("minutes: 10", "minutes: 7.5"),
        "12:7: agenda.blocks[0].minutes: minutes must be a positive whole number",
    ),
    "dangling-group-work": (
        TOOL.replace("minutes: 10", "minutes: 10\n      group_work: gw"),
        "13:7: agenda.blocks[0].group_work: unknown group work `gw` (known: none)",
    ),
    "empty": ("", "min.yaml: is empty"),
    "not-a-mapping": ("- a\n- b\n", "1:1: expected a mapping with a `kind`"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_file_gives_its_message_at_its_line(tmp_path: Path, case: str):
    text, expected = CASES[case]
    path = tmp_path / "min.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    first_line = result.stderr.splitlines()[0]
    separator = "" if expected.startswith("min.yaml") else ":"
    target = expected.removeprefix("min.yaml")
    assert first_line.startswith(f"{path}{separator}{target}"), first_line


def test_latin1_file_is_named_as_not_utf8(tmp_path: Path):
    path = tmp_path / "latin.yaml"
    path.write_bytes(DECK.replace("Område", "Omr\u00e5de").encode("latin-1"))
    with pytest.raises(ContentError) as caught:
        load_library([path])
    assert (
        str(caught.value) == f"{path}:7: is not UTF-8 (perhaps Latin-1 or Windows-1252); "
        "save it as UTF-8"
    )


def test_utf8_bom_is_accepted(tmp_path: Path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + DECK.encode("utf-8"))
    library = load_library([path])
    assert library.deck("min-bunke").cards[0].question == "Hvad gør vi nu?"


def test_duplicate_item_id_across_files_names_both(tmp_path: Path):
    (tmp_path / "a.yaml").write_text(DECK, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(DECK, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_library([tmp_path])
    assert str(caught.value) == (
        f"{tmp_path / 'b.yaml'}:2:1: id: duplicate id `min-bunke`: also in {tmp_path / 'a.yaml'}"
        "; to replace that item on purpose, add `replaces: true`"
    )


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path):
    (tmp_path / "a.yaml").write_text(CASES["wrong-type"][0], encoding="utf-8")
    (tmp_path / "b.yaml").write_text(CASES["minutes-zero"][0], encoding="utf-8")
    result = run_kit("check", str(tmp_path))
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 3
    assert lines[-1] == "kit: 2 problems found"


def test_a_clean_own_file_checks_ok_with_the_built_in_library(tmp_path: Path):
    path = tmp_path / "ok.yaml"
    path.write_text(DECK, encoding="utf-8")
    result = run_kit("check", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: 7 tools, 4 decks, 22 handouts")


def test_very_large_file_is_refused_without_reading_it(tmp_path: Path):
    path = tmp_path / "big.yaml"
    path.write_text("kind: deck\n" + "# padding\n" * 1_700_000, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_library([path])
    assert "is larger than 16 MB" in str(caught.value)
