"""Trust, second round: the kit folder's record, start-up, the environment and signals.

Each case runs the real `kit` command and checks what a user would: the exit code, the
one located line, and that nothing outside the asked-for outputs changed.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fremfaerd_kit.build import MANIFEST

from .conftest import snapshot
from .test_hostile import run_limited

KIT_FILE = "kind: kit\ntitle: Vores kit\n"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def built(tmp_path: Path, kit_file: str = KIT_FILE) -> Path:
    """A project folder with a kit file and the kit built once into `project/kit`."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "kit.yaml").write_text(kit_file)
    run = run_limited("build", "kit.yaml", "-q", "-o", "kit", cwd=project)
    assert run.code == 0, run.stderr
    return project


def plant(record: Path, *lines: str) -> None:
    with record.open("a", encoding="utf-8") as handle:
        handle.writelines(f"{line}\n" for line in lines)


# --- 1. the record names files outside the kit folder, or files the kit never writes


def test_a_planted_record_never_removes_a_file_outside_the_kit(tmp_path):
    project = built(tmp_path)
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("mine")
    (project / "notes.txt").write_text("also mine")
    (project / "kit" / "mine.pdf").write_bytes(b"%PDF mine")
    (project / "kit" / "sub").mkdir()
    (project / "kit" / "sub" / "x.pdf").write_bytes(b"x")
    kit_yaml = (project / "kit.yaml").read_bytes()
    record = project / "kit" / MANIFEST
    plant(
        record,
        f"{sha(kit_yaml)}  ../kit.yaml",
        f"{sha(kit_yaml)}  ..\\kit.yaml",
        f"{sha(b'also mine')}  ../notes.txt",
        f"{sha(b'mine')}  {elsewhere}",
        f"{sha(b'mine')}  ../../elsewhere.txt",
        f"{sha(b'%PDF mine')}  mine.pdf",
        f"{sha(b'x')}  sub/x.pdf",
        f"{sha(b'x')}  .",
        f"{sha(b'x')}  ..",
    )
    before = snapshot(tmp_path)
    run = run_limited("build", "kit.yaml", "-o", "kit", cwd=project)
    assert run.code == 0, run.stderr
    after = snapshot(tmp_path)
    # Every file of the user's is still there, byte for byte.
    for name in ("elsewhere.txt", "project/kit.yaml", "project/notes.txt",
                 "project/kit/mine.pdf", "project/kit/sub/x.pdf"):  # fmt: skip
        assert after[name] == before[name], name
    # One warning, naming the record and its lines; the record is the kit's own again.
    warnings = [line for line in run.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1
    assert f"{Path('kit') / MANIFEST}: lines" in warnings[0]
    assert "left alone" in warnings[0]
    entries = [line.split("  ", 1)[1] for line in (record.read_text().splitlines())]
    assert all("/" not in e and "\\" not in e and e != "mine.pdf" for e in entries), entries


def test_a_record_naming_an_input_of_the_run_never_removes_it(tmp_path):
    """A file the kit could have written, but which this run reads (here: the logo)."""
    project = tmp_path / "project"
    (project / "kit").mkdir(parents=True)
    from PIL import Image

    logo = project / "kit" / "06-handout-gammel.pdf"  # a PNG with a name the kit uses
    Image.new("RGB", (40, 20), "red").save(logo, format="PNG")
    (project / "kit.yaml").write_text(KIT_FILE + "branding:\n  logo: kit/06-handout-gammel.pdf\n")
    plant(project / "kit" / MANIFEST, f"{sha(logo.read_bytes())}  06-handout-gammel.pdf")
    data = logo.read_bytes()
    run = run_limited("build", "kit.yaml", "-q", "-o", "kit", cwd=project)
    assert run.code == 0, run.stderr
    assert logo.read_bytes() == data


def test_a_record_naming_a_symlink_removes_neither_the_link_nor_its_target(tmp_path):
    project = built(tmp_path, KIT_FILE + "handouts: [kompetencehjulet]\n")
    kit = project / "kit"
    target = tmp_path / "precious.pdf"
    target.write_bytes(b"%PDF precious")
    handout = kit / "06-handout-kompetencehjulet.pdf"
    handout.unlink()
    handout.symlink_to(target)
    lines = (kit / MANIFEST).read_text().splitlines()
    lines = [
        f"{sha(b'%PDF precious')}  06-handout-kompetencehjulet.pdf"
        if line.endswith("kompetencehjulet.pdf") else line
        for line in lines
    ]  # fmt: skip
    (kit / MANIFEST).write_text("\n".join(lines) + "\n")
    (project / "kit.yaml").write_text(KIT_FILE)  # the handout is no longer made
    run = run_limited("build", "kit.yaml", "-q", "-o", "kit", cwd=project)
    assert run.code == 0, run.stderr
    assert handout.is_symlink()
    assert target.read_bytes() == b"%PDF precious"


def test_a_file_the_kit_no_longer_makes_is_removed_only_while_unchanged(tmp_path):
    project = built(tmp_path, KIT_FILE + "handouts: [kompetencehjulet, businesscase]\n")
    kit = project / "kit"
    (kit / "06-handout-businesscase.pdf").write_bytes(b"edited by hand")
    (project / "kit.yaml").write_text(KIT_FILE)
    run = run_limited("build", "kit.yaml", "-q", "-o", "kit", cwd=project)
    assert run.code == 0, run.stderr
    assert not (kit / "06-handout-kompetencehjulet.pdf").exists()  # the kit's own, unchanged
    assert (kit / "06-handout-businesscase.pdf").read_bytes() == b"edited by hand"


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("not a record line", f"{MANIFEST}:9: is not a line of the kit's record"),
        (f"{'0' * 64} ", f"{MANIFEST}:9: is not a line of the kit's record"),
        ("\x1b[2J" + "0" * 60 + "  x", f"{MANIFEST}:9: is not a line of the kit's record"),
    ],
)
def test_a_record_line_that_is_not_one_is_a_located_error_and_nothing_changes(tmp_path, line, says):
    project = built(tmp_path)
    plant(project / "kit" / MANIFEST, line)
    before = snapshot(tmp_path)
    run = run_limited("build", "kit.yaml", "-o", "kit", cwd=project)
    assert run.code == 2
    assert len(run.lines) == 1
    assert says in run.lines[0]
    assert "Traceback" not in run.stderr
    assert snapshot(tmp_path) == before


