"""`make bench`: Frontdesk against django-helpdesk and the bare-Django floor, in one run.

    .venv/bin/python bench/run.py --requests 100000      (what bench/run.sh runs, N=...)

From a fresh work folder (bench/work/n<N>/): seeds Frontdesk on SQLite, django-helpdesk (in its
own virtualenv) on SQLite, and Frontdesk again on a throwaway PostgreSQL; serves each with
gunicorn (2 sync workers, DEBUG off), and a bare Django "ok" view the same way (the floor);
drives every endpoint with wrk after a warm-up; counts each endpoint's SQL queries once through
Django's test client; prints one table and writes it as JSON and Markdown to
bench/results/n<N>.{json,md}. With N other than 100,000 the table also shows how each p50 moved
from the 100k results (run first when missing). bench/README.md explains what is measured.
"""

# The bench starts the programs it measures (gunicorn, wrk, PostgreSQL, pip) from fixed paths
# with arguments it builds itself: no shell, no outside input.
# ruff: noqa: S603, S607

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import secrets
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from html import escape
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
    HELPDESK_PROJECT,
    MAIN_BIN,
    RESULTS,
    ROOT,
    WARMUP,
    WORK,
    Phases,
    Postgres,
    ensure_wrk,
    helpdesk_venv,
    log,
    run,
)
from report import (
    BASELINE_N,
    CONNECTIONS,
    DURATION,
    WRK_TIMEOUT,
    baseline_for,
    markdown,
    text_table,
    verdicts,
)

# The apps.

def frontdesk_target(name: str, n: int, folder: Path, secret_key: str, phases: Phases,
                     postgres: Postgres | None, tree: Path) -> tuple[Target, dict[str, Any]]:
    var = folder / name
    var.mkdir(parents=True)
    env = {
        **os.environ, "DEBUG": "false", "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "FRONTDESK_VAR_DIR": str(var),
        "STATIC_ROOT": str(folder / "static-frontdesk"), "CONN_MAX_AGE": CONN_MAX_AGE,
        # The form's flood protection would answer 429 after 20 requests an hour.
        "FRONTDESK_FORM_LIMIT_PER_IP": "1000000000",
        "FRONTDESK_FORM_LIMIT_PER_EMAIL": "1000000000",
        "LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "frontdesk.settings",
    }
    env.pop("DATABASE_URL", None)
    if postgres is not None:
        env["DATABASE_URL"] = postgres.url
    manage = [str(MAIN_BIN / "python"), "manage.py"]
    with phases(f"{name}: migrate"):
        run([*manage, "migrate", "--noinput", "-v", "0"], env=env, cwd=tree)
    with phases(f"{name}: seed_bench --requests {n}"):
        seed = json.loads(run([*manage, "seed_bench", "--requests", str(n)], env=env,
                              cwd=tree, capture=True))
    if not (folder / "static-frontdesk").exists():
        with phases(f"{name}: collectstatic"):
            run([*manage, "collectstatic", "--noinput", "-v", "0"], env=env, cwd=tree)
    target = Target(name=name, server=Server(name, MAIN_BIN / "gunicorn",
                                             "frontdesk.wsgi:application", env=env, cwd=tree,
                                             log_path=folder / f"{name}-gunicorn.log"),
                    endpoints=[], probe_python=MAIN_BIN / "python", probe_env=env,
                    probe_cwd=tree, count_label="support.Task",
                    postgres_data=postgres.folder / "data" if postgres else None)
    spec = {
        "staff": {"kind": "auth", "user_id": seed["staff_user_id"]},
        "ordinary": {"kind": "frontdesk-portal",
                     "portal_user_id": seed["ordinary"]["portal_user_id"]},
        "big": {"kind": "frontdesk-portal", "portal_user_id": seed["big"]["portal_user_id"]},
    }
    spec_path = folder / f"{name}-sessions.json"
    spec_path.write_text(json.dumps(spec))
    sessions = probe(target, "sessions", str(spec_path))
    org = seed["organization"]["slug"]
    csrf = sessions["csrf"]
    big, ordinary, long_task = seed["big"], seed["ordinary"], seed["detail_30"]["task_id"]
    customers = seed["customers"]
    staff, portal, portal_big = ({"sessionid": sessions[key]}
                                 for key in ("staff", "ordinary", "big"))
    target.endpoints = [
        Endpoint("form_get", f"/p/{org}/support/", 'name="email"'),
        Endpoint("portal_list", f"/p/{org}/requests/", f"#{ordinary['newest_request_id']}<",
                 portal),
        Endpoint("portal_list_big", f"/p/{org}/requests/", f"#{big['newest_request_id']}<",
                 portal_big),
        Endpoint("portal_list_big_deep", f"/p/{org}/requests/?before={big['deep_before']}",
                 f"#{big['deep_first_id']}<", portal_big),
        Endpoint("portal_detail", f"/p/{org}/requests/{long_task}/",
                 seed["detail_30"]["title"], portal),
        Endpoint("staff_list", f"/app/{org}/requests/?view=open", 'class="pill pill-',
                 staff),
        Endpoint("staff_detail", f"/app/{org}/requests/{long_task}/",
                 seed["detail_30"]["title"], staff),
        # The staff member's inbox: open requests assigned to them, newest first.
        Endpoint("staff_mine", f"/app/{org}/requests/?view=mine",
                 f"<td>{seed['staff_mine']['newest_id']}</td>", staff),
        # The customer register: first page by name, and two searches (SPEC C1).
        Endpoint("customer_list", f"/app/{org}/customers/",
                 f">{escape(customers['first_by_name'])}</a>", staff),
        Endpoint("customer_search", f"/app/{org}/customers/?" + urllib.parse.urlencode(
                     {"q": customers["name_search"]["term"]}),
                 f">{escape(customers['name_search']['first'])}</a>", staff),
        Endpoint("customer_search_email", f"/app/{org}/customers/?" + urllib.parse.urlencode(
                     {"q": customers["email_search"]["term"]}),
                 f">{escape(customers['email_search']['first'])}</a>", staff),
        Endpoint("form_post", f"/p/{org}/support/", f"/p/{org}/support/thanks/",
                 {"csrftoken": csrf["cookie"]},
                 form={"csrfmiddlewaretoken": csrf["token"],
                       "topic": str(seed["topic_ids"][0]), "first_name": "Load",
                       "last_name": "Test", "email": "load-__N__@bench.example",
                       "title": "Printer on floor __N__ is offline",
                       "description": "Since this morning nothing prints. Request __N__.",
                       "website": ""},
                 status=302),
    ]
    # Query counts: the endpoints, plus a 3-post request (constant whatever the posts).
    extra = [
        Endpoint("portal_detail_3", f"/p/{org}/requests/{seed['detail_3']['task_id']}/", "",
                 portal),
        Endpoint("staff_detail_3", f"/app/{org}/requests/{seed['detail_3']['task_id']}/", "",
                 staff),
    ]
    return target, {"seed": seed, "query_spec": extra}


