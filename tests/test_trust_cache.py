"""The cache is an input: whatever its folder holds, the kit prints what the files say.

Each case fills a cache folder of its own through the real `kit` command, then puts in
the place of its entries what an attacker, a crash or a careless copy could leave there:
a FIFO, a device, a socket, a symlink to `/dev/zero`, a truncated or edited entry, the
kit's own classes with wrong values (written the way the kit writes an entry), a folder
that others may write. Then `kit cards` and `kit build` run under `run_limited` (10 s):
each exits 0 without a traceback and writes the same bytes as with the cache off, a
planted card text is never printed, and a folder someone else may write is not used and
is named in one `kit: note:` line.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
import socket
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fremfaerd_kit import cache
from fremfaerd_kit.library import Library, load_library

from .conftest import run_kit, snapshot
from .pdfread import pdf_text
from .test_hostile import Run, run_limited

FORGED = "FORFALSKET"
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}
ENTRY_SUFFIXES = (".pickle", ".code")


COMMANDS = {
    "cards": ("cards", "-o", "cards.pdf"),
    "present": ("present", "vaerktoej2", "-o", "screen.html"),
    "build": ("build", "-q", "-o", "kit"),
}
ENTRY_MB = 32
"""More memory than the reference run's means an entry was read as far as it went (the
largest entry the kit reads is 64 MB; every entry it keeps here is under 1 MB)."""


@dataclasses.dataclass(frozen=True)
class Reference:
    """What the kit writes with the cache off: the truth every cached run must match."""

    cards: bytes
    build: dict[str, bytes]
    screen: bytes
    question: str
    peak_mb: dict[str, float]


@pytest.fixture(scope="session")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    where = tmp_path_factory.mktemp("reference")
    off = {**EPOCH, "FREMFAERD_KIT_NO_CACHE": "1"}
    runs = {name: run_limited(*args, cwd=where, env=off) for name, args in COMMANDS.items()}
    for run in runs.values():
        clean(run)
    question = load_library(cache=False).deck("dialogkort").cards[0].question
    assert question in pdf_text(where / "cards.pdf")
    return Reference(
        (where / "cards.pdf").read_bytes(),
        snapshot(where / "kit"),
        (where / "screen.html").read_bytes(),
        question,
        {name: run.peak_mb for name, run in runs.items()},
    )


@pytest.fixture(scope="session")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder with every kind of entry, kept by the kit itself."""
    where = tmp_path_factory.mktemp("filled")
    env = {**EPOCH, "XDG_CACHE_HOME": str(where / "cache"), "FREMFAERD_KIT_NO_CACHE": ""}
    for args in (("cards", "-o", "c.pdf"), ("build", "-q", "-o", "kit"),
                 ("present", "vaerktoej2", "-o", "s.html")):  # fmt: skip
        done = run_kit(*args, cwd=where, env=env)
        assert done.returncode == 0, done.stderr
        assert "kit: note:" not in done.stderr, "a folder the kit made itself is trusted"
    kept = where / "cache" / "fremfaerd-kit"
    kinds = {p.parent.name for p in kept.rglob("*") if p.suffix in ENTRY_SUFFIXES}
    assert kinds == {"library", "fonts", "settings", "hyphenation", "web-fonts", "templates"}
    return kept


@pytest.fixture
def empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The kit's cache folder for this test (not made yet), in this process and every
    `kit` it starts."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("FREMFAERD_KIT_NO_CACHE", raising=False)
    for name, value in EPOCH.items():
        monkeypatch.setenv(name, value)
    return tmp_path / "cache" / "fremfaerd-kit"


@pytest.fixture
def folder(empty: Path, filled: Path) -> Path:
    """The kit's cache folder for this test, holding every kind of entry."""
    empty.parent.mkdir(mode=0o700)
    shutil.copytree(filled, empty, symlinks=True)  # modes kept: the kit's own 0700 and 0600
    return empty


def entries(folder: Path, kind: str = "*") -> list[Path]:
    return sorted(p for p in folder.glob(f"{kind}/*") if p.suffix in ENTRY_SUFFIXES)


