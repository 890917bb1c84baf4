"""Times the reference validator (csc-validator-be-903) on one SSDA903 return and its previous year.

Usage: python oracle_903.py THIS_YEAR_DIR PREVIOUS_YEAR_DIR --year 2026 --la E08000003
Prints one JSON line: seconds to read, derive and run every rule of the year, rules run, rules failed.
Run with the oracle's own interpreter (.oracle/903/bin/python; see BENCHMARKS.md).
"""

import argparse
import json
import pathlib
import time


def files(folder, description):
    return [
        {"name": path.name, "description": description, "file_content": path.read_bytes()}
        for path in sorted(pathlib.Path(folder).glob("*.csv"))
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("this_year")
    parser.add_argument("previous_year")
    parser.add_argument("--year", required=True)
    parser.add_argument("--la", required=True)
    args = parser.parse_args()
    started = time.perf_counter()
    # Imported inside the timing: loading the package (pandas, the authority lookup) is part of
    # what a run costs.
    from lac_validator.lac_validator import LacValidator
    from lac_validator.rules.ruleset_utils import get_year_ruleset

    inputs = files(args.this_year, "This year") + files(args.previous_year, "Prev year")
    validator = LacValidator(
        metadata={"collectionYear": args.year, "localAuthority": args.la},
        files=inputs,
        registry=get_year_ruleset(args.year),
        selected_rules=None,
    )
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "seconds": seconds,
                "ran": len(validator.dones),
                "failed": sorted(validator.fails),
            }
        )
    )


if __name__ == "__main__":
    main()
