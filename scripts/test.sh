#!/usr/bin/env bash
# What `make test` runs once .venv is installed: ruff, mypy, then the test suite on SQLite and
# again on a throwaway PostgreSQL. Every step runs even when an earlier one failed, so one run
# shows every problem; the exit status is non-zero if any step failed.
#
# With CI=true nothing may be skipped: a missing chromium or PostgreSQL fails the run, and so does
# a skipped test.
set -uo pipefail
cd "$(dirname "$0")/.."

bin=.venv/bin
ci=${CI:-false}
failed=()
skipped=()

heading() {
    echo
    echo "== $1 =="
}

run_step() {
    local name=$1 start=$SECONDS
    shift
    heading "$name"
    if "$@"; then
        echo "-- $name: passed in $((SECONDS - start)) s"
    else
        echo "-- $name: FAILED in $((SECONDS - start)) s"
        failed+=("$name")
    fi
}

loud() {
    echo "##################################################################" >&2
    printf '## %s\n' "$@" >&2
    echo "##################################################################" >&2
}

# Browser tests drive Debian's chromium (not a browser downloaded by Playwright).
pytest_args=(-n 2)
if [[ ! -x /usr/bin/chromium ]]; then
    if [[ $(id -u) == 0 ]]; then
        echo "Installing chromium with apt-get for the browser tests (once, ~30 s)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -q chromium >/dev/null \
            || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }
    fi
    if [[ ! -x /usr/bin/chromium ]]; then
        if [[ $ci == true ]]; then
            loud "chromium is missing at /usr/bin/chromium and CI=true: failing." \
                 "Install it with: sudo apt-get install -y chromium"
            exit 1
        fi
        loud "chromium is missing: SKIPPING the browser tests." \
             "Install it with: sudo apt-get install -y chromium"
        pytest_args+=(-m "not browser")
        skipped+=("browser tests")
    fi
fi
if [[ $ci != true && $(id -u) != 0 ]] && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    skipped+=("pytest on PostgreSQL")  # with-postgres.sh explains (or fails when CI=true)
fi
if [[ $ci == true ]]; then
    export PYTHONPATH=scripts${PYTHONPATH:+:$PYTHONPATH}
    pytest_args+=(-p pytest_ci_no_skips)
fi

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls there
# unless told that this is fine.
export DJANGO_ALLOW_ASYNC_UNSAFE=true

run_step "ruff" "$bin/ruff" check .
run_step "mypy" "$bin/mypy" .
run_step "pytest on SQLite" env -u DATABASE_URL "$bin/pytest" "${pytest_args[@]}"
run_step "pytest on PostgreSQL" scripts/with-postgres.sh "$bin/pytest" "${pytest_args[@]}"

joined() { local IFS=,; echo "$*" | sed 's/,/, /g'; }
echo
if ((${#skipped[@]})); then
    echo "== SKIPPED: $(joined "${skipped[@]}") =="
fi
if ((${#failed[@]})); then
    echo "== FAILED: $(joined "${failed[@]}") =="
    exit 1
fi
echo "== All passed =="
