"""The `kit` command as a user runs it."""

from __future__ import annotations

from pathlib import Path

from .conftest import run_kit


def test_help_lists_the_commands():
    result = run_kit("--help")
    assert result.returncode == 0
    for command in ("list", "show", "check"):
        assert command in result.stdout


def test_list_shows_ids_titles_and_counts():
    result = run_kit("list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    row = next(line for line in lines if line.strip().startswith("dialogkort"))
    assert "Kort til dialog og fælles refleksion" in row
    assert "35 kort, 4 kategorier" in row
    row = next(line for line in lines if line.strip().startswith("vaerktoej2"))
    assert "120 min, 7 punkter" in row


def test_show_tool_prints_agenda_in_order_with_minutes_and_questions():
    result = run_kit("show", "vaerktoej2")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    blocks = [
        "10 min  Velkomst og introduktion",
        "30 min  Gruppearbejde 1: Kortlæg kerneopgaver",
        "10 min  Opsamling i plenum",
        "30 min  Gruppearbejde 2: Kernefaglighed i spil",
        "20 min  Fælles refleksion",
        "10 min  Næste skridt og afslutning",
    ]
    positions = [text.index(b) for b in blocks]
    assert positions == sorted(positions)
    assert "Bliver opgaven nemmere, sværere, ændrer den karakter?" in text
    assert "I er klar til næste fase, for nu har I:" in text


def test_show_deck_prints_categories_and_cards():
    result = run_kit("show", "fem-spoergsmaal")
    assert result.returncode == 0
    assert "Inddragelse (5): Hvordan skal vi samarbejde om god implementering?" in result.stdout


def test_show_unknown_id_suggests_the_nearest():
    result = run_kit("show", "vaerktoej")
    assert result.returncode == 2
    assert result.stderr == "kit: error: unknown item `vaerktoej`; did you mean `vaerktoej2`?\n"


def test_check_built_in_library_is_clean():
    result = run_kit("check")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok: 6 tools, 3 decks, 11 handouts\n"


def test_own_content_folder_extends_the_library(tmp_path: Path):
    (tmp_path / "egne.yaml").write_text(
        "kind: handout\nid: egne-raad\ntitle: Egne råd\n"
        "source: {publication: vaerktoej2, section: Egne}\n"
        "items:\n  - text: Tal sammen.\n",
        encoding="utf-8",
    )
    result = run_kit("--content", str(tmp_path), "show", "egne-raad")
    assert result.returncode == 0, result.stderr
    assert "Tal sammen." in result.stdout


def test_module_runs_like_the_command():
    result = run_kit("list")
    assert "Uddelingsark (handouts) (11)" in result.stdout


def test_readme_shows_a_front_and_a_back_sheet():
    from .conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in ("docs/cards-front.png", "docs/cards-back.png"):
        assert f"]({name})" in readme
        assert (REPO / name).read_bytes().startswith(b"\x89PNG")
