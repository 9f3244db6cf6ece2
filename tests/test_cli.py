"""The `kit` command as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

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
    assert result.stdout == "ok: 7 tools, 3 decks, 22 handouts\n"


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
    assert "Uddelingsark (handouts) (22)" in result.stdout


def test_readme_shows_a_front_and_a_back_sheet():
    from .conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in ("docs/cards-front.png", "docs/cards-back.png"):
        assert f"]({name})" in readme
        assert (REPO / name).read_bytes().startswith(b"\x89PNG")


# --- what a user of a Python CLI expects ----------------------------------------------------


def test_version_is_the_installed_one():
    from importlib.metadata import version

    result = run_kit("--version")
    assert result.returncode == 0
    assert result.stdout == f"kit {version('fremfaerd-kit')}\n"


def complete(words: str) -> list[str]:
    """What bash completion offers for the last word of `words`, as bash asks Typer."""
    parts = words.split(" ")
    result = run_kit(
        env={
            "_KIT_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(parts) - 1),
        }
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_bash_completion_offers_ids_from_the_library_and_choices():
    assert complete("kit agenda vae") == ["vaerktoej2"]
    assert complete("kit cards f") == ["fem-spoergsmaal", "forankring"]
    assert "kompetencehjulet" in complete("kit handout k")
    assert complete("kit cards --paper ") == ["a4", "letter"]
    assert complete("kit cards --backs f") == ["fold"]
    script = run_kit("--show-completion", "bash")
    assert script.returncode == 0 and "_kit_completion" in script.stdout


def test_help_reads_as_words_and_lists_the_choices():
    for command in ("cards", "agenda", "guide", "worksheet", "handout", "build", "check", "show"):
        text = run_kit(command, "--help").stdout
        for odd in ("<str>", "<list[str]>", "<int>", "<path>", "{", "[[", "]]"):
            assert odd not in text, (command, odd)
    cards = run_kit("cards", "--help").stdout
    for shown in ("[a4|letter]", "[long|short]", "[duplex|fold|none]", "[sheet|shop]", "FILE"):
        assert shown in cards
    assert "Usage: kit cards [OPTIONS] [DECK]..." in cards
    agenda = run_kit("agenda", "--help").stdout
    for shown in ("Usage: kit agenda [OPTIONS] TOOL", "MINUTES", "HH:MM", "YYYY-MM-DD"):
        assert shown in agenda
    assert "[pdf|md|ics|docx]" in agenda and "[facilitator|participants|both]" in agenda
    for command in ("guide", "worksheet", "handout"):
        assert "[pdf|docx]" in run_kit(command, "--help").stdout
    for command in ("present", "slides", "printer"):
        text = run_kit(command, "--help").stdout
        assert not any(odd in text for odd in ("<str>", "<list[str]>", "<path>", "{")), command


def test_choices_are_case_insensitive(tmp_path: Path):
    result = run_kit("cards", "--paper", "A4", "--backs", "Fold", "--duplex", "Short",
                     "-o", "k.pdf", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "fronts and backs side by side, fold" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("cards",),
        ("cards", "--calibrate"),
        ("agenda", "vaerktoej2"),
        ("guide", "vaerktoej2"),
        ("worksheet", "vaerktoej2"),
        ("handout", "businesscase"),
    ],
)
def test_dash_o_dash_streams_the_pdf_and_nothing_else(tmp_path: Path, args):
    result = subprocess.run(
        [sys.executable, "-m", "fremfaerd_kit", *args, "-o", "-"],
        cwd=tmp_path, capture_output=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"%PDF-")
    assert result.stdout.rstrip().endswith(b"%%EOF")
    assert b"wrote " in result.stderr and b"standard output" in result.stderr
    assert list(tmp_path.iterdir()) == []  # no file called `-`


def test_printer_without_print_warns(tmp_path: Path):
    result = run_kit("cards", "--printer", "kontor", "-o", "k.pdf", cwd=tmp_path)
    assert result.returncode == 0
    assert "kit: warning: --printer is used only with --print; not printing" in result.stderr


def test_debug_keeps_the_exit_code(tmp_path: Path):
    result = run_kit("--debug", "agenda", "vaerktoej3", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" in result.stderr and "unknown tool `vaerktoej3`" in result.stderr


def test_a_second_run_says_it_replaced_the_file(tmp_path: Path):
    first = run_kit("handout", "businesscase", cwd=tmp_path)
    second = run_kit("handout", "businesscase", cwd=tmp_path)
    assert first.stdout == "wrote businesscase.pdf\n"
    assert second.stdout == "replaced businesscase.pdf\n"


def test_list_fits_the_terminal_and_counts_in_danish(tmp_path: Path):
    (tmp_path / "en.csv").write_text("spørgsmål\nHvad nu?\n", encoding="utf-8")
    result = run_kit("--content", "en.csv", "list", cwd=tmp_path, env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "[1 kort, 1 kategori]" in result.stdout
    wide = run_kit("list", env={"COLUMNS": "200"}).stdout
    assert "Værktøj 2: Værdi – af projektet i kerneopgaver og -fagligheder" in wide


def test_each_example_kit_builds_into_a_folder_of_its_own(tmp_path: Path):
    from .conftest import REPO

    for kit_file in sorted((REPO / "examples").glob("*/kit.yaml")):
        result = run_kit("build", str(kit_file), "-q", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "kit-laeringsplatform-dagtilbud",
        "kit-softwarerobot-borgerservice",
        "kit-vasketoilet-hjemmepleje",
    ]
    (tmp_path / "min-kit.yaml").write_text("kind: kit\n", encoding="utf-8")
    assert run_kit("build", "min-kit.yaml", "-q", cwd=tmp_path).returncode == 0
    assert (tmp_path / "min-kit" / "01-guide.pdf").is_file()
