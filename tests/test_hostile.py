"""Files someone sends you: a corpus of hostile inputs, one or more per class of harm.

Each case runs the real `kit` command in a folder of its own, under a time limit, and
checks what the trust promise says: exit code 2 (or a correct result), one located line
per problem and no traceback, within 10 seconds and 500 MB of memory, and not one file
changed in that folder except the outputs asked for.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .conftest import snapshot
from .pdfread import pdf_text

# FIFOs, devices, symlinks, fork and wait4: what the hostile inputs and their runner are.
pytestmark = pytest.mark.posix

KIT = "kind: kit\n"
SECONDS = 10
MEMORY_MB = 500


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float
    lines: list[str] = field(default_factory=list)


# Runs the command in a fresh interpreter and reports the command's own peak memory. A
# child's ru_maxrss starts from its parent's peak (Linux records the old address space's
# high-water mark at exec), so a child forked straight from a large pytest process would
# report pytest's memory. This runner is small when it forks, so its child's peak is its own.
_RUNNER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_limited(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Run:
    """`kit ARGS` in `cwd` (with `env` added), killed after SECONDS; its own peak memory
    from wait4."""
    if not hasattr(os, "fork"):
        pytest.skip("run_limited forks and reads wait4's peak memory: Linux and macOS only")
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.TemporaryDirectory() as scratch:  # fmt: skip
        peak_file = Path(scratch) / "peak"
        process = subprocess.Popen(
            [sys.executable, "-c", _RUNNER, str(peak_file), sys.executable, "-m",
             "fremfaerd_kit", *args],
            cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, start_new_session=True,
            env={**os.environ, **(env or {})},
        )  # fmt: skip
        while process.poll() is None:
            if time.monotonic() - started > SECONDS:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                pytest.fail(f"kit {' '.join(args)} still ran after {SECONDS} s (a hang)")
            time.sleep(0.02)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
        # ru_maxrss: kilobytes on Linux, bytes on macOS
        peak = int(peak_file.read_text()) / (1024 * 1024 if sys.platform == "darwin" else 1024)
    lines = [line for line in stderr.splitlines() if not line.endswith(" found")]
    return Run(process.returncode, stdout, stderr, time.monotonic() - started, peak, lines)


def png(width: int, height: int) -> bytes:
    """A valid greyscale PNG of `width`×`height` that is all zeros: tiny on disk, huge open."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    rows = zlib.compressobj(9)
    raw = rows.compress(b"\0" * ((width + 1) * min(height, 64))) + rows.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def nested_loops(value: str = "x") -> str:
    return (
        "{% for a in range(99999) %}{% for b in range(99999) %}"
        + value
        + "{% endfor %}{% endfor %}"
    )


@dataclass(frozen=True)
class Case:
    """Files to lay out, the command, and what must come back."""

    name: str
    files: dict[str, str | bytes]
    args: tuple[str, ...]
    code: int = 2
    says: tuple[str, ...] = ()  # each in one problem line (file:line where given)
    outputs: tuple[str, ...] = ()  # files the command may create or change
    setup: Callable[[Path], None] | None = None


def fifo(name: str) -> Callable[[Path], None]:
    return lambda folder: os.mkfifo(folder / name)


def symlink(name: str, target: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).symlink_to(target)


def sparse(name: str, size: int) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        with (folder / name).open("wb") as handle:
            handle.write(b"\x89PNG\r\n\x1a\n")
            handle.truncate(size)

    return make


DECK_CSV = "spørgsmål;kategori\n"
TEMPLATED = {"kit.yaml": KIT + "templates: t\nhandouts: [businesscase]\n"}


def override(body: str) -> dict[str, str | bytes]:
    return {**TEMPLATED, "t/documents/handout.md.j2": body}


