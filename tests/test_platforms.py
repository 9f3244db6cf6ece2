"""The kit where its users are: Windows and macOS as well as Linux (`oskit.py`).

No Windows machine runs here, so the `kit` command is also run in a process that has
what Windows lacks taken away: the POSIX-only modules cannot be imported, and the `os`
and `signal` names Windows does not have are gone. The Windows-only system calls run in
the CI workflow's Windows job (the tests marked `windows`); their logic runs here.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fremfaerd_kit import oskit
from fremfaerd_kit.errors import OutputError

from .conftest import REPO, run_kit, snapshot
from .pdfread import pdf_text

# What Windows does not have, taken away from a Linux process. Modules: the POSIX-only
# ones of the standard library. `os`: the open flags, fork, sysconf, the blocking switch
# (not on Windows in Python 3.11), the FIFO and owner calls. `signal`: every POSIX signal
# Windows lacks; SIGBREAK (Ctrl-Break) is there instead. The user and group ids stay:
# libraries that choose their Linux branch by `sys.platform` (platformdirs) import them,
# so the kit's own uses of them are checked in its source instead (POSIX_ONLY_IDS).
POSIX_ONLY_MODULES = ("fcntl", "resource", "termios", "tty", "pty", "pwd", "grp", "syslog")
POSIX_ONLY_OS = (
    "O_CLOEXEC", "O_NOFOLLOW", "O_NONBLOCK", "O_NOCTTY", "O_DIRECTORY",
    "getgroups", "fork", "forkpty", "wait3", "wait4",
    "sysconf", "set_blocking", "getpgid", "setsid", "killpg", "mkfifo", "chown", "lchown",
)  # fmt: skip
POSIX_ONLY_SIGNAL = (
    "SIGHUP", "SIGKILL", "SIGQUIT", "SIGALRM", "SIGUSR1", "SIGUSR2", "SIGPIPE", "SIGCHLD",
    "alarm", "setitimer", "pthread_kill", "pthread_sigmask", "siginterrupt",
)  # fmt: skip

POSIX_ONLY_IDS = ("geteuid", "getuid", "getegid", "getgid")

PRELUDE = f"""\
# Run before the kit (as sitecustomize): this process has what Windows has, no more.
import importlib.abc, os, signal, sys

_BLOCKED = {POSIX_ONLY_MODULES!r}


class _NotOnWindows(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name in _BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}} (not on Windows)", name=name)
        return None


sys.meta_path.insert(0, _NotOnWindows())
for _name in _BLOCKED:
    sys.modules.pop(_name, None)
for _name in {POSIX_ONLY_OS!r}:
    if hasattr(os, _name):
        delattr(os, _name)
for _name in {POSIX_ONLY_SIGNAL!r}:
    if hasattr(signal, _name):
        delattr(signal, _name)
signal.SIGBREAK = 21  # Windows' number; on Linux a signal nobody sends
"""


@pytest.fixture
def windowsish(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a `kit` that has only what Windows has."""
    folder = tmp_path_factory.mktemp("posixless")
    (folder / "sitecustomize.py").write_text(PRELUDE, encoding="utf-8")
    path = os.pathsep.join(p for p in (str(folder), os.environ.get("PYTHONPATH", "")) if p)
    return {"PYTHONPATH": path}