def clean(run: Run) -> None:
    """The run ended well: exit 0, no traceback, no internal error, not a word of a bug."""
    assert run.code == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert "internal error" not in run.stderr


def check_outputs(tmp_path: Path, reference: Reference, *, build: bool = True) -> list[Run]:
    """`kit cards`, `kit present` and `kit build` write what they write with the cache off,
    in about its memory."""
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    names = [name for name in COMMANDS if build or name != "build"]
    runs = [run_limited(*COMMANDS[name], cwd=work) for name in names]
    for name, run in zip(names, runs, strict=True):
        clean(run)
        assert run.peak_mb < reference.peak_mb[name] + ENTRY_MB, f"kit {name}: {run.peak_mb} MB"
    text = pdf_text(work / "cards.pdf")
    assert FORGED not in text, "a planted card was printed"
    assert reference.question in text
    assert (work / "cards.pdf").read_bytes() == reference.cards
    assert (work / "screen.html").read_bytes() == reference.screen
    if build:
        assert snapshot(work / "kit") == reference.build
    return runs


# --- what is not a file -------------------------------------------------------------------


def _fifo(entry: Path) -> None:
    os.mkfifo(entry)


def _device(entry: Path) -> None:
    try:
        os.mknod(entry, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero's numbers
    except PermissionError:
        pytest.skip("making a device needs privileges")


def _socket(entry: Path) -> None:
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(entry))  # the name stays when the socket is closed


def _symlink(target: str) -> Callable[[Path], None]:
    return lambda entry: entry.symlink_to(target)


def _folder(entry: Path) -> None:
    entry.mkdir()
    (entry / "x").write_bytes(b"")


PLANTS: dict[str, Callable[[Path], None]] = {
    "FIFO": _fifo,
    "device": _device,
    "socket": _socket,
    "symlink to /dev/zero": _symlink("/dev/zero"),
    "symlink to /dev/null": _symlink("/dev/null"),
    "symlink loop": lambda entry: entry.symlink_to(entry.name),
    "dangling symlink": _symlink("/nonexistent/entry"),
    "folder": _folder,
}


