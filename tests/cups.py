"""A real CUPS scheduler for the tests: its own folder, socket and cups-pdf queue.

Nothing of the machine's own CUPS is used or changed, except one cups-pdf instance
config (`/etc/cups/cups-pdf-NAME.conf`, where cups-pdf looks for it), removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CUPSD = Path("/usr/sbin/cupsd")
CUPS_PDF = Path("/usr/lib/cups/backend/cups-pdf")
PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd")


@dataclass
class Cups:
    root: Path
    socket: Path
    queue: str
    out: Path
    spool: Path

    @property
    def env(self) -> dict[str, str]:
        return {"CUPS_SERVER": str(self.socket)}

    def snapshot(self) -> dict[Path, int]:
        """The PDFs in the output folder now, with their modification times."""
        return {p: p.stat().st_mtime_ns for p in self.out.glob("*.pdf")}

    def printed(self, before: dict[Path, int], timeout: float = 90) -> Path:
        """The PDF cups-pdf writes for the next job (new or rewritten), once complete."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            new = [p for p, t in self.snapshot().items() if before.get(p) != t]
            # Every job done (a job still queued or printing, this one or an earlier
            # test's, may yet write the same file name), and the file no longer growing.
            if new and new[0].stat().st_size > 0 and not self._jobs_pending():
                size = new[0].stat().st_size
                time.sleep(0.5)
                if new[0].stat().st_size == size and not self._jobs_pending():
                    return new[0]
            time.sleep(0.3)
        log = (self.root / "log" / "error_log").read_text(errors="replace")[-3000:]
        raise AssertionError(f"cups-pdf wrote nothing in {timeout} s; scheduler log:\n{log}")

    def _jobs_pending(self) -> bool:
        """Whether the scheduler still has a job not completed (`lpstat -o` lists it)."""
        result = subprocess.run(
            ["lpstat", "-o"], env={**os.environ, **self.env}, capture_output=True, text=True,
            timeout=30,
        )  # fmt: skip
        return bool(result.stdout.strip())

    def job_attributes(self, job_id: str) -> dict[str, list[bytes]]:
        """The IPP attributes CUPS stored for a job (its c-file in the spool)."""
        number = int(job_id.rsplit("-", 1)[1])
        control = self.spool / f"c{number:05d}"
        deadline = time.monotonic() + 30
        while not control.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        return parse_ipp(control.read_bytes())


def parse_ipp(data: bytes) -> dict[str, list[bytes]]:
    """Attributes of an IPP message: name -> values (raw bytes)."""
    attributes: dict[str, list[bytes]] = {}
    position, name = 8, ""
    while position < len(data):
        tag = data[position]
        position += 1
        if tag == 0x03:
            break
        if tag < 0x10:
            continue
        (length,) = struct.unpack(">H", data[position : position + 2])
        position += 2
        if length:
            name = data[position : position + length].decode()
        position += length
        (length,) = struct.unpack(">H", data[position : position + 2])
        position += 2
        attributes.setdefault(name, []).append(data[position : position + length])
        position += length
    return attributes


def unavailable() -> str | None:
    """Why a real CUPS with cups-pdf cannot run here, or None."""
    if os.geteuid() != 0:
        return "cups-pdf runs its backend as root; these tests need root"
    for path in (CUPSD, CUPS_PDF, PPD):
        if not path.exists():
            return f"{path} is missing (Debian: cups-daemon, printer-driver-cups-pdf)"
    for command in ("lp", "lpadmin", "lpstat"):
        if shutil.which(command) is None:
            return f"`{command}` is missing (Debian: cups-client)"
    return None


def skip_or_fail(reason: str) -> None:
    """Skip, unless the run requires the system parts (CI), where a skip would hide a gap."""
    if os.environ.get("FREMFAERD_REQUIRE_SYSTEM") == "1":
        pytest.fail(f"FREMFAERD_REQUIRE_SYSTEM=1 but {reason}")
    pytest.skip(reason)


def start_cups(root: Path) -> Iterator[Cups]:
    for sub in ("etc", "spool", "cache", "state", "log", "out"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "tmp").mkdir(mode=0o1777, exist_ok=True)
    (root / "tmp").chmod(0o1777)
    for path in (root, *root.parents):
        if path == Path("/"):
            break
        path.chmod(path.stat().st_mode | 0o055)  # filters run as `lp` and must reach it
    socket = root / "cups.sock"
    (root / "etc" / "cupsd.conf").write_text(f"""\
Listen {socket}
LogLevel info
WebInterface No
Browsing No
PreserveJobHistory Yes
PreserveJobFiles Yes
DirtyCleanInterval 0
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  JobPrivateAccess all
  JobPrivateValues none
  SubscriptionPrivateAccess all
  SubscriptionPrivateValues none
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
""")
    (root / "etc" / "cups-files.conf").write_text(f"""\
ServerRoot {root / "etc"}
RequestRoot {root / "spool"}
CacheDir {root / "cache"}
StateDir {root / "state"}
TempDir {root / "tmp"}
ErrorLog {root / "log" / "error_log"}
AccessLog {root / "log" / "access_log"}
PageLog {root / "log" / "page_log"}
""")
    daemon = subprocess.Popen(
        [
            str(CUPSD),
            "-f",
            "-c",
            str(root / "etc" / "cupsd.conf"),
            "-s",
            str(root / "etc" / "cups-files.conf"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    instance = f"kittest{os.getpid()}"
    config = Path(f"/etc/cups/cups-pdf-{instance}.conf")
    env = {**os.environ, "CUPS_SERVER": str(socket)}
    try:
        deadline = time.monotonic() + 20
        while subprocess.run(["lpstat", "-r"], env=env, capture_output=True).returncode:
            if time.monotonic() > deadline or daemon.poll() is not None:
                raise RuntimeError("the test CUPS scheduler did not start")
            time.sleep(0.2)
        config.write_text(f"Out {root / 'out'}\nAnonDirName {root / 'out'}\n")
        queue = "kit-test"
        command = ["lpadmin", "-p", queue, "-E", "-v", f"cups-pdf:/{instance}", "-P", str(PPD)]
        for _attempt in range(10):  # a scheduler that has just started may refuse at first
            added = subprocess.run(command, env=env, capture_output=True, text=True)
            if added.returncode == 0:
                break
            time.sleep(0.5)
        else:
            raise RuntimeError(f"lpadmin could not add the test queue: {added.stderr.strip()}")
        yield Cups(root, socket, queue, root / "out", root / "spool")
    finally:
        daemon.terminate()
        daemon.wait(timeout=20)
        config.unlink(missing_ok=True)