@pytest.mark.skipif(sys.platform == "win32", reason="Windows is the real thing there")
def test_the_posixless_process_really_lacks_what_windows_lacks(windowsish):
    check = textwrap.dedent("""\
        import os, signal
        for name in ("fcntl", "resource", "termios"):
            try:
                __import__(name)
            except ModuleNotFoundError:
                print("no", name)
        print(hasattr(os, "O_CLOEXEC"), hasattr(os, "fork"), hasattr(signal, "SIGHUP"))
        print(signal.SIGBREAK)
    """)
    done = subprocess.run(
        [sys.executable, "-c", check], env={**os.environ, **windowsish},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert done.stdout.split("\n")[:5] == [
        "no fcntl", "no resource", "no termios", "False False False", "21"
    ]  # fmt: skip


def test_without_posix_kit_version_starts(windowsish):
    result = run_kit("--version", env=windowsish)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("kit ")


def test_without_posix_the_default_kit_builds_and_builds_again(tmp_path, windowsish):
    first = run_kit("build", "-q", cwd=tmp_path, env=windowsish)
    assert first.returncode == 0, first.stderr
    built = snapshot(tmp_path / "kit")
    assert "01-guide.pdf" in built and "05-kort-dialogkort.pdf" in built
    again = run_kit("build", "-q", cwd=tmp_path, env=windowsish)  # replaces its own files
    assert again.returncode == 0, again.stderr
    assert snapshot(tmp_path / "kit") == built
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kit"]  # no lock or temporary file


def test_without_posix_cards_are_written(tmp_path, windowsish):
    result = run_kit("cards", "-o", "kort.pdf", cwd=tmp_path, env=windowsish)
    assert result.returncode == 0, result.stderr
    text = " ".join(pdf_text(tmp_path / "kort.pdf").split())
    assert "Hvilke typer af digitale værktøjer anvender I på jeres felt?" in text


def _logo(path: Path) -> bytes:
    """A PNG whose bytes hold 0x1A and CR LF (its signature does), and more of them in a
    text chunk: what a text-mode read on Windows stops at or changes."""
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "\x1a\r\n\x1a end of file in text mode \r\n")
    image = Image.new("RGB", (240, 80), (29, 92, 74))
    image.save(path, pnginfo=info)
    data = path.read_bytes()
    assert b"\x1a" in data and b"\r\n" in data
    return data


def test_without_posix_a_kit_with_a_logo_and_a_workbook_builds(tmp_path, windowsish):
    from openpyxl import Workbook

    own = tmp_path / "egne"
    own.mkdir()
    book = Workbook()
    sheet = book.active
    sheet.title = "Ark1"
    sheet.append(["Spørgsmål", "Kategori"])
    sheet.append(["Hvem tager telefonen, når robotten fejler?", "Drift"])
    sheet.append(["Hvad siger vi til borgeren?", "Borgere"])
    book.save(own / "robot.xlsx")
    logo = _logo(tmp_path / "logo.png")
    (tmp_path / "kit.yaml").write_text(
        "kind: kit\ncontent: [egne]\ndecks: [{id: robot}]\n"
        "branding: {logo: logo.png, accent: '#1D5C4A'}\n",
        encoding="utf-8",
    )
    result = run_kit("build", "kit.yaml", "-o", "ud", "-q", cwd=tmp_path, env=windowsish)
    assert result.returncode == 0, result.stderr
    cards = pdf_text(tmp_path / "ud" / "05-kort-robot.pdf")
    assert "Hvem tager telefonen, når robotten fejler?" in cards
    assert "Hvad siger vi til borgeren?" in cards
    import pymupdf

    with pymupdf.open(tmp_path / "ud" / "01-guide.pdf") as guide:
        images = [guide.extract_image(xref) for xref, *_ in guide[0].get_images()]
    assert [(i["width"], i["height"]) for i in images] == [(240, 80)]  # the whole logo
    assert (tmp_path / "logo.png").read_bytes() == logo


def posix_uses(package: Path) -> list[str]:
    """Where the code under `package` (but oskit.py) imports a POSIX-only module, or uses a
    POSIX-only name of `os` or `signal` in a function that does not ask `hasattr` first."""
    import ast

    posix_names = {*POSIX_ONLY_OS, *POSIX_ONLY_IDS, *POSIX_ONLY_SIGNAL}
    found = []
    for source in sorted(package.rglob("*.py")):
        if source.name == "oskit.py":
            continue
        tree = ast.parse(source.read_text(encoding="utf-8"))
        scopes = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))]
        for scope in scopes:
            calls = [n for n in ast.walk(scope) if isinstance(n, ast.Call)]
            checked = {
                call.args[1].value
                for call in calls
                if getattr(call.func, "id", "") in ("hasattr", "getattr")
                and len(call.args) > 1
                and isinstance(call.args[1], ast.Constant)
            }
            for node in ast.walk(scope):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    modules = [node.module or ""]
                else:
                    modules = []
                for module in modules:
                    if module.split(".")[0] in POSIX_ONLY_MODULES:
                        found.append(f"{source.name}:{node.lineno}: import {module}")
                if (
                    isinstance(node, ast.Attribute)
                    and isinstance(node.value, ast.Name)
                    and node.value.id in ("os", "signal")
                    and node.attr in posix_names
                    and node.attr not in checked
                ):
                    found.append(f"{source.name}:{node.lineno}: {node.value.id}.{node.attr}")
    return sorted(set(found))


