"""The bench's table and the issue's targets, from the results of bench/run.py."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
BASELINE_N = 100_000
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
DURATION = int(os.environ.get("BENCH_DURATION", "15"))  # seconds
WRK_TIMEOUT = "60s"

ENDPOINTS = {
    "form_get": "Public form GET",
    "portal_list": "Portal list, ordinary customer",
    "portal_list_big": "Portal list, big customer (5,000)",
    "portal_list_big_deep": "Portal list, big customer, deep page",
    "portal_detail": "Portal request detail (30 posts)",
    "staff_list": "Staff list, open, first page",
    "staff_detail": "Staff request detail (30 posts)",
    "staff_mine": "Staff list, assigned to me, first page",
    "staff_closed": "Staff list, closed, first page",
    "staff_overdue": "Staff list, overdue, first page",
    "staff_topic": "Staff list, by topic, first page",
    "staff_search": "Staff search, a rare word (0.5% of requests)",
    "customer_list": "Customer list, first page (by name)",
    "customer_search": "Customer search, part of a company name",
    "customer_search_email": "Customer search, a contact's e-mail",
    "staff_notifications": "Staff notifications, first page",
    "portal_invoices_big": "Portal invoices, big customer",
    "portal_balance_big": "Portal balance, big customer",
    "portal_home_big": "Portal home, big customer",
    "api_requests": "API: open requests, first page (JSON)",
    "customer_duplicates": "Probable duplicate customers, by name",
    "staff_invoices": "Staff invoices, first page",
    "staff_account_big": "Staff account of the big customer",
    "staff_live_poll": "Staff request page's live poll, nothing new (204)",
    "portal_live_poll": "Portal request page's live poll, nothing new (204)",
    # Last: the requests it creates would otherwise top the staff list of later runs.
    "form_post": "Public form POST (requests created)",
}
LIST_AND_DETAIL = ["portal_list", "portal_list_big", "portal_list_big_deep", "portal_detail",
                   "staff_list", "staff_detail", "staff_mine", "staff_closed", "staff_overdue",
                   "staff_topic", "staff_search",
                   "customer_list", "customer_search", "customer_search_email",
                   "staff_notifications", "portal_invoices_big", "portal_balance_big",
                   "portal_home_big", "api_requests", "customer_duplicates", "staff_invoices",
                   "staff_account_big"]
FIFTY_TIMES = ["staff_list", "staff_search", "portal_list_big", "portal_list_big_deep"]
# django-helpdesk has no customer register, no in-app notifications, no billing, no portal home
# page, no live request pages, and its REST API is off unless configured: no peer, no ratio
# (the other targets hold).
NO_PEER = ["customer_list", "customer_search", "customer_search_email", "staff_notifications",
           "portal_invoices_big", "portal_balance_big", "portal_home_big", "api_requests",
           "customer_duplicates", "staff_invoices", "staff_account_big", "staff_live_poll",
           "portal_live_poll"]
# Pages whose query count must not depend on the data: (one, the other) of the same page.
SAME_QUERIES = [
    ("portal_list", "portal_list_big"), ("portal_list", "portal_list_big_deep"),
    ("portal_detail_3", "portal_detail"), ("staff_detail_3", "staff_detail"),
    # The inbox views are the same page over another filter.
    ("staff_list", "staff_mine"), ("staff_list", "staff_closed"), ("staff_list", "staff_overdue"),
    # Whatever is searched, when the matches fit on one page (a longer list adds its COUNT).
    ("customer_search", "customer_search_email"),
]

# A measurement during which other processes used more than this share of the machine's CPU
# is marked in the table.
BUSY_SHARE = 0.1



def stat(report: dict[str, Any], target: str, key: str) -> dict[str, Any] | None:
    found: dict[str, Any] | None = report["targets"].get(target, {}).get(key)
    return found


def floor_of(report: dict[str, Any], key: str) -> dict[str, Any] | None:
    """The floor measured just before the endpoint `key` (results of runs that measured it at
    the start and the end only: the higher of those two)."""
    found: dict[str, Any] | None = report.get("floors", {}).get(key)
    return found if found is not None else stat(report, "floor", "floor")


def rps_text(stats: dict[str, Any] | None) -> str:
    if stats is None:
        return "–"
    rps = stats["rps"]
    text = f"{rps:,.0f}" if rps >= 10 else f"{rps:,.2f}"
    busy = stats.get("other_cpu_s", 0) > BUSY_SHARE * DURATION * (os.cpu_count() or 1)
    return (f"{text} ({ms(stats['p50_us'])} / {ms(stats['p99_us'])})"
            + (f" ⚠{stats['unexpected']}" if stats["unexpected"] else "")
            + (f" ⚡{stats['other_cpu_s']:.0f}s" if busy else ""))


def ms(microseconds: float) -> str:
    value = microseconds / 1000
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def ratio(ours: dict[str, Any] | None, theirs: dict[str, Any] | None) -> tuple[float | None, str]:
    if ours is None or theirs is None:
        return None, "–"
    if theirs["requests"] == 0:
        # Not one request finished: their throughput is below one per run.
        bound = ours["rps"] / (1 / (theirs["duration_us"] / 1e6))
        return bound, f"> {bound:,.0f}×"
    value = ours["rps"] / theirs["rps"] if theirs["rps"] else float("inf")
    return value, f"{value:,.1f}×"


def query_count(report: dict[str, Any], target: str, key: str) -> str:
    counted = report["queries"].get(target, {}).get(key)
    return str(counted["queries"]) if counted else "–"


def baseline_for(n: int) -> dict[str, Any] | None:
    if n == BASELINE_N:
        return None
    path = RESULTS / f"n{BASELINE_N}.json"
    if not path.exists():
        return None
    baseline: dict[str, Any] = json.loads(path.read_text())
    return baseline


def table(report: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    baseline = report.get("baseline")
    header = ["Endpoint", "Frontdesk SQLite req/s (p50 / p99 ms)",
              "django-helpdesk req/s (p50 / p99 ms)", "ratio",
              "Frontdesk PostgreSQL req/s (p50 / p99 ms)", "floor req/s",
              "% of floor (SQLite / PG)", "queries (Frontdesk / helpdesk)"]
    if baseline:
        header.append(f"p50 moved from N={baseline['n']:,} (SQLite / PG)")
    rows = []
    for key, label in ENDPOINTS.items():
        ours = stat(report, "frontdesk-sqlite", key)
        theirs = stat(report, "helpdesk", key)
        pg = stat(report, "frontdesk-pg", key)
        floor = floor_of(report, key)
        percents = [f"{s['rps'] / floor['rps'] * 100:.0f}%" if s and floor else "–"
                    for s in (ours, pg)]
        no_peer = key in NO_PEER
        row = [label, rps_text(ours), "—" if no_peer else rps_text(theirs),
               "—" if no_peer else ratio(ours, theirs)[1], rps_text(pg),
               f"{floor['rps']:,.0f}" if floor else "–", " / ".join(percents),
               f"{query_count(report, 'frontdesk-sqlite', key)} / "
               f"{'—' if no_peer else query_count(report, 'helpdesk', key)}"]
        if key == "form_post":
            created = [f"{s['created_per_s']:,.0f}" if s and "created_per_s" in s else "–"
                       for s in (ours, theirs, pg)]
            row[0] += f" — created/s: {created[0]} / {created[1]} / PG {created[2]}"
        if baseline:
            moves = []
            for target in ("frontdesk-sqlite", "frontdesk-pg"):
                now, then = stat(report, target, key), stat(baseline, target, key)
                moves.append(f"{ms(then['p50_us'])}→{ms(now['p50_us'])} ms "
                             f"({now['p50_us'] / then['p50_us']:.2f}×)"
                             if now and then and then["p50_us"] else "–")
            row.append(" / ".join(moves))
        rows.append(row)
    return header, rows


def verdicts(report: dict[str, Any]) -> list[str]:
    """The issue's targets, each met or missed with its figure."""
    lines = []
    for key, label in ENDPOINTS.items():
        if key in NO_PEER:
            continue
        value, text = ratio(stat(report, "frontdesk-sqlite", key), stat(report, "helpdesk", key))
        if value is None:
            continue
        wanted = 50 if key in FIFTY_TIMES else 3
        lines.append(f"- {'met' if value >= wanted else 'MISSED'}: {label} ≥ {wanted}× "
                     f"django-helpdesk: {text}")
    for target in ("frontdesk-sqlite", "frontdesk-pg"):
        for key in LIST_AND_DETAIL:
            ours, floor = stat(report, target, key), floor_of(report, key)
            if ours and floor:
                share = ours["rps"] / floor["rps"] * 100
                lines.append(f"- {'met' if share >= 20 else 'MISSED'}: {ENDPOINTS[key]} "
                             f"({target}) ≥ 20% of the floor: {share:.0f}%")
        for key, label in ENDPOINTS.items():
            ours = stat(report, target, key)
            if ours and report["n"] <= BASELINE_N:
                p99 = ours["p99_us"] / 1000
                lines.append(f"- {'met' if p99 < 100 else 'MISSED'}: {label} ({target}) p99 "
                             f"< 100 ms at {CONNECTIONS} connections: {p99:,.1f} ms")
            if ours and ours["unexpected"]:
                lines.append(f"- MISSED: {label} ({target}): {ours['unexpected']} unexpected "
                             "statuses or timeouts")
    for target in ("frontdesk-sqlite", "frontdesk-pg"):
        counted = report["queries"].get(target)
        if not counted:
            continue
        for small, large in SAME_QUERIES:
            if small not in counted or large not in counted:
                continue
            a, b = counted[small]["queries"], counted[large]["queries"]
            lines.append(f"- {'met' if a == b else 'MISSED'}: constant queries ({target}) "
                         f"{small} {a} = {large} {b}")
        baseline = report.get("baseline")
        if baseline and baseline["queries"].get(target):
            for key in ENDPOINTS:
                then = baseline["queries"][target].get(key, {}).get("queries")
                now = counted.get(key, {}).get("queries")
                if then is not None and now is not None:
                    lines.append(f"- {'met' if then == now else 'MISSED'}: constant queries "
                                 f"({target}) {key} at N={baseline['n']:,} {then} = "
                                 f"N={report['n']:,} {now}")
        if baseline:
            for key, label in ENDPOINTS.items():
                now, then = stat(report, target, key), stat(baseline, target, key)
                if now and then and then["p50_us"]:
                    moved = now["p50_us"] / then["p50_us"]
                    lines.append(f"- {'met' if moved <= 1.5 else 'MISSED'}: {label} ({target}) "
                                 f"p50 at N={report['n']:,} within 1.5× of N={baseline['n']:,}"
                                 f": {moved:.2f}×")
    return lines


