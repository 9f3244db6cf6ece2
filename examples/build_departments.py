"""Build one workshop kit per row of a CSV of departments, with the Python API.

    python examples/build_departments.py examples/afdelinger.csv -o kits/

Each row gives the department's id, workplace, technology, date, start time, number of
participants and groups; everything else comes from the base kit file (default: the
home-care example beside this script).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import sys
from pathlib import Path

from fremfaerd_kit import KitError, build_kit, load_kit, load_library
from fremfaerd_kit.kitfile import Kit

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("departments", type=Path, help="CSV with one department per row")
    parser.add_argument("-o", "--output", type=Path, default=Path("kits"))
    parser.add_argument("--base", type=Path, default=HERE / "vasketoilet-hjemmepleje" / "kit.yaml")
    args = parser.parse_args(argv)
    try:
        base = load_kit(args.base)
        library = load_library(base.content_folders())
        with args.departments.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        for row in rows:
            spec = dataclasses.replace(
                base.spec,
                title=f"{row['teknologi'].capitalize()} – workshop i {row['arbejdsplads']}",
                workplace=row["arbejdsplads"],
                technology=row["teknologi"],
                date=dt.date.fromisoformat(row["dato"]),
                start=row["start"],
                participants=int(row["deltagere"]),
                groups=int(row["grupper"]),
            )
            kit = Kit(spec, base.folder, base.source)
            built = build_kit(kit, args.output / row["afdeling"], library=library)
            print(f"{row['afdeling']}: {len(built.files)} files in {built.folder}")
    except KitError as exc:
        print(f"build_departments: {exc}", file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
