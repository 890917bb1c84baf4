"""Runs the SSDA903 reference validator (csc-validator-be-903 0.1.17, "the oracle") on a synthetic
data set and prints its findings as JSON, normalised for differential comparison
(/work/shared/spec/oracle.md §4).

Usage (from the repository root, after tests/oracle/setup.sh):

    .oracle/903/bin/python tests/oracle/run_903.py OUT [--year 2026] [--la E08000003]
        [--mode isolated|sequence|both] [--rules CODE[,CODE...]] [--no-previous]
        [--no-postcodes] [--ch-lookup FILE --scp-lookup FILE] [--output FILE]

OUT is a `csc-returns synth` output folder: this year's tables are read from
OUT/ssda903/<YYYY-YY>/*.csv and last year's from the folder of the year before (loaded as
"Prev year", so the previous-year rules run). --year and --la default to the values in
OUT/synth-manifest.json.

--ch-lookup and --scp-lookup give Ofsted's children's homes and social care providers workbooks
(`csc-returns synth` writes them to OUT/ofsted/); the oracle needs both (or one combined list as
--ch-lookup) to run the URN rules 219-229, which it skips without them.

Modes (oracle-defects.md A1): `isolated` runs every rule on its own deep copy of the tables, so a
rule that writes into shared data (365 fills blank DEC) cannot change later rules; `sequence` runs
the validator as its users do, every rule in registry order on shallow copies. `both` (default)
reports both.

Output (stdout or --output): a JSON object
    {"return": "ssda903", "collection_year": 2026, "la": "E08000003",
     "runs": [{"mode": "isolated",
               "findings": [{"rule_code": "SW12STG2", "child_id": "1000123", "table": "Episodes",
                             "row_index": 17, "row_key": ["1000123", "01/05/2025"]}, ...],
               "failed_rules": [...], "skipped_rules": [...], "ran_rules": [...]}]}
`row_index` is the 0-based data row of the table's CSV (Excel row - 2); `table` carries `_last` for
previous-year tables; `row_key` is the natural key: (CHILD, DECOM) Episodes, (CHILD, REVIEW)
Reviews, (CHILD, MIS_START) Missing, (CHILD, SW_DECOM) SWEpisodes, (CHILD, DOLO_START) DoLo,
(CHILD, DATE_PLACED) PlacedAdoption, (CHILD) for the other tables. Findings are sorted.
"""

import argparse
import contextlib
import io
import json
import logging
import sys
from pathlib import Path

ROW_KEYS = {
    "Episodes": "DECOM",
    "Reviews": "REVIEW",
    "Missing": "MIS_START",
    "SWEpisodes": "SW_DECOM",
    "DoLo": "DOLO_START",
    "PlacedAdoption": "DATE_PLACED",
}


def year_folder(year: int) -> str:
    return f"{year - 1}-{year % 100:02d}"


def uploaded(folder: Path, description: str) -> list:
    return [
        {"name": path.name, "file_content": path.read_bytes(), "description": description}
        for path in sorted(folder.glob("*.csv"))
    ]


def row_key(raw: dict, table: str, index: int) -> list:
    frame = raw.get(table)
    if frame is None or index not in frame.index:
        return []
    base = table[: -len("_last")] if table.endswith("_last") else table
    row = frame.loc[index]
    key = [row.get("CHILD")]
    if base in ROW_KEYS:
        key.append(row.get(ROW_KEYS[base]))
    return [None if value != value else str(value) for value in key]  # NaN -> None


def normalise(results: dict, raw: dict) -> list:
    findings = []
    for table, frame in results.items():
        if not hasattr(frame, "columns"):
            continue
        for column in [c for c in frame.columns if str(c).startswith("ERR_")]:
            for index in frame.index[frame[column] == True]:  # noqa: E712 (object column)
                key = row_key(raw, table, index)
                findings.append(
                    {
                        "rule_code": column[4:],
                        "child_id": key[0] if key else None,
                        "table": table,
                        "row_index": int(index),
                        "row_key": key,
                    }
                )
    findings.sort(key=lambda f: (f["rule_code"], f["table"], f["row_index"]))
    return findings