@pytest.mark.parametrize("plant", PLANTS)
def test_an_entry_that_is_no_file_is_never_read(
    folder: Path,
    tmp_path: Path,
    reference: Reference,
    plant: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    planted = entries(folder)
    for entry in planted:
        entry.unlink()
        if plant == "socket":  # by its name in its folder: a socket's whole name is short
            monkeypatch.chdir(entry.parent)
            PLANTS[plant](Path(entry.name))
        else:
            PLANTS[plant](entry)
    check_outputs(tmp_path, reference)
    if plant != "folder":  # a name a folder holds cannot be renamed over
        for entry in planted:
            info = entry.lstat()
            assert stat.S_ISREG(info.st_mode), f"{entry.name} was not replaced by an entry"
            assert info.st_mode & 0o777 == 0o600


# --- what is a file, but not what the kit wrote --------------------------------------------


def _kept_library(folder: Path) -> tuple[str, Library, set[str]]:
    """The key of the built-in library's entry, and the library read afresh."""
    (entry,) = entries(folder, "library")
    library = load_library(cache=False)
    from fremfaerd_kit.library import VARIABLE_TEXTS

    return entry.stem, library, set(VARIABLE_TEXTS)


def _with_first_card(library: Library, **changes: Any) -> Library:
    deck = library.decks["dialogkort"]
    first = dataclasses.replace(deck.cards[0], **changes)
    decks = {
        **library.decks,
        "dialogkort": dataclasses.replace(deck, cards=[first, *deck.cards[1:]]),
    }
    return dataclasses.replace(library, decks=decks)


def test_an_entry_edited_in_place_is_not_printed(
    folder: Path, tmp_path: Path, reference: Reference
) -> None:
    (entry,) = entries(folder, "library")
    whole = entry.read_bytes()
    question = reference.question.encode()
    assert question in whole, "the entry holds the card's text as written"
    forged = (FORGED.encode() + b" ") * len(question)
    entry.write_bytes(whole.replace(question, forged[: len(question)]))  # still a pickle
    check_outputs(tmp_path, reference, build=False)
    assert entry.read_bytes() == whole, "the edited entry is replaced by the true one"


def test_an_entry_of_the_kits_classes_in_the_old_format_is_not_printed(
    folder: Path, tmp_path: Path, reference: Reference
) -> None:
    key, library, texts = _kept_library(folder)
    forged = _with_first_card(library, question=FORGED)
    (entry,) = entries(folder, "library")
    entry.write_bytes(pickle.dumps((key, (forged, texts)), protocol=pickle.HIGHEST_PROTOCOL))
    check_outputs(tmp_path, reference, build=False)


def _deck(library: Library, **changes: Any) -> Library:
    deck = dataclasses.replace(library.decks["dialogkort"], **changes)
    return dataclasses.replace(library, decks={**library.decks, "dialogkort": deck})


def _negative_minutes(library: Library) -> Library:
    tool = next(iter(library.tools.values()))
    blocks = [dataclasses.replace(tool.agenda.blocks[0], minutes=-5), *tool.agenda.blocks[1:]]
    agenda = dataclasses.replace(tool.agenda, blocks=blocks)
    tools = {**library.tools, tool.id: dataclasses.replace(tool, agenda=agenda)}
    return dataclasses.replace(library, tools=tools)


WRONG: dict[str, Callable[[Library], Any]] = {
    "a number for a question": lambda lib: _with_first_card(lib, question=42),
    "an empty question": lambda lib: _with_first_card(lib, question=""),
    "a card in no category": lambda lib: _with_first_card(lib, category="ingen-kategori"),
    "an id with a slash": lambda lib: _with_first_card(lib, id="../../ud"),
    "no cards": lambda lib: _deck(lib, cards=[]),
    "a card that is text": lambda lib: _deck(lib, cards=["Hvad nu?"]),
    "a deck under another id": lambda lib: dataclasses.replace(
        lib, decks={**lib.decks, "andet": lib.decks["dialogkort"]}
    ),
    "text where a deck goes": lambda lib: dataclasses.replace(
        lib, decks={**lib.decks, "dialogkort": "dialogkort"}
    ),
    "no decks at all": lambda lib: dataclasses.replace(lib, decks=None),
    "a file for no item": lambda lib: dataclasses.replace(lib, files={}),
    "negative minutes": _negative_minutes,
    "a library that is a list": lambda lib: [lib],
}


@pytest.mark.parametrize("wrong", WRONG)
def test_the_kits_classes_with_wrong_values_are_a_miss(
    folder: Path, tmp_path: Path, reference: Reference, wrong: str
) -> None:
    """Written by the kit's own writer under the right key: what reading the files could
    not have made is read afresh, never a crash and never printed."""
    key, library, texts = _kept_library(folder)
    cache.keep("library", key, (WRONG[wrong](library), texts))
    check_outputs(tmp_path, reference)


def _face_keys() -> dict[str, str]:
    """Each embedded font's file, by the key its reading is kept under."""
    from reportlab import Version

    from fremfaerd_kit.fonts import _FILES
    from fremfaerd_kit.resources import fonts_dir

    files = [str(fonts_dir() / name) for name in _FILES.values()]
    return {cache.digest("font", f, cache.stamp(Path(f)), Version): f for f in files}


def _faces(bend: Callable[[dict[str, Any]], None]) -> Callable[[], dict[str, Any]]:
    def states() -> dict[str, Any]:
        from reportlab.pdfbase.ttfonts import TTFontFace

        found = {}
        for key, filename in _face_keys().items():
            state = {k: v for k, v in TTFontFace(filename).__dict__.items() if k != "_pdfScale"}
            bend(state)
            found[key] = state
        return found

    return states


def _settings(value: Any) -> Callable[[], dict[str, Any]]:
    def states() -> dict[str, Any]:
        from fremfaerd_kit.resources import templates_dir

        found = {}
        for name in ("sheets.yaml", "labels.yaml"):
            path = templates_dir() / "print" / name
            found[cache.digest("settings", str(path), path.read_bytes())] = value
        return found

    return states


def _hyphenation(value: Any) -> Callable[[], dict[str, Any]]:
    def states() -> dict[str, Any]:
        import pyphen

        path = pyphen.LANGUAGES[pyphen.language_fallback("da_DK")]
        key = cache.digest("hyphenation", str(path), path.read_bytes(), pyphen.__version__)
        return {key: value}

    return states


BENT: dict[str, tuple[str, Callable[[], dict[str, Any]]]] = {
    "a font of no size": ("fonts", _faces(lambda s: s.update(unitsPerEm=0))),
    "a font whose glyphs are text": (
        "fonts", _faces(lambda s: s.update(charToGlyph=dict.fromkeys(s["charToGlyph"], "x")))
    ),
    "a font cut short": ("fonts", _faces(lambda s: s.update(glyphPos=s["glyphPos"][:10]))),
    "a font without its file": ("fonts", _faces(lambda s: s.update(_ttf_data=b""))),
    "a font with a glyph it has not": (
        "fonts", _faces(lambda s: s["charToGlyph"].update({65: 10**6}))
    ),
    "a font of nothing": ("fonts", _faces(lambda s: s.clear())),
    "settings that are a list": ("settings", _settings([1, 2, 3])),
    "settings with text for sizes": ("settings", _settings({
        "papers": {"a4": {"name": "A4", "width": "bred", "height": 297, "cups_media": "A4"}},
        "cards": {}, "custom_reference_width": 63, "min_pt": 8, "sheet": {}, "card": {},
    })),
    "hyphenation patterns that are numbers": (
        "hyphenation", _hyphenation({"patterns": {"ab": 7}, "maxlen": "otte"})
    ),
}  # fmt: skip


@pytest.mark.parametrize("bent", BENT)
def test_kept_fonts_settings_and_patterns_with_wrong_values_are_a_miss(
    folder: Path, tmp_path: Path, reference: Reference, bent: str
) -> None:
    kind, states = BENT[bent]
    found = states()
    assert set(found) <= {p.stem for p in entries(folder, kind)}, "the keys the kit uses"
    for key, state in found.items():
        cache.keep(kind, key, state)
    check_outputs(tmp_path, reference)


def test_a_kept_web_font_that_is_no_font_is_a_miss(
    folder: Path, tmp_path: Path, reference: Reference
) -> None:
    subsets = entries(folder, "web-fonts")
    assert len(subsets) >= 2, "the regular and the bold subset (of each screen)"
    for n, entry in enumerate(subsets):
        # no font; and a font's first bytes claiming nine tables it has not
        cache.keep("web-fonts", entry.stem, [b"not a font", b"\0\1\0\0\0\x09" + bytes(10)][n % 2])
    check_outputs(tmp_path, reference)


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "truncated": lambda whole: whole[: len(whole) // 2],
    "one byte changed": lambda whole: whole[:-7] + bytes([whole[-7] ^ 1]) + whole[-6:],
    "garbage": lambda whole: os.urandom(len(whole)),
    "empty": lambda whole: b"",
    "doubled": lambda whole: whole + whole,
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_entry_of_any_kind_is_read_afresh_and_replaced(
    folder: Path, tmp_path: Path, reference: Reference, damage: str
) -> None:
    whole = {entry: entry.read_bytes() for entry in entries(folder)}
    for entry, data in whole.items():
        entry.write_bytes(DAMAGE[damage](data))
    check_outputs(tmp_path, reference)
    assert {entry: entry.read_bytes() for entry in entries(folder)} == whole


# --- folders that are not the user's alone ------------------------------------------------


def _plant_forged_library(folder: Path) -> None:
    key, library, texts = _kept_library(folder)
    cache.keep("library", key, (_with_first_card(library, question=FORGED), texts))


OPENED: dict[str, tuple[str, int]] = {
    "the kit's folder, by its group": (".", 0o770),
    "the kit's folder, by anyone": (".", 0o777),
    "the kit's folder, by anyone, sticky": (".", 0o1777),
    "the library's folder, by its group": ("library", 0o730),
    "the fonts' folder, by anyone": ("fonts", 0o703),
}
"""Which of the kit's folders is opened to others, and its mode."""


@pytest.mark.parametrize("opened", OPENED)
def test_a_cache_folder_others_may_write_is_not_used_and_said_once(
    folder: Path, tmp_path: Path, reference: Reference, opened: str
) -> None:
    _plant_forged_library(folder)  # as someone else could, in a folder they may write
    name, mode = OPENED[opened]
    named = (folder / name).resolve()
    named.chmod(mode)
    before = snapshot(folder)
    for run in check_outputs(tmp_path, reference):
        notes = [line for line in run.stderr.splitlines() if line.startswith("kit: note:")]
        assert len(notes) == 1, run.stderr
        assert f"{named} may be written by its group or others (mode {mode:o})" in notes[0]
        assert "the cache is not used" in notes[0]
    assert snapshot(folder) == before, "nothing is read from or written to it"


def test_a_cache_folder_that_is_a_symlink_is_not_used(
    folder: Path, tmp_path: Path, reference: Reference
) -> None:
    _plant_forged_library(folder)
    elsewhere = tmp_path / "elsewhere"
    folder.rename(elsewhere)
    folder.symlink_to(elsewhere)
    for run in check_outputs(tmp_path, reference, build=False):
        assert run.stderr.count("kit: note:") == 1
        assert f"{folder} is a symlink" in run.stderr


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs chown")
def test_a_cache_folder_or_entry_of_another_user_is_not_used(
    folder: Path, tmp_path: Path, reference: Reference
) -> None:
    _plant_forged_library(folder)
    (entry,) = entries(folder, "library")
    os.chown(entry, 65534, 65534)  # an entry of another user's: a miss, said nothing of
    run = check_outputs(tmp_path, reference, build=False)[0]
    assert "note" not in run.stderr
    _plant_forged_library(folder)
    os.chown(folder, 65534, 65534)
    run = check_outputs(tmp_path, reference, build=False)[0]
    assert f"{folder} belongs to another user (uid 65534)" in run.stderr


def test_an_entry_others_may_write_is_not_used(
    folder: Path, tmp_path: Path, reference: Reference
) -> None:
    _plant_forged_library(folder)
    (entry,) = entries(folder, "library")
    entry.chmod(0o666)
    check_outputs(tmp_path, reference, build=False)
    assert entry.stat().st_mode & 0o777 == 0o600, "replaced by the kit's own"


# --- writing -------------------------------------------------------------------------------


def test_the_kit_makes_its_folders_and_entries_for_the_user_alone(
    empty: Path, tmp_path: Path, reference: Reference
) -> None:
    """Under a umask that lets the group write, as many systems have it; the folder the
    cache goes in (`XDG_CACHE_HOME`) is missing too, so the kit makes it."""
    was = os.umask(0o002)
    try:
        first = check_outputs(tmp_path, reference)
        again = check_outputs(tmp_path, reference)  # from the cache just made
    finally:
        os.umask(was)
    made = [empty.parent, empty, *(p for p in empty.rglob("*") if p.is_dir())]
    modes = {str(p.relative_to(tmp_path)): p.stat().st_mode & 0o777 for p in made}
    assert modes == dict.fromkeys(modes, 0o700)
    assert len(modes) == 8, "the cache home, the kit's folder, one for each kind"
    kept = entries(empty)
    assert len(kept) >= 10
    assert {p.stat().st_mode & 0o777 for p in kept} == {0o600}
    assert all("kit: note:" not in run.stderr for run in first + again)


def test_a_planted_symlink_is_replaced_not_written_through(
    folder: Path, tmp_path: Path, reference: Reference
) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"the user's own file")
    planted = entries(folder)
    for entry in planted:
        entry.unlink()
        entry.symlink_to(victim)
    check_outputs(tmp_path, reference)
    assert victim.read_bytes() == b"the user's own file"
    assert all(stat.S_ISREG(entry.lstat().st_mode) for entry in planted)