def test_the_kits_own_code_names_nothing_windows_lacks_unless_it_checks_first():
    assert posix_uses(Path(oskit.__file__).parent) == []


# --- The logic of the Windows branches, run here --------------------------------------


def test_a_file_held_open_is_named_with_what_to_do_and_nothing_changed():
    guide = Path("C:/Users/anne/kit/01-guide.pdf")
    cards = Path("C:/Users/anne/kit/05-kort-dialogkort.pdf")
    assert oskit.replace_problem([(guide, "open")]) == (
        f"{guide}: is open in another program (a PDF viewer, Word, a browser, or OneDrive "
        "syncing it); close 01-guide.pdf and run again; nothing was changed"
    )
    both = oskit.replace_problem([(guide, "open"), (cards, "open"), (guide, "read-only")])
    assert both.startswith(f"{guide}, {cards}: are open in another program")
    assert "close 01-guide.pdf and 05-kort-dialogkort.pdf and run again" in both
    assert f"{guide}: is read-only; clear Read-only in its Properties" in both
    assert both.endswith("; nothing was changed")


def test_windows_open_errors_mean_held_or_denied():
    assert oskit._held_reason(32) == "open"  # ERROR_SHARING_VIOLATION
    assert oskit._held_reason(33) == "open"  # ERROR_LOCK_VIOLATION
    assert oskit._held_reason(5) == "denied"  # ERROR_ACCESS_DENIED
    assert oskit._held_reason(2) is None  # gone meanwhile: the rename will say


def test_check_replaceable_is_no_step_where_open_files_can_be_replaced(tmp_path):
    target = tmp_path / "01-guide.pdf"
    target.write_bytes(b"%PDF")
    with target.open("rb"):  # Linux and macOS rename over an open file
        if sys.platform != "win32":
            oskit.check_replaceable([target])
        else:
            with pytest.raises(OutputError) as raised:
                oskit.check_replaceable([target])
            assert "close 01-guide.pdf and run again" in str(raised.value)


@pytest.mark.skipif(ctypes.sizeof(ctypes.c_void_p) != 8, reason="the layout of 64-bit Windows")
def test_the_job_memory_limit_has_the_layout_of_winnt_h():
    info = oskit._memory_limits(1024**3)
    assert ctypes.sizeof(info) == 144  # JOBOBJECT_EXTENDED_LIMIT_INFORMATION on x64
    basic, extended = oskit._job_types()
    assert ctypes.sizeof(basic) == 64
    assert extended.ProcessMemoryLimit.offset == 112
    assert info.BasicLimitInformation.LimitFlags == 0x100  # JOB_OBJECT_LIMIT_PROCESS_MEMORY
    assert info.ProcessMemoryLimit == 1024**3


def test_the_spooler_is_asked_for_copies_sides_and_paper():
    wanted = oskit.wanted_settings(3, "two-sided-short-edge", "Letter")
    assert wanted == {"Copies": 3, "Collate": 1, "Duplex": 3, "PaperSize": 1,
                      "Fields": 0x100 | 0x8000 | 0x1000 | 0x2}  # fmt: skip
    said, problem = oskit.kept_settings(wanted, dict(wanted), "Letter")
    assert (said, problem) == ("3 copies, two-sided-short-edge, Letter", None)


def test_a_driver_without_duplex_stops_a_two_sided_job_before_it_prints():
    wanted = oskit.wanted_settings(1, "two-sided-long-edge", "A4")
    kept = {**wanted, "Duplex": 1}  # the driver reset it to simplex
    said, problem = oskit.kept_settings(wanted, kept, "A4")
    assert said == ""
    assert problem is not None and "no two-sided printing" in problem and "--backs fold" in problem
    one_sided = oskit.wanted_settings(1, "one-sided", "A4")
    assert oskit.kept_settings(one_sided, {**one_sided, "Copies": 1}, "A4")[1] is None
    letter = oskit.wanted_settings(1, "one-sided", "Letter")
    missing_paper = oskit.kept_settings(letter, {**letter, "PaperSize": 9}, "Letter")
    assert missing_paper[1] == "the printer's driver does not offer Letter paper; choose --paper"


