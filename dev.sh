#!/usr/bin/env bash
# Set up the project's virtual environment (once, again when pyproject.toml
# changes) and run one job:
#   bash dev.sh demo    explained decisions on every bundled agreement
#   bash dev.sh test    the test suite (unit, properties, case files)
#   bash dev.sh lint    ruff and mypy --strict
#   bash dev.sh bench   the benchmarks (figures and ratios)
#   bash dev.sh docs    build the documentation site into site/ (docs serve: live preview)
set -euo pipefail
cd "$(dirname "$0")"

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "dev.sh: Python >= 3.11 is needed (set PYTHON=/path/to/python3.11)" >&2
  exit 2
fi
if [ ! -x .venv/bin/python ] || [ pyproject.toml -nt .venv/.installed ]; then
  echo "dev.sh: setting up .venv (one time)..." >&2
  "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test,dev,examples,lint,docs,http,rich,calendar,batch,dask,tables]'
  touch .venv/.installed
fi

job="${1:-demo}"
shift || true
case "$job" in
  demo)  exec .venv/bin/convention-rules demo "$@" ;;
  test)  exec .venv/bin/python -m pytest "$@" ;;
  lint)  .venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/lint-imports && exec .venv/bin/mypy --strict convention_rules ;;
  bench) .venv/bin/python benchmarks/decide.py "$@" && .venv/bin/python benchmarks/batch.py && exec .venv/bin/python benchmarks/decide_batch.py ;;
  docs)
    export NO_MKDOCS_2_WARNING=1  # mkdocs-material's notice about its successor, on every build
    if [ "${1:-}" = serve ]; then shift; exec .venv/bin/mkdocs serve "$@"; fi
    exec .venv/bin/mkdocs build --strict "$@" ;;
  *) echo "dev.sh: unknown job '$job' (demo, test, lint, bench, docs)" >&2; exit 2 ;;
esac