def helpdesk_target(n: int, folder: Path, secret_key: str, phases: Phases, venv_bin: Path
                    ) -> tuple[Target, dict[str, Any]]:
    name = "helpdesk"
    work = folder / name
    work.mkdir(parents=True)
    env = {**os.environ, "SECRET_KEY": secret_key, "HELPDESK_WORK_DIR": str(work),
           "CONN_MAX_AGE": CONN_MAX_AGE, "DJANGO_SETTINGS_MODULE": "hdbench.settings",
           "PYTHONPATH": str(HELPDESK_PROJECT)}
    env.pop("DATABASE_URL", None)
    django_admin = [str(venv_bin / "python"), "-m", "django"]
    with phases("helpdesk: migrate"):
        run([*django_admin, "migrate", "--noinput", "-v", "0"], env=env, cwd=HELPDESK_PROJECT)
    with phases(f"helpdesk: seed_helpdesk --requests {n}"):
        seed = json.loads(run([*django_admin, "seed_helpdesk", "--requests", str(n)], env=env,
                              cwd=HELPDESK_PROJECT, capture=True))
    with phases("helpdesk: collectstatic"):
        run([*django_admin, "collectstatic", "--noinput", "-v", "0"], env=env,
            cwd=HELPDESK_PROJECT)
    target = Target(name=name, server=Server(name, venv_bin / "gunicorn",
                                             "hdbench.wsgi:application", env=env,
                                             cwd=HELPDESK_PROJECT,
                                             log_path=folder / "helpdesk-gunicorn.log"),
                    endpoints=[], probe_python=venv_bin / "python", probe_env=env,
                    probe_cwd=HELPDESK_PROJECT, count_label="helpdesk.Ticket")
    spec = {key: {"kind": "auth", "user_id": user_id} for key, user_id in (
        ("staff", seed["staff_user_id"]), ("ordinary", seed["ordinary"]["user_id"]),
        ("big", seed["big"]["user_id"]))}
    spec_path = folder / "helpdesk-sessions.json"
    spec_path.write_text(json.dumps(spec))
    sessions = probe(target, "sessions", str(spec_path))
    csrf = sessions["csrf"]
    big, ordinary, long_ticket = seed["big"], seed["ordinary"], seed["detail_30"]
    staff, portal, portal_big = ({"sessionid": sessions[key]}
                                 for key in ("staff", "ordinary", "big"))
    # The query its ticket list page hands to the DataTables JSON endpoint by default
    # (views/staff.py ticket_list: open and reopened, sorted by creation).
    default_query = {"filtering": {"status__in": [1, 2]}, "sorting": "created",
                     "search_string": "", "sortreverse": False}
    query = base64.b64encode(json.dumps(default_query).encode()).decode()
    # Its list filtered on the owner, as ticket_list builds the query from ?assigned_to=<id>
    # with the status filter of the default list (open and reopened): its equivalent of
    # "Assigned to me" (the "My tickets" feed links to ?assigned_to=<id>).
    mine_query = {"filtering": {"assigned_to__id__in": [seed["staff_user_id"]],
                                "status__in": [1, 2]},
                  "filtering_null": {}, "sorting": "created", "sortreverse": None,
                  "search_string": ""}
    mine = base64.b64encode(json.dumps(mine_query).encode()).decode()
    public_view = urllib.parse.urlencode({"ticket": long_ticket["ticket_for_url"],
                                          "email": ordinary["email"]})
    target.endpoints = [
        Endpoint("form_get", "/tickets/submit/", 'name="submitter_email"'),
        Endpoint("portal_list", "/api/user_tickets/", f'"id":{ordinary["newest_request_id"]},',
                 portal),
        Endpoint("portal_list_big", "/api/user_tickets/", f'"id":{big["newest_request_id"]},',
                 portal_big),
        Endpoint("portal_list_big_deep", f"/api/user_tickets/?page={big['deep_page']}",
                 f'"id":{big["deep_first_id"]},', portal_big),
        Endpoint("portal_detail", f"/view/?{public_view}", long_ticket["title"], portal),
        Endpoint("staff_list",
                 f"/datatables_ticket_list/{query}?draw=1&start=0&length=25",
                 '"data": [{', staff),
        Endpoint("staff_detail", f"/tickets/{long_ticket['task_id']}/", long_ticket["title"],
                 staff),
        Endpoint("staff_mine", f"/datatables_ticket_list/{mine}?draw=1&start=0&length=25",
                 f'"id": {seed["staff_mine"]["oldest_id"]},', staff),
        Endpoint("form_post", "/tickets/submit/", "/view/?ticket=", {"csrftoken": csrf["cookie"]},
                 form={"csrfmiddlewaretoken": csrf["token"], "queue": str(seed["queue_ids"][0]),
                       "title": "Printer on floor __N__ is offline",
                       "body": "Since this morning nothing prints. Request __N__.",
                       "priority": "3", "submitter_email": "load-__N__@bench.example",
                       "due_date": ""},
                 status=302),
    ]
    return target, {"seed": seed, "query_spec": []}


