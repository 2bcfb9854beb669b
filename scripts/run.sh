#!/usr/bin/env bash
# Runs each argument as a shell command, side by side (the web server and the background worker).
# Ctrl-C, a TERM, or either command exiting stops them all.
#
#   scripts/run.sh "python manage.py runserver" "python manage.py db_worker"
set -euo pipefail

# Job control puts each command in its own process group, so stopping it takes its children too
# (runserver's autoreloader and gunicorn's workers are child processes).
set -m

pids=()

stop_all() {
    trap - INT TERM EXIT
    for pid in "${pids[@]}"; do
        kill -TERM -- "-$pid" 2>/dev/null || true
    done
    wait || true
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap stop_all EXIT

for command in "$@"; do
    bash -c "$command" </dev/null &
    pids+=("$!")
done
set +m  # the groups are made; without job control bash prints no "Terminated" job notices

status=0
wait -n || status=$?
echo "run.sh: a process exited with status $status; stopping the others" >&2
exit "$status"
