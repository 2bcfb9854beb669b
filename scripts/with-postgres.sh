#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL server:
#
#   scripts/with-postgres.sh pytest
#
# Starts a server on a free loopback port in a temporary directory, creates a user with a
# password and a database, exports DATABASE_URL for the command, and always stops the server and
# removes the directory afterwards. Durability is switched off: the data is thrown away anyway.
#
# Without PostgreSQL installed: as root it is installed with apt-get; otherwise the command is
# skipped with a loud message, or fails when CI=true (in CI nothing may be skipped).
set -euo pipefail

find_pg_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [[ -n $dir && -x $dir/initdb && -x $dir/pg_ctl ]]; then
        echo "$dir"
    fi
}

pg_bin=$(find_pg_bin)
if [[ -z $pg_bin ]]; then
    if [[ $(id -u) == 0 ]]; then
        echo "with-postgres: PostgreSQL is not installed; installing it with apt-get" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -q postgresql >/dev/null \
            || { apt-get update -q >/dev/null && apt-get install -y -q postgresql >/dev/null; }
        pg_bin=$(find_pg_bin)
        [[ -n $pg_bin ]] || { echo "with-postgres: no initdb after installing" >&2; exit 1; }
    else
        echo "##################################################################" >&2
        echo "## PostgreSQL is not installed. Install it with:" >&2
        echo "##     sudo apt-get install -y postgresql" >&2
        if [[ ${CI:-} == true ]]; then
            echo "## CI=true: failing instead of skipping the PostgreSQL pass." >&2
            echo "##################################################################" >&2
            exit 1
        fi
        echo "## SKIPPED: $*" >&2
        echo "##################################################################" >&2
        exit 0
    fi
fi

# initdb refuses to run as root: then the server runs as the postgres user.
as_owner=()
if [[ $(id -u) == 0 ]]; then
    as_owner=(runuser -u postgres --)
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/frontdesk-pg.XXXXXX")
chmod 755 "$tmp"
data=$tmp/data
log=$tmp/server.log

cleanup() {
    if [[ -f $data/postmaster.pid ]]; then
        "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ $(id -u) == 0 ]]; then
    chown postgres: "$tmp"
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
user=frontdesk
db=frontdesk

"${as_owner[@]}" "$pg_bin/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 --no-sync --no-instructions >/dev/null
"${as_owner[@]}" "$pg_bin/pg_ctl" -D "$data" -l "$log" -w -s start -o "-p $port -k $tmp \
-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    || { cat "$log" >&2; exit 1; }

psql=("${as_owner[@]}" "$pg_bin/psql" -h "$tmp" -p "$port" -U postgres -X -q -v ON_ERROR_STOP=1)
"${psql[@]}" -d postgres -c "CREATE ROLE $user LOGIN CREATEDB PASSWORD '$password'"
"${as_owner[@]}" "$pg_bin/createdb" -h "$tmp" -p "$port" -U postgres -O "$user" "$db"

echo "with-postgres: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}')" \
    "on 127.0.0.1:$port (data in $data)" >&2
export DATABASE_URL="postgres://$user:$password@127.0.0.1:$port/$db"
status=0
"$@" || status=$?
exit "$status"