def test_a_page_lands_at_its_true_size_from_the_papers_corner():
    a4 = (595.2756, 841.8898)  # points
    assert oskit.page_box(*a4, (600, 600), (0, 0)) == (0, 0, 4961, 7016)
    # The device's origin is the printable area's corner, 50 and 40 dots inside the paper.
    assert oskit.page_box(*a4, (600, 600), (50, 40)) == (-50, -40, 4911, 6976)


def test_the_spooler_is_sent_each_page_at_its_true_size(tmp_path):
    assert run_kit("cards", "-o", "kort.pdf", cwd=tmp_path).returncode == 0
    pages = list(oskit.page_images(tmp_path / "kort.pdf", 600))
    assert len(pages) == 10
    image, width, height = pages[1]
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    # A4 at 300 dpi, the most the kit sends (PDFium rounds a part of a pixel up)
    assert abs(image.size[0] - 2480) <= 1 and abs(image.size[1] - 3508) <= 1
    assert image.getbbox() is not None  # a drawn page, not a blank one
    gray = image.convert("L")
    assert gray.getextrema()[0] < 64  # text and crop marks are there


def test_whether_a_process_lives_the_windows_way_without_signalling_it():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # reaped: its pid names no process now
    for windows in (False, True):
        assert oskit.process_alive(os.getpid(), windows=windows)
        assert not oskit.process_alive(child.pid, windows=windows)


def test_memory_in_use_reads_the_same_through_psutil_as_through_proc():
    if not Path("/proc/self/statm").exists():
        pytest.skip("no /proc here: psutil is the only reading")
    block = bytearray(64 * 1024 * 1024)  # resident once written
    block[::4096] = b"x" * len(block[::4096])
    through_proc = oskit.memory_in_use(proc=True)
    through_psutil = oskit.memory_in_use(proc=False)
    assert through_proc > 64 * 1024 * 1024
    assert abs(through_proc - through_psutil) < 16 * 1024 * 1024
    del block