def test_a_record_that_is_a_symlink_is_refused_and_its_target_kept(tmp_path):
    project = built(tmp_path)
    record = project / "kit" / MANIFEST
    outside = tmp_path / "outside.txt"
    outside.write_text(record.read_text())  # a valid record, but not in the kit folder
    record.unlink()
    record.symlink_to(outside)
    before = snapshot(tmp_path)
    run = run_limited("build", "kit.yaml", "-o", "kit", cwd=project)
    assert run.code == 2
    assert "is not the kit's record" in run.stderr
    assert snapshot(tmp_path) == before
    assert record.is_symlink()


# --- 10. a NUL byte in a kit file's path; 11. no new folders after a failure


@pytest.mark.parametrize(
    ("key", "value"),
    [("branding:\n  logo", '"a\\0b.png"'), ("content", '["egne\\0"]'), ("templates", '"t\\0"')],
)
def test_a_nul_byte_in_a_path_is_a_located_error(tmp_path, key, value):
    (tmp_path / "kit.yaml").write_text(f"{KIT_FILE}{key}: {value}\n")
    before = snapshot(tmp_path)
    for command in ("check", "build"):
        run = run_limited(command, "kit.yaml", cwd=tmp_path)
        assert run.code == 2, run.stderr
        assert "internal error" not in run.stderr
        assert len(run.lines) == 1
        assert run.lines[0].startswith("kit.yaml:")
        assert key.split(":")[-1].strip() in run.lines[0]
    assert snapshot(tmp_path) == before


def test_a_failed_build_into_new_nested_folders_leaves_none_of_them(tmp_path):
    # The ZIP's temporary name is too long for the file system: the build fails after
    # the folders were made and the kit's own files staged.
    deep = Path("ny") / "mappe" / ("k" * 240)
    run = run_limited("build", "-q", "--zip", "-o", str(deep), cwd=tmp_path)
    assert run.code == 1, run.stderr
    assert len(run.lines) == 1
    assert "could not write" in run.lines[0]
    assert list(tmp_path.iterdir()) == []


# --- 12. start-up and the environment