def count_queries(target: Target, extra: list[Endpoint], folder: Path) -> dict[str, Any]:
    spec = [{"name": e.key, "method": e.method, "path": e.path, "cookies": e.cookies,
             "form": e.form} for e in [*target.endpoints, *extra]]
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
            "python": platform.python_version(), "load_average": os.getloadavg()}


# The bench's own files inside the app's tree: the data generator, which prints what run.py
# looks for. They come from the working tree even when the app is a copy of a commit.
BENCH_OWNED = [Path("frontdesk/core/management/commands/seed_bench.py"),
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
        # is, too, and they go together).
        if (ROOT / owned).read_bytes() != (tree / owned).read_bytes():
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
        "targets": {}, "queries": {}, "seed": {}, "phases": phases.seconds,
    }
    log(f"N={n:,}: work folder {folder}")

    floor_env = {**os.environ, "SECRET_KEY": secret_key}
    floor = Target("floor", Server("floor", MAIN_BIN / "gunicorn", "floor:application",
                                   env=floor_env, cwd=BENCH / "floor",
                                   log_path=folder / "floor-gunicorn.log"),
                   [Endpoint("floor", "/", "ok")], MAIN_BIN / "python", floor_env, BENCH / "floor")
    if "floor" in only:
        with phases("floor: load"):
            report["targets"]["floor"] = load(floor, wrk_bin, folder)

    def measure_frontdesk(name: str, postgres: Postgres | None) -> None:
        """One pass of Frontdesk: seed, count each endpoint's queries, load."""
        target, extra = frontdesk_target(name, n, folder, secret_key, phases, postgres, tree)
        target.git = report["git"]
        report["seed"][name] = extra["seed"]
        with phases(f"{name}: queries"):
            report["queries"][name] = count_queries(target, extra["query_spec"], folder)
        with phases(f"{name}: load"):
            report["targets"][name] = load(target, wrk_bin, folder)

    if "frontdesk-sqlite" in only:
        measure_frontdesk("frontdesk-sqlite", None)

    if "helpdesk" in only:
        venv_bin, version, freeze = helpdesk_venv(phases)
        report["helpdesk"] = {"version": version, "freeze": freeze.splitlines()}
        target, extra = helpdesk_target(n, folder, secret_key, phases, venv_bin)
        report["seed"]["helpdesk"] = extra["seed"]
        with phases("helpdesk: queries"):
            report["queries"]["helpdesk"] = count_queries(target, [], folder)
        with phases("helpdesk: load"):
            report["targets"]["helpdesk"] = load(target, wrk_bin, folder)

    if "frontdesk-pg" in only:
        postgres = Postgres(folder / "pg")
        with phases("frontdesk-pg: start PostgreSQL"):
            postgres.start()
        report["postgres"] = postgres.version()
        try:
            measure_frontdesk("frontdesk-pg", postgres)
        finally:
            postgres.stop()

    if "floor" in only:
        # Measured again at the end; the table uses the higher of the two (the machine at its
        # best), so a disturbed floor does not flatter the percentages.
        with phases("floor: load again"):
            again = load(floor, wrk_bin, folder)["floor"]
        first = report["targets"]["floor"]["floor"]
        report["floor_runs"] = [first, again]
        report["targets"]["floor"]["floor"] = max(first, again, key=lambda run: run["rps"])
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