CASES = [
    # --- crash: nesting that used to kill the C parser
    Case(
        "deep flow nesting",
        {"kit.yaml": KIT + "title: " + "[" * 50_000 + "]" * 50_000},
        ("build", "kit.yaml"),
        says=("kit.yaml:2:", "nested more than 64 levels"),
    ),
    Case(
        "deep block nesting",
        {"kit.yaml": KIT + "x:\n" + "".join("  " * i + "- \n" for i in range(1, 200))},
        ("check", "kit.yaml"),
        says=("nested more than 64 levels",),
    ),
    Case(
        "billion laughs",
        {
            "kit.yaml": KIT
            + "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
            + "".join(
                f"{n}: &{n} [{', '.join(['*' + p] * 10)}]\n"
                for p, n in zip("abcdefg", "bcdefgh", strict=False)
            )
        },
        ("build", "kit.yaml"),
        says=("expands to more than 1,000,000 values",),
    ),
    # --- YAML that is not plain data
    Case(
        "merge key",
        {"kit.yaml": KIT + "base: &b {title: x}\nmore:\n  <<: *b\n"},
        ("build", "kit.yaml"),
        says=("kit.yaml:4:3:", "merge keys"),
    ),
    Case(
        "python tag",
        {"kit.yaml": KIT + "title: !!python/name:os.system\n"},
        ("build", "kit.yaml"),
        says=("kit.yaml:2:8:", "unknown tag"),
    ),
    Case(
        "bad timestamp",
        {"kit.yaml": KIT + "date: !!timestamp 2026-13-45\n"},
        ("build", "kit.yaml"),
        says=("kit.yaml:2:7:", "is not a valid date"),
    ),
    Case(
        "impossible date",
        {"kit.yaml": KIT + "date: 2026-02-30\n"},
        ("build", "kit.yaml"),
        says=("kit.yaml:2:7:", "`2026-02-30` is not a valid date"),
    ),
    Case(
        "session past year 9999",
        {"kit.yaml": KIT + "date: 9999-12-31\nstart: '23:00'\n"},
        ("build", "kit.yaml"),
        says=("kit.yaml:2:1: date:", "between the years 1900 and 9998"),
    ),
    Case(
        "time zone on the start",
        {"kit.yaml": KIT + "start: '13:00+05:00'\n"},
        ("build", "kit.yaml"),
        says=("kit.yaml:2:1: start:", "has a time zone"),
    ),
    Case(
        "two documents",
        {"kit.yaml": KIT + "---\nkind: kit\n"},
        ("build", "kit.yaml"),
        says=("kit.yaml:2:1:", "a second YAML document"),
    ),
    # --- encodings and bytes
    Case(
        "utf-16",
        {"kit.yaml": KIT.encode("utf-16")},
        ("build", "kit.yaml"),
        says=("kit.yaml:", "is UTF-16"),
    ),
    Case(
        "utf-16 without BOM",
        {"kit.yaml": KIT.encode("utf-16-le")},
        ("build", "kit.yaml"),
        says=("looks like UTF-16",),
    ),
    Case(
        "NUL byte",
        {"kit.yaml": KIT + "title: a\0b\n"},
        ("build", "kit.yaml"),
        says=("kit.yaml:2:9:", "U+0000 (NUL)"),
    ),
    # --- files that are not files
    Case(
        "kit file is a FIFO",
        {},
        ("build", "kit.yaml"),
        setup=fifo("kit.yaml"),
        says=("kit.yaml:", "a FIFO"),
    ),
    Case(
        "kit file is /dev/zero",
        {},
        ("build", "kit.yaml"),
        setup=symlink("kit.yaml", "/dev/zero"),
        says=("kit.yaml:", "is a device"),
    ),
    Case(
        "content file is a FIFO",
        {"kit.yaml": KIT + "content: [egne]\n", "egne/a.txt": ""},
        ("build", "kit.yaml"),
        setup=fifo("egne/deck.yaml"),
        says=("deck.yaml:", "a FIFO"),
    ),
    Case(
        "content file is /dev/zero",
        {"kit.yaml": KIT + "content: [egne]\n", "egne/a.txt": ""},
        ("build", "kit.yaml"),
        setup=symlink("egne/deck.yaml", "/dev/zero"),
        says=("deck.yaml:", "leads outside"),
    ),
    Case(
        "content symlink loop",
        {"kit.yaml": KIT + "content: [egne]\n", "egne/a.txt": ""},
        ("build", "kit.yaml"),
        setup=symlink("egne/deck.yaml", "deck.yaml"),
        says=("deck.yaml:", "symlink loop"),
    ),
    Case(
        "content symlink out of the folder",
        {"kit.yaml": KIT + "content: [egne]\n", "egne/a.txt": ""},
        ("build", "kit.yaml"),
        setup=symlink("egne/deck.csv", "/etc/passwd"),
        says=("deck.csv:", "leads outside"),
    ),
    Case(
        "logo is a FIFO",
        {"kit.yaml": KIT + "branding: {logo: logo.png}\n"},
        ("build", "kit.yaml"),
        setup=fifo("logo.png"),
        says=("kit.yaml:2:", "branding.logo:", "a FIFO"),
    ),
    Case(
        "logo symlink loop",
        {"kit.yaml": KIT + "branding: {logo: logo.png}\n"},
        ("build", "kit.yaml"),
        setup=symlink("logo.png", "logo.png"),
        says=("branding.logo:", "symlink loop"),
    ),
    Case(
        "2 GB sparse logo",
        {"kit.yaml": KIT + "branding: {logo: logo.png}\n"},
        ("build", "kit.yaml"),
        setup=sparse("logo.png", 2 * 1024**3),
        says=("branding.logo:", "is larger than 10 MB"),
    ),
    Case(
        "decompression-bomb logo",
        {"kit.yaml": KIT + "branding: {logo: logo.png}\n", "logo.png": png(60_000, 60_000)},
        ("build", "kit.yaml"),
        says=("branding.logo:", "more pixels than a logo may have"),
    ),
    Case(
        "10,000 × 10,000 logo",
        {"kit.yaml": KIT + "branding: {logo: logo.png}\n", "logo.png": png(10_000, 10_000)},
        ("build", "kit.yaml"),
        says=("branding.logo:", "is 10000×10000 pixels"),
    ),
    # --- values are data, never run
    Case(
        "nested loops in a kit value",
        {"kit.yaml": KIT + f"technology: '{nested_loops()}'\n"},
        ("worksheet", "vaerktoej2", "--set", f"teknologi={nested_loops()}", "-o", "a.pdf"),
        code=0,
        outputs=("a.pdf",),
    ),
    Case(
        "huge repetition in --set",
        {},
        ("guide", "vaerktoej2", "--set", "teknologi={{ 'x' * 10**9 }}", "-o", "g.pdf"),
        code=0,
        outputs=("g.pdf",),
    ),
    # --- templates that would run away
    Case(
        "template: nested loops",
        override(nested_loops("")),
        ("build", "kit.yaml", "-q"),
        says=("t/documents/handout.md.j2:1:", "still running after 3 s"),
    ),
    Case(
        "template: endless output",
        override(nested_loops()),
        ("build", "kit.yaml", "-q"),
        says=("t/documents/handout.md.j2:", "longer than 5,000,000 characters"),
    ),
    Case(
        "template: 'x' * 10**9",
        override("{{ 'x' * 10**9 }}"),
        ("build", "kit.yaml"),
        says=("t/documents/handout.md.j2:1:", "too large"),
    ),
    Case(
        "template: range(10**9)",
        override("{{ range(10**9) | list }}"),
        ("build", "kit.yaml"),
        says=("handout.md.j2:1:", "too large"),
    ),
    Case(
        "template: recursive macro",
        override("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"),
        ("build", "kit.yaml"),
        says=("handout.md.j2:1:", "recursion"),
    ),
    Case(
        "template: wide centre",
        override("{{ 'x' | center(10**9) }}"),
        ("build", "kit.yaml"),
        says=("handout.md.j2:1:", "too large"),
    ),
    Case(
        "template: wide format",
        override("{{ '{:>999999999}'.format(1) }}"),
        ("build", "kit.yaml"),
        says=("handout.md.j2:1:", "too large"),
    ),
    Case(
        "template: growing list",
        override(
            "{% set n = namespace(s=[]) %}{% for i in range(99999) %}"
            "{% set n.s = n.s + ['x' * 99999] %}{% endfor %}"
        ),
        ("build", "kit.yaml"),
        says=("handout.md.j2:1:", "would be too large"),
    ),
    Case(
        "template: huge join",
        override("{{ range(99999) | join(',' * 99999) }}"),
        ("build", "kit.yaml"),
        says=("handout.md.j2:1:",),
    ),
    Case(
        "template: escape attempt",
        override("{{ ''.__class__.__mro__[1].__subclasses__() }}"),
        ("build", "kit.yaml"),
        says=("handout.md.j2", "unsafe"),
    ),
    # --- front matter: the YAML block a received template writes at the top
    Case(
        "front matter: deep nesting",
        override("---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\n# x\n"),
        ("build", "kit.yaml"),
        says=("t/documents/handout.md.j2 (front matter):1:", "nested more than 64 levels"),
    ),
    Case(
        "front matter: alias bomb",
        override(
            "---\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(f"{c}: &{c} [{', '.join(['*' + chr(ord(c) - 1)] * 10)}]\n" for c in "bcdefgh")
            + "title: [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n---\n# x\n"
        ),
        ("build", "kit.yaml"),
        says=("t/documents/handout.md.j2 (front matter):", "more than 1,000,000 values"),
    ),
    Case(
        "front matter: YAML syntax error",
        override("---\ntitle: [unclosed\n---\n# x\n"),
        ("build", "kit.yaml"),
        says=("t/documents/handout.md.j2 (front matter):2:", "YAML syntax error"),
    ),
    Case(
        "front matter: a list, not keys",
        override("---\n- a\n- b\n---\n# x\n"),
        ("build", "kit.yaml"),
        says=("t/documents/handout.md.j2 (front matter):1:", "expected `key: value` lines"),
    ),
    Case(
        "front matter: an unknown key",
        override("---\ntitle: Hej\ntitel: Hej\n---\n# x\n"),
        ("build", "kit.yaml"),
        says=("(front matter):2:1: titel: unknown key `titel`",),
    ),
    Case(
        "front matter: never closed",
        override("---\ntitle: Hej\n# x\n"),
        ("build", "kit.yaml"),
        says=("t/documents/handout.md.j2: the front matter opens with --- but never closes it",),
    ),
    Case(
        "template override in the wrong folder",
        {**TEMPLATED, "t/handout.md.j2": "x"},
        ("build", "kit.yaml"),
        says=("kit.yaml:2:1: templates:", "did you mean `t/documents/handout.md.j2`"),
    ),
    # --- spreadsheets
    Case(
        "CSV: unclosed quote",
        {
            "kit.yaml": KIT + "content: [egne]\ndecks: [{id: d}]\n",
            "egne/d.csv": DECK_CSV + 'A;B\n"C;D\nE;F\n',
        },
        ("build", "kit.yaml"),
        says=("d.csv:3:", "never closed"),
    ),
    Case(
        "CSV: too many cells",
        {
            "kit.yaml": KIT + "content: [egne]\ndecks: [{id: d}]\n",
            "egne/d.csv": DECK_CSV + "A;B;C\n",
        },
        ("build", "kit.yaml"),
        says=("d.csv:2:", "3 cells but the first row names 2"),
    ),
    Case(
        "CSV: a million rows",
        {
            "kit.yaml": KIT + "content: [egne]\ndecks: [{id: d}]\n",
            "egne/d.csv": "question\n" + "x\n" * 1_000_000,
        },
        ("build", "kit.yaml"),
        says=("d.csv:40002:", "more than 40,000 cards"),
    ),
    Case(
        "CSV: a 200,000-character cell",
        {
            "kit.yaml": KIT + "content: [egne]\ndecks: [{id: d}]\n",
            "egne/d.csv": "question\n" + "x" * 200_000 + "\n",
        },
        ("build", "kit.yaml"),
        says=("d.csv:2:", "characters"),
    ),
    Case(
        "year 1",
        {"kit.yaml": KIT + "date: 0001-01-01\nstart: '00:00'\n"},
        ("build", "kit.yaml"),
        says=("kit.yaml:2:1: date:", "between the years 1900 and 9998"),
    ),
    Case(
        "a direction control in a value",
        {},
        ("worksheet", "vaerktoej2", "--set", "teknologi=robot\u202etolbor", "-o", "w.pdf"),
        says=("U+202E", "would print reversed"),
    ),
    Case(
        "the whole disk as content",
        {},
        ("--content", "/", "list"),
        says=("/: holds more than 20,000 files and folders",),
    ),
    Case(
        "the same deck twice",
        {"kit.yaml": KIT + "decks: [{id: dialogkort}, {id: dialogkort}]\n"},
        ("build", "kit.yaml"),
        says=("kit.yaml:2:28: decks[1].id: deck `dialogkort` is already in the kit",),
    ),
    Case(
        "a card of 10,000 characters",
        {
            "kit.yaml": KIT + "content: [egne]\ndecks: [{id: d}]\n",
            "egne/d.yaml": "kind: deck\nid: d\ntitle: D\nshort_title: D\n"
            "source: {publication: egne, section: x}\n"
            "categories: [{id: a, name: A, colour: '#1D3B5A'}]\n"
            "cards: [{id: k, category: a, question: '" + "ord " * 2500 + "'}]\n",
        },
        ("build", "kit.yaml"),
        says=("d.yaml:7:", "cards[0].question: is longer than 4,000 characters"),
    ),
    # --- numbers on the command line
    Case(
        "minutes 10**9 on agenda",
        {},
        ("agenda", "vaerktoej2", "--minutes", "1000000000"),
        says=("1000000000 minutes: give a length from 1 to 1440",),
    ),
    Case(
        "minutes 10**23 on guide",
        {},
        ("guide", "vaerktoej2", "--minutes", "1" + "0" * 23),
        says=("give a length from 1 to 1440",),
    ),
    Case(
        "back offset nan",
        {},
        ("cards", "--back-offset", "nan,inf"),
        says=("--back-offset", "not nan or inf"),
    ),
    Case(
        "back offset 1e308",
        {},
        ("cards", "--back-offset", "1e308,5"),
        says=("--back-offset", "from -20 to 20 mm"),
    ),
    Case(
        "copies 0",
        {},
        ("cards", "--print", "--copies", "0", "-o", "c.pdf"),
        says=("--copies", "from 1 to 100"),
    ),
    # --- outputs
    Case(
        "output onto its own input",
        {"deck.csv": DECK_CSV + "Hvad nu?;A\n"},
        ("--content", "deck.csv", "cards", "deck", "-o", "deck.csv"),
        says=("deck.csv: is one of this command's own inputs",),
    ),
    Case(
        "kit over a file the user wrote",
        {"index.md": "mine\n"},
        ("build", "-o", "."),
        says=("index.md: exists and was not written by the kit",),
    ),
    Case(
        "output to a FIFO nobody reads",
        {},
        ("cards", "-o", "f.pdf"),
        code=1,
        setup=fifo("f.pdf"),
        says=("no program is reading from this FIFO",),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_hostile_input_is_refused_or_printed_as_written(case: Case, tmp_path: Path) -> None:
    for name, content in case.files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    if case.setup:
        case.setup(tmp_path)
    before = _listing(tmp_path)
    run = run_limited(*case.args, cwd=tmp_path)
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    assert run.code == case.code, run.stderr
    assert run.peak_mb < MEMORY_MB, f"{run.peak_mb:.0f} MB"
    if case.code != 0:
        assert run.lines, "a refusal says why"
        for part in case.says:
            assert any(part in line for line in run.lines), (part, run.lines)
    after = _listing(tmp_path)
    changed = {n for n in before.keys() | after.keys() if before.get(n) != after.get(n)}
    assert changed <= set(case.outputs), changed


def _listing(folder: Path) -> dict[str, object]:
    """Every entry under `folder`: its bytes for a regular file, else what it is."""
    found: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            found[name] = ("symlink", str(path.readlink()))
        elif path.is_fifo():
            found[name] = "fifo"
        elif path.is_file():
            found[name] = path.read_bytes() if path.stat().st_size < 10**7 else _sizes(path)
        elif path.is_dir():
            found[name] = "dir"
    return found


def _sizes(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns


# --- what a value prints as -------------------------------------------------------------


def test_a_value_prints_as_written_everywhere(tmp_path: Path) -> None:
    run = run_limited(
        "worksheet", "vaerktoej2", "--set", "teknologi={{7*7}}", "-o", "w.pdf", cwd=tmp_path
    )
    assert run.code == 0, run.stderr
    run = run_limited(
        "guide", "vaerktoej2", "--set", "teknologi={{7*7}}", "-o", "g.pdf", cwd=tmp_path
    )
    assert run.code == 0, run.stderr
    for name in ("w.pdf", "g.pdf"):
        text = pdf_text(tmp_path / name)
        assert "{{7*7}}" in text and "49" not in text.split("{{7*7}}")[0][-5:]


def test_a_csv_with_doubled_quotes_prints_them_once(tmp_path: Path) -> None:
    (tmp_path / "egne.csv").write_text(
        'spørgsmål,kategori\n"De kalder den ""Bertil"", og det er godt.",Hverdag\n',
        encoding="utf-8",
    )
    run = run_limited("--content", "egne.csv", "cards", "egne", "-o", "k.pdf", cwd=tmp_path)
    assert run.code == 0, run.stderr
    text = " ".join(pdf_text(tmp_path / "k.pdf").split())
    assert 'De kalder den "Bertil", og det er godt.' in text
    assert "Hverdag" in text and '""' not in text


def test_markup_in_a_card_prints_as_written(tmp_path: Path) -> None:
    (tmp_path / "egne.csv").write_text(
        'spørgsmål;kategori\n"Hvad betyder <font size=20>stor</font>?";Hverdag\n',
        encoding="utf-8",
    )
    run = run_limited("--content", "egne.csv", "cards", "egne", "-o", "k.pdf", cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert "<font size=20>stor</font>?" in " ".join(pdf_text(tmp_path / "k.pdf").split())


def test_every_problem_of_a_kit_file_in_one_run(tmp_path: Path) -> None:
    (tmp_path / "kit.yaml").write_text(
        KIT + "tool: vaerktoej3\ngroups: mange\ndecks:\n  - id: dialogkrt\n"
        "handouts: [kompetencehjul]\ncard_size: kæmpe\n",
        encoding="utf-8",
    )
    run = run_limited("check", "kit.yaml", cwd=tmp_path)
    assert run.code == 2
    assert run.lines == [
        "kit.yaml:2:1: tool: unknown tool `vaerktoej3`; did you mean `vaerktoej2`?",
        "kit.yaml:3:1: groups: expected a whole number, got `'mange'`",
        "kit.yaml:5:5: decks[0].id: unknown deck `dialogkrt`; did you mean `dialogkort`?",
        "kit.yaml:6:12: handouts[0]: unknown handout `kompetencehjul`; "
        "did you mean `kompetencehjulet`?",
        "kit.yaml:7:1: card_size: `kæmpe` is neither a preset (a7, poker, a6) "
        "nor a size like `70x100` (mm)",
    ]
    assert run.stderr.splitlines()[-1] == "kit: 5 problems found"


def test_kit_check_accepts_a_good_kit_file(tmp_path: Path) -> None:
    (tmp_path / "kit.yaml").write_text(KIT + "title: Møde\n", encoding="utf-8")
    run = run_limited("check", "kit.yaml", cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert run.stdout == "ok: kit.yaml\n"


# --- outputs: what a kit folder may hold, and what a write may cost ----------------------


def test_a_rebuild_replaces_only_what_the_kit_wrote_and_removes_what_it_no_longer_makes(
    tmp_path: Path,
) -> None:
    kit = tmp_path / "kit.yaml"
    kit.write_text(KIT + "handouts: [businesscase, dataetisk-raad]\n", encoding="utf-8")
    assert run_limited("build", "kit.yaml", "-o", "ud", "-q", cwd=tmp_path).code == 0
    (tmp_path / "ud" / "mine-noter.txt").write_text("mine\n", encoding="utf-8")
    kit.write_text(KIT + "handouts: [businesscase]\n", encoding="utf-8")
    run = run_limited("build", "kit.yaml", "-o", "ud", "-q", cwd=tmp_path)
    assert run.code == 0, run.stderr
    names = sorted(p.name for p in (tmp_path / "ud").iterdir())
    assert "06-handout-businesscase.pdf" in names
    assert "06-handout-dataetisk-raad.pdf" not in names  # the kit's own, no longer made
    assert (tmp_path / "ud" / "mine-noter.txt").read_text(encoding="utf-8") == "mine\n"


def test_a_file_changed_since_the_build_is_not_overwritten(tmp_path: Path) -> None:
    assert run_limited("build", "-o", "ud", "-q", cwd=tmp_path).code == 0
    invitation = tmp_path / "ud" / "invitation.md"
    invitation.write_text("Min egen invitation\n", encoding="utf-8")
    before = snapshot(tmp_path)
    run = run_limited("build", "-o", "ud", "-q", cwd=tmp_path)
    assert run.code == 2
    assert run.lines == [
        "ud/invitation.md: has been changed since the kit wrote it; move it away to keep "
        "your changes, or remove it, then build again"
    ]
    assert snapshot(tmp_path) == before


def test_a_second_build_into_a_folder_being_built_is_refused(tmp_path: Path) -> None:
    import fcntl

    folder = tmp_path / "ud"
    folder.mkdir()
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as a build in progress holds it
        run = run_limited("build", "-o", "ud", "-q", cwd=tmp_path)
    finally:
        os.close(fd)
    assert run.code == 1
    assert run.lines == [
        "kit: error: ud: another kit build is writing into this folder; wait for it to "
        "finish, then build again"
    ]
    assert list(folder.iterdir()) == []


def test_temporary_files_of_a_killed_build_are_swept_by_the_next(tmp_path: Path) -> None:
    assert run_limited("build", "-o", "ud", "-q", cwd=tmp_path).code == 0
    dead = subprocess.Popen(["true"])
    dead.wait()  # a pid that has ended
    leftover = tmp_path / "ud" / f".01-guide.pdf.{dead.pid}.abc123.kit-tmp"
    leftover.write_bytes(b"%PDF-half")
    assert run_limited("build", "-o", "ud", "-q", cwd=tmp_path).code == 0
    assert not leftover.exists()
    assert not [p for p in (tmp_path / "ud").iterdir() if p.name.endswith(".kit-tmp")]


def test_output_to_a_fifo_writes_through_and_keeps_the_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "kort.pdf"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    run = run_limited("cards", "-o", "kort.pdf", cwd=tmp_path)
    data, _ = reader.communicate(timeout=SECONDS)
    assert run.code == 0, run.stderr
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert fifo.is_fifo()


def test_output_to_dev_null_keeps_the_device(tmp_path: Path) -> None:
    before = Path("/dev/null").stat()
    run = run_limited("agenda", "vaerktoej2", "-o", "/dev/null", cwd=tmp_path)
    assert run.code == 0, run.stderr
    after = Path("/dev/null").stat()
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert list(tmp_path.iterdir()) == []


def test_output_through_a_symlink_keeps_the_symlink(tmp_path: Path) -> None:
    (tmp_path / "rigtig.pdf").write_bytes(b"old")
    (tmp_path / "genvej.pdf").symlink_to("rigtig.pdf")
    run = run_limited("handout", "businesscase", "-o", "genvej.pdf", cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert (tmp_path / "genvej.pdf").is_symlink()
    assert (tmp_path / "rigtig.pdf").read_bytes().startswith(b"%PDF-")


def test_a_signal_during_the_renames_waits_until_all_are_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import signal

    from fremfaerd_kit import output

    old = {tmp_path / f"{name}.pdf": b"old" for name in "abc"}
    for path, data in old.items():
        path.write_bytes(data)
    real_replace, calls = Path.replace, []

    def replace_then_interrupt(self: Path, target: Path) -> Path:
        calls.append(target)
        if len(calls) == 1:
            signal.raise_signal(signal.SIGINT)  # Ctrl-C after the first rename
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", replace_then_interrupt)
    output.write_all([(path, b"new") for path in old])  # no KeyboardInterrupt: it finished
    assert {p.read_bytes() for p in old} == {b"new"}
    assert output.late_signal == signal.SIGINT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "b.pdf", "c.pdf"]
    monkeypatch.setattr(output, "late_signal", None)


def test_a_signal_while_staging_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import signal

    from fremfaerd_kit import output

    old = {tmp_path / f"{name}.pdf": b"old" for name in "abc"}
    for path, data in old.items():
        path.write_bytes(data)
    real_fsync, calls = os.fsync, []

    def fsync_then_interrupt(fd: int) -> None:
        calls.append(fd)
        real_fsync(fd)
        if len(calls) == 2:
            signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(output.os, "fsync", fsync_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        output.write_all([(path, b"new") for path in old])
    assert {p.read_bytes() for p in old} == {b"old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "b.pdf", "c.pdf"]


def test_a_photograph_as_logo_is_scaled_down_not_embedded_whole(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (4000, 3900), (180, 40, 40)).save(tmp_path / "logo.png")
    (tmp_path / "kit.yaml").write_text(KIT + "branding: {logo: logo.png}\n", encoding="utf-8")
    run = run_limited("build", "kit.yaml", "-o", "ud", "-q", cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert run.peak_mb < MEMORY_MB
    guide = open_pdf_images(tmp_path / "ud" / "01-guide.pdf")
    assert guide and max(max(size) for size in guide) <= 1200


def open_pdf_images(path: Path) -> list[tuple[int, int]]:
    """The pixel sizes of the images a PDF embeds."""
    import pymupdf

    doc = pymupdf.open(path)
    return [(img[2], img[3]) for page in doc for img in page.get_images(full=True)]
