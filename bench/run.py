"""Benchmarks of the `kit` command, as a user runs it: wall time, peak memory, output size.

    .venv/bin/python bench/run.py [--runs 5] [--no-typst] [--sizes 40,400,4000,40000] [--out FILE]

Each case runs as a fresh process (cold start included), once to fill the kit's cache (its
own folder, empty at the start) and then `--runs` times; the table shows the median time,
the largest peak RSS and the size of what it wrote. One row runs with the cache off: what
the first run after an install or a content change costs. The processes run as pip
installs the kit, with their bytecode written (`PYTHONDONTWRITEBYTECODE` is dropped from
their environment: with it the kit's own modules are compiled again in every run).

The generated decks are also typeset by Typst (the `typst` package, `pip install -e
'.[bench]'`) in an equivalent 3×3 poker-card layout with crop marks and backs, in the same
run, so the ratio is measured on the same machine. Writes `docs/benchmarks.md` (or `--out`).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KIT = [sys.executable, "-m", "fremfaerd_kit"]
FONTS = REPO / "src" / "fremfaerd_kit" / "fonts"
FLOOR = Path(__file__).resolve().parent / "floor.py"
CATEGORIES = [("hverdag", "#1D3B5A"), ("borgere", "#7A2E39"), ("kompetencer", "#2F5D3A"),
              ("samarbejde", "#5B3F86")]  # fmt: skip


@dataclass
class Measure:
    name: str
    seconds: float
    cpu: float
    peak_mb: float
    output_kb: float | None


def run(
    cmd: list[str], cwd: Path, output: Path | None, runs: int, env: dict[str, str]
) -> tuple[float, float, float, float | None]:
    """Median wall time, median CPU time (user + system), largest peak RSS, output size,
    after one run that is not counted (it fills the cache)."""
    times, cpus, peaks = [], [], []
    for i in range(runs + 1):
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        _, status, usage = os.wait4(proc.pid, 0)
        if i == 0 and status == 0:
            continue
        times.append(time.perf_counter() - start)
        if status != 0:
            raise SystemExit(
                f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode() if proc.stderr else ''}"
            )
        cpus.append(usage.ru_utime + usage.ru_stime)
        peaks.append(usage.ru_maxrss / 1024)  # kB on Linux
    size = None
    if output is not None:
        size = (sum(p.stat().st_size for p in output.rglob("*") if p.is_file())
                if output.is_dir() else output.stat().st_size) / 1024  # fmt: skip
    return statistics.median(times), statistics.median(cpus), max(peaks), size


def cards(count: int) -> list[tuple[str, str, str]]:
    """`count` cards: category, question, example; realistic lengths, all different."""
    found = []
    for i in range(count):
        category = CATEGORIES[i % len(CATEGORIES)][0]
        question = (f"Spørgsmål {i + 1}: Hvordan påvirker den nye teknologi jeres hverdag, "
                    "og hvad skal I være særligt opmærksomme på?")  # fmt: skip
        example = (f"For eksempel nr. {i + 1}: når I aftaler, hvem der gør hvad, og hvordan "
                   "I følger op på det sammen.")  # fmt: skip
        found.append((category, question, example))
    return found


def deck_yaml(count: int) -> str:
    lines = ["kind: deck", "id: bench", "title: Benchmark", "short_title: Bench",
             "source: {publication: egne, section: benchmark}", "categories:"]  # fmt: skip
    for cat, colour in CATEGORIES:
        lines.append(f'  - {{id: {cat}, name: {cat.capitalize()}, colour: "{colour}"}}')
    lines.append("cards:")
    for i, (cat, question, example) in enumerate(cards(count)):
        lines += [f"  - id: k{i + 1}", f"    category: {cat}", f'    question: "{question}"',
                  f'    example: "{example.removeprefix("For eksempel ")}"']  # fmt: skip
    return "\n".join(lines) + "\n"


def typst_source(count: int) -> str:
    """The same cards as Typst: A4, 3×3 poker cards (63×88 mm), crop marks, back pages."""
    colours = dict(CATEGORIES)
    head = (Path(__file__).parent / "cards.typ").read_text(encoding="utf-8")
    x0, y0 = (210 - 3 * 63) / 2, (297 - 3 * 88) / 2
    out = [head]
    items = cards(count)
    for start in range(0, len(items), 9):
        chunk = items[start : start + 9]
        for k, (cat, q, ex) in enumerate(chunk):
            x, y = x0 + (k % 3) * 63, y0 + (k // 3) * 88
            out.append(f'#place(dx: {x}mm, dy: {y}mm, front("{cat}", "{colours[cat]}", "{q}", '
                       f'"{ex.removeprefix("For eksempel ")}", {start + k + 1}))')  # fmt: skip
            for cx in (x, x + 63):
                for cy in (y, y + 88):
                    out.append(f"#mark({cx}mm, {cy}mm)")
        out.append("#pagebreak()")
        for k, (cat, _, _) in enumerate(chunk):
            x, y = x0 + (2 - k % 3) * 63, y0 + (k // 3) * 88  # mirrored for long-edge duplex
            out.append(f'#place(dx: {x}mm, dy: {y}mm, back("{colours[cat]}"))')
        if start + 9 < len(items):
            out.append("#pagebreak()")
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the kit command.")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-typst", action="store_true")
    parser.add_argument("--sizes", default="40,400,4000,40000")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks.md")
    args = parser.parse_args()
    try:
        import typst  # noqa: F401

        have_typst = not args.no_typst
    except ImportError:
        have_typst = False

    rows: list[Measure] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["XDG_CACHE_HOME"] = str(work / "cache")
        env.pop("FREMFAERD_KIT_NO_CACHE", None)

        def case(
            name: str, cmd: list[str], output: Path | None, runs: int = args.runs, **extra: str
        ) -> None:
            seconds, cpu, peak, size = run(cmd, work, output, runs, {**env, **extra})
            rows.append(Measure(name, seconds, cpu, peak, size))
            print(f"{name:<42} {seconds:7.2f} s {cpu:7.2f} s cpu {peak:7.0f} MB", flush=True)

        case("kit --help (cold start)", [*KIT, "--help"], None)
        case("kit cards (dialogkort, 35 cards)", [*KIT, "cards", "-o", "d.pdf"], work / "d.pdf")
        case("kit cards (35 cards), cache off", [*KIT, "cards", "-o", "d.pdf"], work / "d.pdf",
             FREMFAERD_KIT_NO_CACHE="1")  # fmt: skip
        case("kit agenda vaerktoej2 --minutes 90", [*KIT, "agenda", "vaerktoej2", "--minutes", "90",
             "-o", "a.pdf"], work / "a.pdf")  # fmt: skip
        case("kit build (default kit)", [*KIT, "build", "-q", "-o", "kit"], work / "kit")
        case("kit present vaerktoej2 (facilitator screen)", [*KIT, "present", "vaerktoej2",
             "-o", "p.html"], work / "p.html")  # fmt: skip
        case("kit cards --layout shop (PDF/X-1a)", [*KIT, "cards", "--layout", "shop", "-o",
             "s.pdf"], work / "s.pdf")  # fmt: skip
        for n in (int(s) for s in args.sizes.split(",")):
            content = work / f"deck{n}"
            content.mkdir()
            (content / "bench.yaml").write_text(deck_yaml(n), encoding="utf-8")
            runs = args.runs if n < 4000 else max(3, args.runs // 2) if n < 40_000 else 1
            case(f"kit cards, {n} generated cards", [*KIT, "--content", str(content), "cards",
                 "bench", "-o", f"c{n}.pdf"], work / f"c{n}.pdf", runs)  # fmt: skip
            case(f"bare ReportLab, same {n} cards", [sys.executable, str(FLOOR), str(n),
                 f"f{n}.pdf"], work / f"f{n}.pdf", runs)  # fmt: skip
            if have_typst and n <= 4000:  # 4,000 cards take Typst half a gigabyte
                source = work / f"c{n}.typ"
                source.write_text(typst_source(n), encoding="utf-8")
                target = str(work / f"t{n}.pdf")
                code = (f"import typst; typst.compile({str(source)!r}, output={target!r}, "
                        f"font_paths=[{str(FONTS)!r}])")  # fmt: skip
                case(
                    f"typst, same {n} cards", [sys.executable, "-c", code], work / f"t{n}.pdf", runs
                )

    write_report(rows, have_typst, args.out)


def write_report(rows: list[Measure], have_typst: bool, out: Path) -> None:
    cpu = platform.processor() or platform.machine()
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `bench/run.py` on {platform.system()} {platform.release()}, {cpu}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}. Each row is a fresh "
        "process (cold start included): median wall time, median CPU time (user + system; "
        "steadier than wall time on a busy machine), largest peak RSS, size written. "
        "Before the counted runs one run fills the kit's cache (an empty folder of its own), "
        "as any second use of the kit finds it; the row with the cache off is the first run "
        "after an install or a changed content file. Bytecode is written as pip installs "
        "it (without it the kit's own modules are compiled in every run: about 0.05 s more). "
        "Typst is not run at more than 4,000 cards (4,000 take it half a gigabyte).",
        "",
        "| case | wall | CPU | peak memory | output |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for m in rows:
        size = f"{m.output_kb:,.0f} kB" if m.output_kb is not None else "–"
        lines.append(
            f"| {m.name} | {m.seconds:.2f} s | {m.cpu:.2f} s | {m.peak_mb:.0f} MB | {size} |"
        )
    by_name = {m.name: m for m in rows}
    ratios = []
    for m in rows:
        if m.name.startswith("kit cards, "):
            n = m.name.split()[2]
            parts = [f"- {n} cards: kit {m.cpu:.2f} s CPU"]
            for label, key in (("Typst", f"typst, same {n} cards"),
                               ("bare ReportLab", f"bare ReportLab, same {n} cards")):  # fmt: skip
                other = by_name.get(key)
                if other:
                    parts.append(f"{label} {other.cpu:.2f} s (kit/{label} = "
                                 f"{m.cpu / other.cpu:.2f})")  # fmt: skip
            ratios.append(", ".join(parts))
    if ratios:
        lines += ["", "Ratios of CPU time, same cards, same machine, same run:", "", *ratios]
    if not have_typst:
        lines += ["", "No Typst in this run (it needs `pip install -e '.[bench]'`)."]
    generated = sorted(
        (int(m.name.split()[2]), m.seconds) for m in rows if m.name.startswith("kit cards, ")
    )
    if len(generated) > 1:
        lines += ["", "Time per extra card as the deck grows (linear or better: no rise for "
                  "bigger decks):", ""]  # fmt: skip
        for (n0, t0), (n1, t1) in pairwise(generated):
            lines.append(f"- {n0} to {n1} cards: {(t1 - t0) / (n1 - n0) * 1000:.2f} ms per card")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