@pytest.mark.parametrize("value", ["abc", "1.5e9", "10^20", "99999999999999999999", "-5", "²"])
def test_an_unreadable_source_date_epoch_is_one_line(tmp_path, value):
    for args in (("build", "-q"), ("cards", "-o", "k.pdf"), ("agenda", "vaerktoej2")):
        run = run_limited(*args, cwd=tmp_path, env={"SOURCE_DATE_EPOCH": value})
        assert run.code == 2, run.stderr
        assert len(run.lines) == 1
        assert run.lines[0].startswith("kit: error: SOURCE_DATE_EPOCH:")
        assert list(tmp_path.iterdir()) == []


def test_source_date_epoch_dates_the_zip_even_past_a_zips_last_year(tmp_path):
    import zipfile

    run = run_limited(
        "build", "-q", "--zip", cwd=tmp_path, env={"SOURCE_DATE_EPOCH": "253402300799"}
    )
    assert run.code == 0, run.stderr
    with zipfile.ZipFile(tmp_path / "kit.zip") as archive:
        assert {i.date_time[0] for i in archive.infolist()} == {2107}


def test_a_configuration_folder_that_is_a_file_is_one_line(tmp_path):
    (tmp_path / "config").write_text("not a folder")
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    run = run_limited("printer", "set", "kontor", "--copies", "2", cwd=tmp_path, env=env)
    assert run.code == 2, run.stderr
    assert len(run.lines) == 1
    assert "cannot make the folder for the printer settings" in run.lines[0]
    listed = run_limited("printer", "list", cwd=tmp_path, env=env)
    assert listed.code == 0, listed.stderr
    assert (tmp_path / "config").read_text() == "not a folder"


def test_a_reader_that_goes_away_ends_the_command_as_unix_tools_end(tmp_path):
    """`kit build | true`: every file written, then exit 141 (SIGPIPE's) and no message."""
    for args in (("build",), ("list",), ("show", "vaerktoej2"), ("cards", "-o", "-")):
        reader, writer = os.pipe()
        os.close(reader)  # nobody will read
        process = subprocess.run(
            [sys.executable, "-m", "fremfaerd_kit", *args],
            cwd=tmp_path, stdout=writer, stderr=subprocess.PIPE, timeout=60,
        )  # fmt: skip
        os.close(writer)
        assert process.returncode == 141, (args, process.stderr)
        assert process.stderr.decode().strip() == "", (args, process.stderr)
    assert (tmp_path / "kit" / "01-guide.pdf").is_file()


def _is_interpreter_start(stderr: str) -> bool:
    """A traceback from before the kit's first handler is set: Python's own start-up (site
    and the `.pth` hooks it runs), pip's script wrapper (`import re`), or the import of the
    package and of `start.py` itself. No frame of it is in `start.main` or after it (the
    command line, Typer, Click, Rich, the kit's other modules)."""
    import re

    if "init_import_site" in stderr:
        return True
    for path, function in re.findall(r'File "([^"]+)", line \d+, in (\S+)', stderr):
        name = Path(path).name
        if "fremfaerd_kit" in path and not (
            name in ("__init__.py", "start.py") and function == "<module>"
        ):
            return False
        if any(f"{os.sep}{lib}{os.sep}" in path for lib in ("typer", "click", "rich")):
            return False
    return True