def run_isolated(files, metadata, registry, rules):
    import pandas as pd
    from lac_validator.datastore import create_datastore
    from lac_validator.ingress import read_from_text

    dfs, extras = read_from_text(raw_files=files)
    metadata = dict(metadata, **extras)
    store = create_datastore(dfs, metadata)
    results = {k: v.copy(deep=True) for k, v in store.items() if k != "metadata"}
    failed, skipped, ran = [], [], []
    for code, rule in registry.items():
        if rules and str(code) not in rules:
            continue
        copy = {k: (v.copy(deep=True) if k != "metadata" else dict(v)) for k, v in store.items()}
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                result = rule.func(copy)
        except Exception:  # a crashed rule reports nothing; record it
            failed.append(str(code))
            continue
        if result == {}:
            skipped.append(str(code))
            continue
        ran.append(str(code))
        for table, rows in result.items():
            rows = [r for r in rows if pd.notna(r)]
            if rows and table in results:
                results[table].loc[rows, f"ERR_{code}"] = True
    return results, failed, skipped, ran


def run_sequence(files, metadata, registry, rules):
    from lac_validator.lac_validator import LacValidator

    with contextlib.redirect_stdout(io.StringIO()):
        validator = LacValidator(
            metadata=dict(metadata), files=files, registry=registry, selected_rules=rules or None
        )
    return validator.ds_results, list(map(str, validator.fails)), list(map(str, validator.skips)), list(map(str, validator.dones))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--year", type=int)
    parser.add_argument("--la")
    parser.add_argument("--mode", choices=["isolated", "sequence", "both"], default="both")
    parser.add_argument("--rules", help="comma-separated rule codes (default: all)")
    parser.add_argument("--no-previous", action="store_true", help="do not load last year's tables")
    parser.add_argument("--no-postcodes", action="store_true", help="skip postcode loading (QLAC_DISABLE_PC)")
    parser.add_argument("--ch-lookup", type=Path, help="Ofsted children's homes list (.xlsx)")
    parser.add_argument("--scp-lookup", type=Path, help="Ofsted social care providers list (.xlsx)")
    parser.add_argument("--output", type=Path, help="write the JSON here instead of stdout")
    args = parser.parse_args()

    manifest_path = args.out / "synth-manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    year = args.year or manifest.get("options", {}).get("collection_year")
    la = args.la or manifest.get("options", {}).get("la_ons_code")
    if not year or not la:
        sys.exit("run_903.py: give --year and --la (no synth-manifest.json in OUT to take them from)")
    this_year = args.out / "ssda903" / year_folder(year)
    if not this_year.is_dir():
        sys.exit(f"run_903.py: {this_year} does not exist; is OUT a synth output folder with the 903 return?")
    if args.no_postcodes:
        import os

        os.environ["QLAC_DISABLE_PC"] = "1"
    logging.disable(logging.CRITICAL)

    from lac_validator.ingress import read_from_text
    from lac_validator.rules.ruleset_utils import get_year_ruleset

    files = uploaded(this_year, "This year")
    previous = args.out / "ssda903" / year_folder(year - 1)
    if not args.no_previous and previous.is_dir():
        files += uploaded(previous, "Prev year")
    for path, description in ((args.ch_lookup, "CH lookup"), (args.scp_lookup, "SCP lookup")):
        if path is not None:
            files.append({"name": path.name, "file_content": path.read_bytes(), "description": description})
    metadata = {"collectionYear": str(year), "localAuthority": la}
    registry = get_year_ruleset(str(year))
    rules = set(args.rules.split(",")) if args.rules else set()
    raw, _ = read_from_text(raw_files=files)

    runs = []
    modes = ["isolated", "sequence"] if args.mode == "both" else [args.mode]
    for mode in modes:
        runner = run_isolated if mode == "isolated" else run_sequence
        results, failed, skipped, ran = runner(files, metadata, registry, rules)
        runs.append(
            {
                "mode": mode,
                "findings": normalise(results, raw),
                "failed_rules": sorted(failed),
                "skipped_rules": sorted(skipped),
                "ran_rules": sorted(ran),
            }
        )
    report = {"return": "ssda903", "collection_year": year, "la": la, "runs": runs}
    text = json.dumps(report, indent=1)
    if args.output:
        args.output.write_text(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
