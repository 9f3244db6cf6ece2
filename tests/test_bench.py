"""The benchmark script keeps working: a tiny run writes a report with every case."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import REPO


def test_a_tiny_benchmark_run_reports_every_case(tmp_path: Path) -> None:
    out = tmp_path / "benchmarks.md"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--runs", "1", "--no-typst",
         "--sizes", "9,18", "--out", str(out)],
        check=True, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    report = out.read_text(encoding="utf-8")
    for case in ("kit --help (cold start)", "kit cards (dialogkort, 35 cards)",
                 "kit agenda vaerktoej2 --minutes 90", "kit build (default kit)",
                 "kit cards, 9 generated cards", "kit cards, 18 generated cards",
                 "bare ReportLab, same 9 cards", "kit present vaerktoej2 (facilitator screen)",
                 "kit cards --layout shop (PDF/X-1a)"):  # fmt: skip
        row = next(line for line in report.splitlines() if line.startswith(f"| {case} |"))
        seconds = float(row.split("|")[2].strip().removesuffix(" s"))
        assert seconds > 0, row
    assert "- 9 to 18 cards: " in report
    assert "- 9 cards: kit " in report and "kit/bare ReportLab = " in report
