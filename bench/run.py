"""`make bench`: Frontdesk against django-helpdesk and the bare-Django floor, in one run.

    .venv/bin/python bench/run.py --requests 100000      (what bench/run.sh runs, N=...)

From a fresh work folder (bench/work/n<N>/): seeds Frontdesk on SQLite, django-helpdesk (in its
own virtualenv) on SQLite, and Frontdesk again on a throwaway PostgreSQL; serves each with
gunicorn (2 sync workers, DEBUG off), and a bare Django "ok" view the same way (the floor);
counts each endpoint's SQL queries once through Django's test client; then, endpoint by
endpoint, drives the floor and each app's version of it with wrk after a warm-up; prints one
table and writes it as JSON and Markdown to bench/results/n<N>.{json,md}. With N other than
100,000 the table also shows how each p50 moved from the 100k results (run first when
missing). bench/README.md explains what is measured.
"""

# The bench starts the programs it measures (gunicorn, wrk, PostgreSQL, pip) from fixed paths
# with arguments it builds itself: no shell, no outside input.
# ruff: noqa: S603, S607

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from loading import (
    Endpoint,
    Server,
    Target,
    load,
    probe,
)
from machinery import (
    BENCH,
    CONN_MAX_AGE,
    GUNICORN,
    MAIN_BIN,
    RESULTS,
    ROOT,
    WARMUP,
    WORK,
    Phases,
    Postgres,
    base_interpreter,
    ensure_wrk,
    helpdesk_venv,
    log,
    run,
)
from report import (
    BASELINE_N,
    CONNECTIONS,
    DURATION,
    ENDPOINTS,
    WRK_TIMEOUT,
    baseline_for,
    markdown,
    text_table,
    verdicts,
)
from targets import frontdesk_target, helpdesk_target


def count_queries(target: Target, extra: list[Endpoint], folder: Path) -> dict[str, Any]:
    spec = [{"name": e.key, "method": e.method, "path": e.path, "cookies": e.cookies,
             "headers": e.headers, "form": e.form} for e in [*target.endpoints, *extra]]
    spec_path = folder / f"{target.name}-queries.json"
    spec_path.write_text(json.dumps(spec))
    counted: dict[str, Any] = probe(target, "queries", str(spec_path))
    for endpoint in [*target.endpoints, *extra]:
        status = counted[endpoint.key]["status"]
        if status != endpoint.status:
            raise SystemExit(f"bench: {target.name} {endpoint.key} answered {status} in the "
                             "test client")
    return counted


# One run at one N.

def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu": model, "platform": platform.platform(),
            "python": platform.python_version(), "python_executable": base_interpreter(),
            "load_average": os.getloadavg()}


# The bench's own files inside the app's tree: the data generator, which prints what run.py
# looks for. They come from the working tree even when the app is a copy of a commit.
BENCH_OWNED = [Path("frontdesk/core/management/commands/seed_bench.py"),
               Path("frontdesk/core/bench_requests.py"),
               Path("frontdesk/core/bench_texts.py"), Path("frontdesk/core/bulk_rows.py")]


