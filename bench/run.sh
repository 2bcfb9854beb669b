#!/usr/bin/env bash
# The entry point of `make bench`: N=1000000 bench/run.sh (N defaults to 100000). Any other
# arguments go to bench/run.py (see --help). Needs the project's .venv (make installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -x .venv/bin/python ]]; then
    echo "bench: .venv is missing; run 'make test' or 'make run' once to create it" >&2
    exit 1
fi
exec .venv/bin/python bench/run.py --requests "${N:-100000}" "$@"
