"""Runs the CIN census reference validator (csc-validator-be-cin 0.1.13, "the oracle") on a
synthetic data set and prints its findings as JSON, normalised for differential comparison
(/work/shared/spec/oracle.md §3-4).

Usage (from the repository root, after tests/oracle/setup.sh):

    .oracle/cin/bin/python tests/oracle/run_cin.py OUT [--year 2026] [--previous]
        [--file CIN.xml] [--rules CODE[,CODE...]] [--output FILE]

OUT is a `csc-returns synth` output folder; the census read is OUT/cin/cin_<YYYY-YY>.xml for --year
(default: the manifest's collection year), or the previous year's file with --previous, or any
census file given with --file. The XML is flattened with the oracle's own `convert_data`, which is
quadratic in the number of children: fine up to a few thousand. The ruleset is chosen by the year;
every date rule takes the census period from the file's ReferenceDate.

Output (stdout or --output): a JSON object
    {"return": "cin", "collection_year": 2026, "file": "cin/cin_2025-26.xml",
     "findings": [{"rule_code": "8840", "child_id": "5000012", "table": "ChildProtectionPlans",
                   "column": "CPPstartDate", "row_index": 3, "row_key": ["5000012", "1", "1"]}, ...],
     "la_level": [{"rule_code": "2887Q"}, ...],
     "failed_rules": ["8614", ...]}
`row_index` is the 0-based row of the oracle's flat table; `row_key` is the natural key
(LAchildID, CINdetailsID[, AssessmentID | CPPID]) — the generated IDs restart per child and per
episode, so compare on keys, not row indices. `failed_rules` are rules that raised ("Error with
rule X" on the oracle's stdout): a crashed rule reports nothing for anyone. Findings are sorted and
de-duplicated per (rule, table, column, row).
"""

import argparse
import contextlib
import io
import json
import re
import sys
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

SUB_IDS = {
    "Assessments": "AssessmentID",
    "AssessmentFactorsList": "AssessmentID",
    "ChildProtectionPlans": "CPPID",
    "Reviews": "CPPID",
}


def year_folder(year: int) -> str:
    return f"{year - 1}-{year % 100:02d}"


def key_of(tables: dict, table: str, index) -> list:
    frame = tables.get(table)
    if frame is None or index is None or index not in frame.index:
        return []
    row = frame.loc[index]
    key = [row.get("LAchildID")]
    if "CINdetailsID" in frame.columns:
        key.append(row.get("CINdetailsID"))
    if table in SUB_IDS:
        key.append(row.get(SUB_IDS[table]))
    return [None if value != value else str(value) for value in key]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--year", type=int)
    parser.add_argument("--previous", action="store_true", help="validate last year's census file")
    parser.add_argument("--file", type=Path, help="a census XML to validate instead of OUT's")
    parser.add_argument("--rules", help="comma-separated rule codes (default: all)")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()

    manifest_path = args.out / "synth-manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    year = args.year or manifest.get("options", {}).get("collection_year")
    if not year:
        sys.exit("run_cin.py: give --year (no synth-manifest.json in OUT to take it from)")
    if args.previous:
        year -= 1
    path = args.file or args.out / "cin" / f"cin_{year_folder(year)}.xml"
    if not path.exists():
        sys.exit(f"run_cin.py: {path} does not exist; is OUT a synth output folder with the CIN return?")

    from cin_validator.cin_validator import CinValidator, convert_data, process_data
    from cin_validator.rules.ruleset_utils import get_year_ruleset

    root = ET.parse(path).getroot()
    raw = convert_data(root)
    import copy

    tables = process_data(copy.deepcopy(raw))
    registry = get_year_ruleset(str(year))
    selected = args.rules.split(",") if args.rules else None
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        validator = CinValidator(tables, registry, selected_rules=selected)
    failed = sorted(set(re.findall(r"Error with rule (\S+?):", captured.getvalue())))

    findings = {}
    for record in validator.full_issue_df.to_dict("records"):
        table = record["tables_affected"]
        index = record["row_id"]
        index = None if index != index else int(index)
        key = key_of(raw, table, index)
        child = record.get("child_id")
        entry = {
            "rule_code": str(record["rule_code"]),
            "child_id": None if child != child else str(child),
            "table": table,
            "column": record["columns_affected"],
            "row_index": index,
            "row_key": key,
        }
        findings[(entry["rule_code"], table, str(entry["column"]), str(index))] = entry
    la_level = sorted({str(code) for code in validator.multichild_issues["rule_code"]})
    report = {
        "return": "cin",
        "collection_year": year,
        "file": str(path),
        "findings": [findings[k] for k in sorted(findings)],
        "la_level": [{"rule_code": code} for code in la_level],
        "failed_rules": failed,
    }
    text = json.dumps(report, indent=1)
    if args.output:
        args.output.write_text(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