def frontdesk_tree(commit: str | None) -> Path:
    """The Frontdesk code to measure: with `commit`, a copy of that commit in
    bench/work/tree-<commit>/ (others may commit while the bench runs; the 100k and 1M passes
    then run the same code), with its translations compiled as `make` does, and the bench's
    own files (BENCH_OWNED) as they are in the working tree; else the working tree itself."""
    if commit is None:
        return ROOT
    tree = WORK / f"tree-{commit[:12]}"
    if not (tree / ".bench-complete").exists():
        shutil.rmtree(tree, ignore_errors=True)
        tree.mkdir(parents=True)
        archive = subprocess.Popen(["git", "archive", commit], cwd=ROOT, stdout=subprocess.PIPE)
        subprocess.run(["tar", "-x", "-C", str(tree)], stdin=archive.stdout, check=True)
        if archive.wait() != 0:
            raise SystemExit(f"bench: git archive {commit} failed")
        locale = tree / "frontdesk" / "locale"
        if list(locale.glob("*/LC_MESSAGES/django.po")):
            run([str(MAIN_BIN / "pybabel"), "-q", "compile", "-d", str(locale), "-D", "django"])
        (tree / ".bench-complete").touch()
    for owned in BENCH_OWNED:
        # The bench's own code in the app's tree: always the working tree's (bench/run.py
        # is, too, and they go together). A commit older than one of them has none of it.
        copied = tree / owned
        if not copied.exists() or (ROOT / owned).read_bytes() != copied.read_bytes():
            shutil.copyfile(ROOT / owned, tree / owned)
    found = run([str(MAIN_BIN / "python"), "-c", "import frontdesk; print(frontdesk.__file__)"],
                cwd=tree, capture=True).strip()
    if not found.startswith(str(tree)):
        raise SystemExit(f"bench: the copy in {tree} is not what Python imports ({found})")
    return tree


def git_state(commit: str | None = None) -> dict[str, Any]:
    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                                check=False)
        return result.stdout.strip()

    if commit is not None:
        # Bench files of the working tree that differ from the commit's (see BENCH_OWNED).
        changed = [str(path) for path in BENCH_OWNED
                   if git("diff", "--name-only", commit, "--", str(path))]
        return {"commit": commit[:12], "dirty": False, "copy_of_commit": True,
                "bench_files_uncommitted": changed}
    return {"commit": git("rev-parse", "--short", "HEAD"),
            "dirty": bool(git("status", "--porcelain", "--", "frontdesk"))}


def bench(n: int, wrk_bin: str, only: set[str], keep: bool, commit: str | None
          ) -> dict[str, Any]:
    phases = Phases()
    tree = frontdesk_tree(commit)
    folder = WORK / f"n{n}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    secret_key = secrets.token_urlsafe(50)
    report: dict[str, Any] = {
        "n": n, "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "machine": machine(),
        "git": git_state(commit),
        "settings": {"wrk": f"-t1 -c{CONNECTIONS} -d{DURATION}s --timeout {WRK_TIMEOUT}",
                     "warmup_s": WARMUP, "gunicorn": " ".join(GUNICORN),
                     "conn_max_age": CONN_MAX_AGE},
        "targets": {}, "floors": {}, "queries": {}, "seed": {}, "phases": phases.seconds,
    }
    log(f"N={n:,}: work folder {folder}")

    floor_env = {**os.environ, "SECRET_KEY": secret_key}
    floor = Target("floor", Server("floor", MAIN_BIN / "gunicorn", "floor:application",
                                   env=floor_env, cwd=BENCH / "floor",
                                   log_path=folder / "floor-gunicorn.log"),
                   [Endpoint("floor", "/", "ok")], MAIN_BIN / "python", floor_env, BENCH / "floor")

    # 1. Every app seeded (and its queries counted) before anything is measured.
    prepared: list[Target] = []

    def prepare_frontdesk(name: str, postgres: Postgres | None) -> None:
        target, extra = frontdesk_target(name, n, folder, secret_key, phases, postgres, tree)
        target.git = report["git"]
        report["seed"][name] = extra["seed"]
        with phases(f"{name}: queries"):
            report["queries"][name] = count_queries(target, extra["query_spec"], folder)
        prepared.append(target)

    if "frontdesk-sqlite" in only:
        prepare_frontdesk("frontdesk-sqlite", None)
    if "helpdesk" in only:
        venv_bin, version, freeze = helpdesk_venv(phases)
        report["helpdesk"] = {"version": version, "freeze": freeze.splitlines()}
        target, extra = helpdesk_target(n, folder, secret_key, phases, venv_bin)
        report["seed"]["helpdesk"] = extra["seed"]
        with phases("helpdesk: queries"):
            report["queries"]["helpdesk"] = count_queries(target, [], folder)
        prepared.append(target)
    postgres = Postgres(folder / "pg") if "frontdesk-pg" in only else None
    try:
        if postgres is not None:
            with phases("frontdesk-pg: start PostgreSQL"):
                postgres.start()
            report["postgres"] = postgres.version()
            prepare_frontdesk("frontdesk-pg", postgres)
        ours = {os.getpid()}
        if postgres is not None:
            ours.add(int((postgres.folder / "data" / "postmaster.pid").read_text().split()[0]))

        # 2. Endpoint by endpoint: the floor, then each app, one after the other. The machine
        # this runs on changes speed by a quarter from one minute to the next; what is
        # compared (an app with the floor, with its peer) is measured in the same minutes.
        for target in prepared:
            report["targets"][target.name] = {"git": target.git}
        keys = [key for key in ENDPOINTS
                if any(e.key == key for target in prepared for e in target.endpoints)]
        if not prepared and "floor" in only:
            keys = ["floor"]  # --only floor: the floor alone
        for key in keys:
            with phases(f"load: {key}"):
                if "floor" in only:
                    report["floors"][key] = load(floor, floor.endpoints[0], wrk_bin, folder,
                                                 ours)
                for target in prepared:
                    for endpoint in target.endpoints:
                        if endpoint.key == key:
                            report["targets"][target.name][key] = load(
                                target, endpoint, wrk_bin, folder, ours)
    finally:
        if postgres is not None:
            postgres.stop()
    report["machine"]["load_average_at_end"] = os.getloadavg()
    report["seconds"] = round(sum(phases.seconds.values()), 1)
    if not keep:
        for leftover in ("pg", "frontdesk-sqlite", "frontdesk-pg", "helpdesk"):
            shutil.rmtree(folder / leftover, ignore_errors=True)
    return report