def test_ctrl_c_and_kill_at_start_up_exit_130_and_143_without_a_traceback(tmp_path):
    (tmp_path / "kit").mkdir()
    kit = Path(sys.executable).with_name("kit")
    command = [str(kit)] if kit.exists() else [sys.executable, "-m", "fremfaerd_kit"]
    for step in range(30):
        delay = step * 0.01
        signum = signal.SIGINT if step % 2 else signal.SIGTERM
        process = subprocess.Popen(
            [*command, "build", "-q"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        time.sleep(delay)
        process.send_signal(signum)
        _, err = process.communicate(timeout=60)
        stderr = err.decode()
        if process.returncode == 0:  # finished before the signal came: then it is whole
            assert (tmp_path / "kit" / "01-guide.pdf").is_file()
            continue
        if "Traceback" in stderr or "Fatal Python error" in stderr:
            assert _is_interpreter_start(stderr), (delay, stderr)
        else:
            expected = 143 if signum == signal.SIGTERM else 130
            assert process.returncode in (expected, -signum), (delay, process.returncode, stderr)
        assert list((tmp_path / "kit").iterdir()) == [], delay  # nothing written


# --- 14. a signal at any moment, on a busy machine


def _tree(folder: Path) -> dict[str, str]:
    return {p.name: sha(p.read_bytes()) for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.slow
def test_a_signal_at_any_moment_of_a_rebuild_leaves_the_old_kit_or_the_new_whole(tmp_path):
    """Exit 0 means the new kit whole; any other end means the old kit whole. Tried with
    SIGINT and SIGTERM at random moments over the whole run (start-up and the lock
    included) while other processes keep both cores busy and write to the disk."""
    old_file = KIT_FILE + "minutes: 120\n"
    new_file = "kind: kit\ntitle: Nyt kit\nminutes: 150\nhandouts: [kompetencehjulet]\n"

    def build(text: str, into: str) -> None:
        (tmp_path / "kit.yaml").write_text(text)
        run = subprocess.run(
            [sys.executable, "-m", "fremfaerd_kit", "build", "kit.yaml", "-q", "-o", into],
            cwd=tmp_path, capture_output=True, timeout=120,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr

    build(old_file, "ref-old")
    build(new_file, "ref-new")
    old, new = _tree(tmp_path / "ref-old"), _tree(tmp_path / "ref-new")
    started = time.monotonic()
    build(new_file, "ref-new")  # the same again: how long a rebuild takes here
    seconds = time.monotonic() - started
    disk = tmp_path / "disk"
    load = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    writer = (
        f"import os\nwhile True:\n    with open({str(disk)!r}, 'wb') as f:\n"
        "        f.write(os.urandom(1 << 22)); f.flush(); os.fsync(f.fileno())"
    )
    load.append(subprocess.Popen([sys.executable, "-c", writer]))
    chance = random.Random(24)
    ends: dict[str, int] = {}
    try:
        for attempt in range(16):
            shutil.rmtree(tmp_path / "kit", ignore_errors=True)
            build(old_file, "kit")
            (tmp_path / "kit.yaml").write_text(new_file)
            process = subprocess.Popen(
                [sys.executable, "-m", "fremfaerd_kit", "build", "kit.yaml", "-q", "-o", "kit"],
                cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            )  # fmt: skip
            time.sleep(chance.uniform(0, 3 * seconds))
            process.send_signal(signal.SIGTERM if attempt % 2 else signal.SIGINT)
            _, err = process.communicate(timeout=120)
            now = _tree(tmp_path / "kit")
            stale = [p.name for p in (tmp_path / "kit").iterdir() if p.name.endswith(".kit-tmp")]
            assert not stale, (attempt, stale)
            if process.returncode == 0:
                assert now == new, (attempt, err.decode())
                ends["new"] = ends.get("new", 0) + 1
            else:
                assert now == old, (attempt, process.returncode, err.decode())
                ends["old"] = ends.get("old", 0) + 1
                stderr = err.decode()
                if "Traceback" in stderr:
                    assert _is_interpreter_start(stderr), stderr
    finally:
        for process in load:
            process.kill()
            process.wait()
    assert ends.get("old", 0) >= 3, ends  # the signal did come mid-run, more than once


def test_a_stop_python_drops_in_a_finaliser_still_stops_and_prints_nothing_of_it(tmp_path):
    """Python drops an exception raised in a finaliser or a weakref callback (and prints
    "Exception ignored in …"): a Ctrl-C that lands there must still stop the command,
    at once, and say only that it did."""
    script = tmp_path / "finaliser.py"
    script.write_text(
        "import os, signal, sys\n"
        "from fremfaerd_kit import cli, output\n"
        "signal.signal(signal.SIGINT, cli._stop)\n"
        "sys.unraisablehook = output.keep_lost_stops\n"
        "class Held:\n"
        "    def __del__(self):\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "        for _ in range(1000):\n"
        "            pass  # the handler runs here, inside the finaliser\n"
        "try:\n"
        "    Held()\n"
        "    import time\n"
        "    end = time.monotonic() + 2  # the command's work, which the stop must end\n"
        "    while time.monotonic() < end:\n"
        "        pass\n"
        "    print('went on after the stop')\n"
        "except KeyboardInterrupt:\n"
        "    print('stopped')\n",
        encoding="utf-8",
    )
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert run.stdout.strip() == "stopped"
    assert "Exception ignored" not in run.stderr
    assert run.stderr == ""


def test_a_stop_a_library_swallows_is_still_the_stop_when_the_library_then_fails(tmp_path):
    """ReportLab catches everything with a bare `except:` in places, the stop included, and
    may then fail on its half-made state (a KeyError at the end of a PDF): the command
    ends as stopped (143, `kit: terminated`), not as an internal error."""
    script = tmp_path / "swallowed.py"
    script.write_text(
        "import os, signal, sys\n"
        "import typer\n"
        "from fremfaerd_kit import cli\n"
        "signal.signal(signal.SIGTERM, cli._stop)\n"
        "@cli.reports_errors\n"
        "def command():\n"
        "    try:\n"
        "        os.kill(os.getpid(), signal.SIGTERM)\n"
        "        for _ in range(1000):\n"
        "            pass\n"
        "    except:  # noqa: E722 (as the library does)\n"
        "        pass\n"
        "    raise KeyError('forward reference not resolved')\n"
        "try:\n"
        "    command()\n"
        "except typer.Exit as exc:\n"
        "    sys.exit(exc.exit_code)\n",
        encoding="utf-8",
    )
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert (run.returncode, run.stderr.strip()) == (143, "kit: terminated")


DOUBLING = (
    '{% set ns = namespace(s="x") %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}'
    "{% endfor %}{{ ns.s | length }}"
)


@pytest.mark.parametrize(
    "body",
    [
        DOUBLING,
        '{{ "ab" | join(["x" * 100000] * 100000) }}',
        '{{ ["x" * 100000] * 100000 }}',
        '{{ [["x" * 1000] * 1000] * 1000 }}',
        '{{ ("x" * 4000000) ~ ("y" * 4000000) }}',
        '{{ ["x" * 100000] * 50 | join("-" * 100000) }}',
    ],
)
def test_a_template_that_builds_a_huge_text_is_refused_before_it_is_made(tmp_path, body):
    """Jinja's `~`, `join` and a list's text make their result in one go, between two looks
    of the memory watchdog: they are sized before they are made."""
    (tmp_path / "t" / "documents").mkdir(parents=True)
    (tmp_path / "t" / "documents" / "guide.md.j2").write_text(body)
    (tmp_path / "kit.yaml").write_text(KIT_FILE + "templates: t\n")
    run = run_limited("build", "kit.yaml", cwd=tmp_path, env={"FREMFAERD_KIT_NO_CACHE": "1"})
    assert run.code == 2, run.stderr
    assert run.peak_mb < 200, run.peak_mb
    assert len(run.lines) == 1
    assert "t/documents/guide.md.j2:1: template error:" in run.lines[0]


def test_a_card_whose_text_builds_a_huge_text_is_located_at_the_card(tmp_path):
    (tmp_path / "egne").mkdir()
    (tmp_path / "egne" / "min.yaml").write_text(
        "kind: deck\nid: min\ntitle: Min\nshort_title: Min\n"
        "source: {publication: dialogkort, section: Egne}\n"
        'categories:\n  - {id: a, name: A, colour: "#1D3B5A"}\n'
        f"cards:\n  - id: k1\n    category: a\n    question: '{DOUBLING}'\n"
    )
    run = run_limited("--content", "egne", "cards", "min", "-o", "k.pdf", cwd=tmp_path)
    assert run.code == 2, run.stderr
    assert run.peak_mb < 200, run.peak_mb
    assert len(run.lines) == 1
    assert run.lines[0].startswith("egne/min.yaml:11:5: cards[0].question:")
    assert not (tmp_path / "k.pdf").exists()


def test_a_content_folder_given_twice_is_read_once(tmp_path):
    (tmp_path / "egne").mkdir()
    (tmp_path / "egne" / "min.yaml").write_text(
        "kind: deck\nid: min\ntitle: Min\nshort_title: Min\n"
        "source: {publication: dialogkort, section: Egne}\n"
        'categories:\n  - {id: a, name: A, colour: "#1D3B5A"}\n'
        "cards:\n  - {id: k1, category: a, question: Hvad gør vi?}\n"
    )
    for args in (("--content", "egne", "check", "egne"),
                 ("--content", "egne", "--content", "egne/min.yaml", "check")):  # fmt: skip
        run = run_limited(*args, cwd=tmp_path)
        assert run.code == 0, run.stderr
        assert "duplicate" not in run.stderr