def test_the_terminal_closing_stops_the_kit_unless_nohup_ignores_it():
    if not hasattr(signal, "SIGHUP"):
        assert signal.SIGBREAK in oskit.interrupt_signals()
        return
    assert signal.SIGHUP in oskit.interrupt_signals()
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        assert signal.SIGHUP not in oskit.interrupt_signals()
    finally:
        signal.signal(signal.SIGHUP, previous)


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no terminal hang-up on Windows")
def test_a_build_whose_terminal_closes_leaves_the_earlier_kit_and_no_temporary_files(tmp_path):
    import time

    big = tmp_path / "egne"
    big.mkdir()
    rows = ["spørgsmål,kategori"] + [f"Spørgsmål {i} om hverdagen?,Hverdag" for i in range(12000)]
    (big / "mange.csv").write_text("\n".join(rows), encoding="utf-8")
    kit = tmp_path / "kit.yaml"
    kit.write_text("kind: kit\ncontent: [egne]\ndecks: [{id: mange}]\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run_kit("build", str(kit), "-o", str(out), "-q").returncode == 0
    before = snapshot(out)
    kit.write_text("kind: kit\ncontent: [egne]\nminutes: 90\ndecks: [{id: mange}]\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "fremfaerd_kit", "build", str(kit), "-o", str(out), "-q"],
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(1.5)  # rendering 12,000 cards takes seconds longer than this
    proc.send_signal(signal.SIGHUP)
    _, stderr = proc.communicate(timeout=60)
    assert (proc.returncode, stderr.strip()) == (130, "kit: interrupted")
    assert snapshot(out) == before
    assert not list(tmp_path.rglob("*.kit-tmp"))


def test_printer_names_are_the_platforms():
    from fremfaerd_kit.printers import check_name

    if sys.platform == "win32":
        assert check_name("HP LaserJet M404 (Kontor)") == "HP LaserJet M404 (Kontor)"
        assert check_name(r"\\printserver\Follow-Me") == r"\\printserver\Follow-Me"
    else:
        assert check_name("Kontor_HP-1") == "Kontor_HP-1"
    result = run_kit("printer", "show", "a,b")
    assert result.returncode == 2
    hint = "Windows shows it" if sys.platform == "win32" else "CUPS queue's name, as `lpstat -p`"
    assert hint in result.stderr


# --- On Windows itself (the CI workflow's Windows job) --------------------------------

windows_only = pytest.mark.skipif(sys.platform != "win32", reason="Windows' own file rules")


@windows_only
def test_on_windows_a_pdf_open_elsewhere_stops_the_build_with_nothing_changed(tmp_path):
    assert run_kit("build", "-q", cwd=tmp_path).returncode == 0
    before = snapshot(tmp_path / "kit")
    (tmp_path / "kit.yaml").write_text("kind: kit\nminutes: 90\n", encoding="utf-8")
    # Python opens files without FILE_SHARE_DELETE, as Acrobat does: no rename over it.
    with (tmp_path / "kit" / "01-guide.pdf").open("rb"):
        result = run_kit("build", "kit.yaml", "-o", "kit", "-q", cwd=tmp_path)
    assert result.returncode == 1
    assert "close 01-guide.pdf and run again; nothing was changed" in result.stderr
    assert snapshot(tmp_path / "kit") == before
    hidden = sorted(p.name for p in (tmp_path / "kit").glob(".*"))
    assert hidden == [".fremfaerd-kit"]  # the manifest: no lock file, no temporary file


@windows_only
def test_on_windows_memory_is_bounded_by_a_job_object():
    code = "from fremfaerd_kit import oskit; print(oskit.cap_memory(1024**3))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "True", done.stderr


# --- The lowest versions the kit declares ---------------------------------------------


def declared_floors() -> dict[str, str]:
    """Each dependency of the kit that applies here with its declared lowest version."""
    import tomllib

    from packaging.markers import Marker
    from packaging.requirements import Requirement

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    floors = {}
    for line in project["dependencies"]:
        requirement = Requirement(line)
        if requirement.marker is not None and not Marker(str(requirement.marker)).evaluate():
            continue
        for spec in requirement.specifier:
            if spec.operator == ">=":
                floors[requirement.name.lower()] = spec.version
    return floors


@pytest.mark.slow
@pytest.mark.skipif(
    sys.version_info[:2] != (3, 11),
    reason="the floors are for the oldest Python the kit supports, 3.11 (a newer Python "
    "needs newer releases: pydantic-core 2.16 has no wheel for 3.13)",
)
def test_the_lowest_declared_versions_install_and_build_the_default_kit(tmp_path):
    """uv's lowest-direct resolution: every direct dependency at its floor."""
    from uv import find_uv_bin

    uv = find_uv_bin()
    venv = tmp_path / "lowest"
    subprocess.run([uv, "venv", "-q", "-p", sys.executable, str(venv)], check=True, timeout=120)
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    install = subprocess.run(
        [uv, "pip", "install", "-q", "--python", str(python), "--resolution", "lowest-direct",
         str(REPO)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr[-3000:]
    listed = subprocess.run(
        [uv, "pip", "list", "--python", str(python), "--format", "json"],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    import json

    installed = {p["name"].lower(): p["version"] for p in json.loads(listed.stdout)}
    floors = declared_floors()
    assert {"typer", "reportlab", "pillow", "rich"} <= floors.keys()
    from packaging.version import Version

    for name, floor in floors.items():  # the floor's release, or its first patch release
        wanted, have = Version(floor).release, Version(installed[name]).release
        assert have[: len(wanted)] == wanted, (name, floor, installed[name])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "FREMFAERD_KIT_NO_CACHE": "1"}
    for args in (["--version"], ["build", "-q"], ["cards", "-o", "kort.pdf"]):
        done = subprocess.run(
            [str(python), "-m", "fremfaerd_kit", *args], cwd=elsewhere, env=env,
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, (args, done.stderr)
    assert "01-guide.pdf" in snapshot(elsewhere / "kit")
    assert (elsewhere / "kort.pdf").stat().st_size > 10_000