def floor_note(report: dict[str, Any]) -> str:
    floors = [run["rps"] for run in report.get("floors", {}).values()]
    if floors:
        return (f"Floor: measured just before each endpoint ({min(floors):,.0f}–"
                f"{max(floors):,.0f} req/s in this run); each endpoint's % is of its own.")
    return "Floor: " + " and ".join(f"{run['rps']:,.0f} req/s" for run in report.get(
        "floor_runs", [])) + " (at the start and the end; the higher is used)."


def commits(report: dict[str, Any]) -> str:
    """The commit each Frontdesk pass ran (others may commit while the bench runs)."""
    states = {name: report["targets"][name].get("git", report["git"])
              for name in ("frontdesk-sqlite", "frontdesk-pg") if name in report["targets"]}
    return ", ".join(f"{state['commit']}{' + uncommitted changes' if state['dirty'] else ''}"
                     + "".join(f" + {Path(path).name} from the working tree"
                               for path in state.get("bench_files_uncommitted", []))
                     + f" ({name})" for name, state in states.items()) or "–"


def markdown(report: dict[str, Any]) -> str:
    header, rows = table(report)
    lines = [f"# Bench at N={report['n']:,} requests ({report['started']})", ""]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    machine_info = report["machine"]
    lines += [
        "",
        f"wrk {report['settings']['wrk']} after a {report['settings']['warmup_s']}s warm-up, "
        f"each endpoint on freshly started gunicorn workers ({report['settings']['gunicorn']})"
        f", CONN_MAX_AGE={report['settings']['conn_max_age']}. p50/p99 include the time a "
        f"request waits for one of the 2 workers. ⚠n: n responses that were not 2xx/3xx, or "
        f"timed out. ⚡n s: other processes on the machine used n CPU-seconds during that "
        f"measurement (over {BUSY_SHARE:.0%} of the machine): that figure is low. "
        f"Frontdesk {commits(report)}; "
        f"django-helpdesk {report.get('helpdesk', {}).get('version', '–')}; "
        f"{report.get('postgres', 'PostgreSQL not run')}.",
        *([f"⚠ The N={report['baseline']['n']:,} results compared with are of Frontdesk "
           f"{report['baseline']['git']['commit']}, this run is of {report['git']['commit']}."]
          if report.get("baseline")
          and report["baseline"]["git"]["commit"] != report["git"]["commit"] else []),
        floor_note(report),
        f"Machine: {machine_info['cpus']} CPUs ({machine_info['cpu']}), Python "
        f"{machine_info['python']} ({machine_info.get('python_executable', '?')}), load average "
        f"{machine_info['load_average'][0]:.2f} at the start, "
        f"{machine_info['load_average_at_end'][0]:.2f} at the end; wrk runs on the same "
        "machine as the servers.",
        "", "## Targets", "", *verdicts(report), "", "## Phases", "",
        "| phase | seconds |", "|---|---|",
        *[f"| {name} | {seconds} |" for name, seconds in report["phases"].items()],
        f"| total | {report['seconds']} |",
    ]
    return "\n".join(lines) + "\n"


def text_table(report: dict[str, Any]) -> str:
    header, rows = table(report)
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    out = ["  ".join(cell.ljust(width) for cell, width in zip(header, widths, strict=True))]
    out.append("  ".join("-" * width for width in widths))
    out += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            for row in rows]
    return "\n".join(out)