def save(report: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    n = report["n"]
    (RESULTS / f"n{n}.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / f"n{n}.md").write_text(markdown(report))
    print(text_table(report))
    print()
    print("\n".join(verdicts(report)))
    print(f"\nWritten: {RESULTS / f'n{n}.md'} and .json")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=int(os.environ.get("N", BASELINE_N)))
    parser.add_argument("--only", default="floor,frontdesk-sqlite,helpdesk,frontdesk-pg",
                        help="comma-separated subset of the targets to run")
    parser.add_argument("--keep", action="store_true",
                        help="keep the databases in bench/work/n<N>/ afterwards")
    parser.add_argument("--no-baseline", action="store_true",
                        help=f"with N other than {BASELINE_N:,}, do not run the "
                             f"{BASELINE_N:,} bench first when its results are missing")
    parser.add_argument("--working-tree", action="store_true",
                        help="measure the working tree as it is, instead of a copy of HEAD")
    args = parser.parse_args()
    only = set(args.only.split(","))
    wrk_bin = ensure_wrk()
    commit = None if args.working_tree else run(["git", "rev-parse", "HEAD"],
                                                capture=True).strip()
    if commit:
        log(f"Measuring Frontdesk at {commit[:12]} (a copy of HEAD; --working-tree to measure "
            "uncommitted changes)")
    baseline = baseline_for(args.requests)
    if (args.requests != BASELINE_N and not args.no_baseline
            and (baseline is None or commit is None
                 or baseline["git"]["commit"] != git_state(commit)["commit"])):
        log(f"No results for N={BASELINE_N:,} of this code yet: running that first, to compare "
            "p50s.")
        save(bench(BASELINE_N, wrk_bin, only, args.keep, commit))
    report = bench(args.requests, wrk_bin, only, args.keep, commit)
    baseline = baseline_for(args.requests)
    if baseline:
        report["baseline"] = {key: baseline[key] for key in ("n", "started", "targets",
                                                             "queries", "git")}
    save(report)


if __name__ == "__main__":
    main()
