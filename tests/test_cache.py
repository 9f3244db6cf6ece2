"""The cache of what the kit has read: the same results as reading afresh, never stale,
never trusted blindly, never in the way."""

from __future__ import annotations

import marshal
import os
import pickle
from pathlib import Path

import pytest

from fremfaerd_kit import cache
from fremfaerd_kit.library import VARIABLE_TEXTS, load_library

from .conftest import run_kit
from .pdfread import pdf_text
from .test_spreadsheets import DANISH_EXCEL

DECK = """\
kind: deck
id: egne
title: Egne kort
short_title: Egne
source: {publication: egne, section: workshop}
categories:
  - {id: hverdag, name: Hverdag, colour: "#1D3B5A"}
cards:
  - {id: k1, category: hverdag, question: "Hvad fylder i jeres hverdag?"}
  - {id: k2, category: hverdag, question: "Hvad betyder {{ teknologi }} for jer?"}
"""

SET = ("--set", "teknologi=robotter")
"""The deck's one variable: a card that uses a variable not set is a located problem."""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own (the test process and every `kit` it starts)."""
    where = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(where))
    monkeypatch.delenv("FREMFAERD_KIT_NO_CACHE", raising=False)
    return where / "fremfaerd-kit"


def content(tmp_path: Path, question: str = "Hvad fylder i jeres hverdag?") -> Path:
    where = tmp_path / "egne"
    where.mkdir(exist_ok=True)
    (where / "egne.yaml").write_text(DECK.replace("Hvad fylder i jeres hverdag?", question))
    return where


def entries(folder: Path, kind: str) -> list[Path]:
    return sorted((folder / kind).glob("*.pickle")) if (folder / kind).is_dir() else []


def test_a_kept_library_is_the_library_read_afresh(folder: Path, tmp_path: Path) -> None:
    extra = content(tmp_path)
    fresh = load_library([extra], cache=False)
    assert entries(folder, "library") == []
    first = load_library([extra])  # read, and kept
    assert len(entries(folder, "library")) == 1
    VARIABLE_TEXTS.discard("Hvad betyder {{ teknologi }} for jer?")
    kept = load_library([extra])  # from the cache
    assert kept is not first
    for table in ("tools", "decks", "handouts", "publications"):
        assert getattr(kept, table) == getattr(fresh, table), table
    assert kept.files.keys() == fresh.files.keys()
    assert kept.files["egne"].path == fresh.files["egne"].path
    assert kept.files["egne"].marks == fresh.files["egne"].marks
    assert "Hvad betyder {{ teknologi }} for jer?" in VARIABLE_TEXTS, "kept with the library"


def test_a_changed_file_is_read_again(folder: Path, tmp_path: Path) -> None:
    extra = content(tmp_path)
    assert load_library([extra]).deck("egne").cards[0].question == "Hvad fylder i jeres hverdag?"
    content(tmp_path, "Hvem gør hvad, når teknologien kommer?")
    changed = load_library([extra]).deck("egne").cards[0].question
    assert changed == "Hvem gør hvad, når teknologien kommer?"
    result = run_kit("--content", str(extra), "show", "egne")
    assert result.returncode == 0, result.stderr
    assert "Hvem gør hvad, når teknologien kommer?" in result.stdout
    assert "Hvad fylder i jeres hverdag?" not in result.stdout


def test_a_library_with_problems_is_not_kept(folder: Path, tmp_path: Path) -> None:
    extra = content(tmp_path)
    (extra / "egne.yaml").write_text(DECK.replace("category: hverdag", "category: ukendt"))
    result = run_kit("--content", str(extra), "cards", "egne", "-o", str(tmp_path / "x.pdf"))
    assert result.returncode == 2
    assert "unknown category `ukendt`" in result.stderr
    assert entries(folder, "library") == [] or all(
        "ukendt" not in str(cache.recall("library", p.stem, lambda found: True))
        for p in entries(folder, "library")
    )
    again = run_kit("--content", str(extra), "cards", "egne", "-o", str(tmp_path / "x.pdf"))
    assert again.returncode == 2 and "unknown category `ukendt`" in again.stderr


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "other key"])
def test_a_damaged_entry_is_read_past_and_replaced(
    folder: Path, tmp_path: Path, damage: str
) -> None:
    extra = content(tmp_path)
    load_library([extra])
    (entry,) = entries(folder, "library")
    whole = entry.read_bytes()
    entry.write_bytes(
        {
            "truncated": whole[: len(whole) // 2],
            "garbage": os.urandom(4096),
            "empty": b"",
            "other key": pickle.dumps(("0" * 64, "not a library")),
        }[damage]
    )
    assert load_library([extra]).deck("egne").cards[0].id == "k1"
    assert entry.read_bytes() == whole, "the damaged entry is written again whole"


class _Payload:
    """A pickle that runs a command when it is loaded by a trusting unpickler."""

    def __init__(self, mark: Path) -> None:
        self.mark = mark

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.mark}",))


def test_a_tampered_entry_runs_no_code(folder: Path, tmp_path: Path) -> None:
    extra = content(tmp_path)
    mark = tmp_path / "ran"
    load_library([extra])
    result = run_kit(
        "--content", str(extra), "cards", "egne", *SET, "-o", str(tmp_path / "a.pdf")
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    planted = list(folder.rglob("*.pickle"))
    assert {p.parent.name for p in planted} >= {"library", "fonts", "settings"}
    for entry in planted:
        key = entry.stem
        entry.write_bytes(pickle.dumps((key, _Payload(mark))))
    result = run_kit(
        "--content", str(extra), "cards", "egne", *SET, "-o", str(tmp_path / "b.pdf")
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert not mark.exists(), "a pickle naming os.system was loaded"
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_kept_fonts_and_settings_print_the_same_bytes(folder: Path, tmp_path: Path) -> None:
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    off = run_kit(
        "cards", "-o", "off.pdf", cwd=tmp_path, env={**env, "FREMFAERD_KIT_NO_CACHE": "1"}
    )
    assert off.returncode == 0, off.stderr
    assert not folder.exists(), "FREMFAERD_KIT_NO_CACHE=1 writes no cache"
    cold = run_kit("cards", "-o", "cold.pdf", cwd=tmp_path, env=env)
    warm = run_kit("cards", "-o", "warm.pdf", cwd=tmp_path, env=env)
    assert cold.returncode == warm.returncode == 0, cold.stderr + warm.stderr
    for kind in ("library", "fonts", "settings", "hyphenation"):
        assert entries(folder, kind), kind
    off_pdf = (tmp_path / "off.pdf").read_bytes()
    assert (tmp_path / "cold.pdf").read_bytes() == off_pdf
    assert (tmp_path / "warm.pdf").read_bytes() == off_pdf


def test_a_kept_web_font_gives_the_same_screen(folder: Path, tmp_path: Path) -> None:
    off = run_kit(
        "present", "vaerktoej2", "-o", "off.html", cwd=tmp_path,
        env={"FREMFAERD_KIT_NO_CACHE": "1"},
    )  # fmt: skip
    cold = run_kit("present", "vaerktoej2", "-o", "cold.html", cwd=tmp_path)
    warm = run_kit("present", "vaerktoej2", "-o", "warm.html", cwd=tmp_path)
    assert off.returncode == cold.returncode == warm.returncode == 0, cold.stderr
    assert len(entries(folder, "web-fonts")) == 2, "the regular and the bold subset"
    page = (tmp_path / "off.html").read_bytes()
    assert b"data:font/ttf;base64," in page
    assert (tmp_path / "cold.html").read_bytes() == page
    assert (tmp_path / "warm.html").read_bytes() == page
    for entry in entries(folder, "web-fonts"):  # a damaged subset is cut again
        entry.write_bytes(b"not a pickle")
    again = run_kit("present", "vaerktoej2", "-o", "again.html", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "again.html").read_bytes() == page


def test_a_cache_folder_that_is_a_file_is_no_error(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    result = run_kit("cards", "-o", str(tmp_path / "a.pdf"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert blocker.read_text() == ""


def test_old_entries_are_pruned(folder: Path) -> None:
    for n in range(cache.MAX_ENTRIES + 5):
        cache.keep("library", cache.digest(str(n)), {"n": n})
    assert len(entries(folder, "library")) == cache.MAX_ENTRIES
    newest = cache.MAX_ENTRIES + 4
    assert cache.recall("library", cache.digest(str(newest)), lambda found: True) == {"n": newest}


def test_the_spreadsheet_note_is_said_from_the_cache_too(folder: Path, tmp_path: Path) -> None:
    deck = tmp_path / "deck"
    deck.mkdir()
    (deck / "drift.csv").write_bytes(DANISH_EXCEL.encode("cp1252"))
    first = run_kit("--content", str(deck), "show", "drift")
    second = run_kit("--content", str(deck), "show", "drift")
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert "read as Windows-1252" in first.stderr
    assert first.stderr == second.stderr
    assert first.stdout == second.stdout


def test_a_card_problem_is_located_from_a_kept_library_too(folder: Path, tmp_path: Path) -> None:
    # A problem found only as the cards are planned (a text that fits no card), after
    # the library was read and kept (a character no output can show is the library's).
    extra = content(tmp_path, "Hvad siger " + "ordet " * 600 + "om det?")
    runs = [run_kit("--content", str(extra), "cards", "egne", *SET, "-o", str(tmp_path / "a.pdf"))
            for _ in range(2)]  # fmt: skip
    assert entries(folder, "library"), "the second run read the kept library"
    for result in runs:
        assert result.returncode == 2
        assert f"{extra / 'egne.yaml'}:9:5: cards[0]: card `k1` does not fit" in result.stderr
    assert runs[0].stderr == runs[1].stderr
    assert not (tmp_path / "a.pdf").exists()


# --- compiled templates: code, so kept only where no one else may write ----------------------


def _kit_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.posix  # compiled templates are kept only where files have owners and modes
def test_kept_templates_build_the_same_kit(folder: Path, tmp_path: Path) -> None:
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    off = run_kit(
        "build", "-q", "-o", "off", cwd=tmp_path, env={**env, "FREMFAERD_KIT_NO_CACHE": "1"}
    )
    cold = run_kit("build", "-q", "-o", "cold", cwd=tmp_path, env=env)
    warm = run_kit("build", "-q", "-o", "warm", cwd=tmp_path, env=env)
    assert off.returncode == cold.returncode == warm.returncode == 0, cold.stderr + warm.stderr
    kept = sorted((folder / "templates").glob("*.code"))
    assert len(kept) >= 8, "every template the kit renders (and the macros it imports)"
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in kept)
    made = _kit_files(tmp_path / "off")
    assert _kit_files(tmp_path / "cold") == made
    assert _kit_files(tmp_path / "warm") == made


def test_an_edited_template_is_compiled_again(folder: Path, tmp_path: Path) -> None:
    overrides = tmp_path / "skabeloner" / "documents"
    overrides.mkdir(parents=True)
    kit = "kind: kit\ntemplates: skabeloner\nhandouts: [businesscase]\n"
    (tmp_path / "kit.yaml").write_text(kit)
    for heading in ("Først", "Bagefter"):
        (overrides / "handout.md.j2").write_text(f"# {heading}\n\nTekst.\n")
        result = run_kit("build", "kit.yaml", "-q", "-o", "out", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        (handout,) = (tmp_path / "out").glob("06-handout-*.pdf")
        assert heading in pdf_text(handout)


@pytest.mark.posix
@pytest.mark.parametrize("opened", ["folder others may write", "entry others may write"])
def test_kept_code_is_run_only_from_the_users_own_folder(
    folder: Path, tmp_path: Path, opened: str
) -> None:
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    first = run_kit("build", "-q", "-o", "first", cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    mark = tmp_path / "ran"
    planted = marshal.dumps(compile(f"open({str(mark)!r}, 'w').close()", "<planted>", "exec"))
    kept = sorted((folder / "templates").glob("*.code"))
    for entry in kept:
        entry.write_bytes(planted)
        if opened == "entry others may write":
            entry.chmod(0o664)
    if opened == "folder others may write":
        (folder / "templates").chmod(0o777)
    again = run_kit("build", "-q", "-o", "again", cwd=tmp_path, env=env)
    assert again.returncode == 0, again.stderr
    assert not mark.exists(), "compiled code was read from a place someone else may write"
    assert _kit_files(tmp_path / "again") == _kit_files(tmp_path / "first")


def test_a_damaged_compiled_template_is_compiled_again(folder: Path, tmp_path: Path) -> None:
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    first = run_kit("build", "-q", "-o", "first", cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    kept = sorted((folder / "templates").glob("*.code"))
    whole = {entry: entry.read_bytes() for entry in kept}
    for n, entry in enumerate(kept):
        entry.write_bytes([b"", b"not marshal data", whole[entry][:20], marshal.dumps(42)][n % 4])
    again = run_kit("build", "-q", "-o", "again", cwd=tmp_path, env=env)
    assert again.returncode == 0, again.stderr
    assert _kit_files(tmp_path / "again") == _kit_files(tmp_path / "first")
    assert {entry: entry.read_bytes() for entry in kept} == whole, "written again whole"
