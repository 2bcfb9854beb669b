"""The two apps the bench measures, each as a Target: how it is seeded and served, and the
endpoints driven on it (Frontdesk's and django-helpdesk's closest equivalents, paired by key)."""

# The bench starts the programs it measures (gunicorn, pip, manage.py) from fixed paths with
# arguments it builds itself: no shell, no outside input.

from __future__ import annotations

import base64
import json
import os
import urllib.parse
from html import escape
from pathlib import Path
from typing import Any

from loading import Endpoint, Server, Target, probe
from machinery import CONN_MAX_AGE, HELPDESK_PROJECT, MAIN_BIN, Phases, Postgres, run


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
                    probe_cwd=tree, count_label="support.Task")
    spec = {
        "staff": {"kind": "auth", "user_id": seed["staff_user_id"]},
        "ordinary": {"kind": "frontdesk-portal",
                     "portal_user_id": seed["ordinary"]["portal_user_id"]},
        "big": {"kind": "frontdesk-portal", "portal_user_id": seed["big"]["portal_user_id"]},
        "api": {"kind": "frontdesk-api-token", "user_id": seed["staff_user_id"]},
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
        # The views by status and overdue (SPEC T7): the closed requests, newest first (most
        # of the requests), and the open ones due before today, longest overdue first.
        Endpoint("staff_closed", f"/app/{org}/requests/?view=closed",
                 f"<td>{seed['inbox']['closed_newest_id']}</td>", staff),
        Endpoint("staff_overdue", f"/app/{org}/requests/?view=overdue",
                 f"<td>{seed['inbox']['overdue_first_id']}</td>", staff),
        # The view by topic (SPEC T7): a topic's open requests, newest first.
        Endpoint("staff_topic",
                 f"/app/{org}/requests/by-topic/?topic={seed['inbox']['topic_id']}",
                 f"<td>{seed['inbox']['topic_newest_open_id']}</td>", staff),
        # The staff search (SPEC T7): the rare word, in every request open or closed.
        Endpoint("staff_search", f"/app/{org}/requests/?q={seed['rare_word']}",
                 f"<td>{seed['newest_planted_id']}</td>", staff),
        # The customer register: first page by name, and two searches (SPEC C1).
        Endpoint("customer_list", f"/app/{org}/customers/",
                 f">{escape(customers['first_by_name'])}</a>", staff),
        Endpoint("customer_search", f"/app/{org}/customers/?" + urllib.parse.urlencode(
                     {"q": customers["name_search"]["term"]}),
                 f">{escape(customers['name_search']['first'])}</a>", staff),
        Endpoint("customer_search_email", f"/app/{org}/customers/?" + urllib.parse.urlencode(
                     {"q": customers["email_search"]["term"]}),
                 f">{escape(customers['email_search']['first'])}</a>", staff),
        # The staff member's notifications, newest first (each row a button to its request).
        Endpoint("staff_notifications", f"/app/{org}/requests/notifications/",
                 f'formaction="/app/{org}/requests/notifications/', staff),
        # Billing (SPEC B1–B3): the big customer's invoices and balance in the portal, the
        # organization's invoices and the big customer's account for staff.
        Endpoint("portal_invoices_big", f"/p/{org}/invoices/",
                 f"<td>{seed['billing']['big_newest_invoice_number']}</td>", portal_big),
        Endpoint("portal_balance_big", f"/p/{org}/balance/", 'class="list account"',
                 portal_big),
        # The portal's home page (SPEC P14) of the big customer: its newest requests, who
        # handles them, its invoices; the charts' figures are counted once a minute.
        Endpoint("portal_home_big", f"/p/{org}/",
                 f"/p/{org}/requests/{big['newest_request_id']}/\"", portal_big),
        # The REST API (SPEC X1): the open requests, newest first, as JSON, with a token.
        Endpoint("api_requests", "/api/v1/requests?open=true", '"items": [{',
                 headers={"Authorization": f"Bearer {sessions['api']}"}),
        # The live request pages' polls (SPEC X3), with nothing new: what every open request
        # page asks every few seconds (204, no body).
        *[Endpoint(f"{side}_live_poll", f"{base}/{long_task}/posts/new/?"
                   + urllib.parse.urlencode(seed["detail_30"]["live"][side]), "", cookies,
                   status=204)
          for side, base, cookies in (("staff", f"/app/{org}/requests", staff),
                                      ("portal", f"/p/{org}/requests", portal))],
        # Probable duplicates by name (SPEC C11): groups of customers sharing a key, a full
        # page of them (the seed enters one customer in 40 twice).
        Endpoint("customer_duplicates", f"/app/{org}/customers/duplicates/?by=name_key",
                 'rel="next"', staff),
        Endpoint("staff_invoices", f"/app/{org}/billing/invoices/",
                 f"/billing/invoices/{seed['billing']['newest_invoice_id']}/\"", staff),
        Endpoint("staff_account_big", f"/app/{org}/billing/accounts/{big['customer_id']}/",
                 'class="list account"', staff),
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
    # Its closed tickets (Resolved and Closed), newest first; and, having no overdue filter,
    # its open tickets sorted by due date: what it offers to see what is due first.
    closed = base64.b64encode(json.dumps({
        "filtering": {"status__in": [3, 4]}, "filtering_null": {}, "sorting": "created",
        "sortreverse": True, "search_string": ""}).encode()).decode()
    # Its list filtered on a queue (the last), as ticket_list builds the query from
    # ?queue=<id> with the default list's status filter: its equivalent of the view by topic.
    by_queue = base64.b64encode(json.dumps({
        "filtering": {"queue__id__in": [seed["queue_ids"][-1]], "status__in": [1, 2]},
        "filtering_null": {}, "sorting": "created", "sortreverse": None,
        "search_string": ""}).encode()).decode()
    by_due = base64.b64encode(json.dumps({
        "filtering": {"status__in": [1, 2]}, "filtering_null": {}, "sorting": "due_date",
        "sortreverse": False, "search_string": ""}).encode()).decode()
    # Its search: the list's query with the search box's words, over every ticket, open or
    # closed (ticket_list without a status filter), as the staff search is.
    search_query = {"filtering": {}, "filtering_null": {}, "sorting": "created",
                    "sortreverse": None, "search_string": seed["rare_word"]}
    search = base64.b64encode(json.dumps(search_query).encode()).decode()
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
        Endpoint("staff_closed", f"/datatables_ticket_list/{closed}?draw=1&start=0&length=25",
                 '"data": [{', staff),
        Endpoint("staff_overdue",
                 f"/datatables_ticket_list/{by_due}?draw=1&start=0&length=25",
                 '"data": [{', staff),
        Endpoint("staff_topic",
                 f"/datatables_ticket_list/{by_queue}?draw=1&start=0&length=25",
                 '"data": [{', staff),
        Endpoint("staff_search",
                 f"/datatables_ticket_list/{search}?draw=1&start=0&length=25",
                 '"data": [{', staff),
        Endpoint("form_post", "/tickets/submit/", "/view/?ticket=", {"csrftoken": csrf["cookie"]},
                 form={"csrfmiddlewaretoken": csrf["token"], "queue": str(seed["queue_ids"][0]),
                       "title": "Printer on floor __N__ is offline",
                       "body": "Since this morning nothing prints. Request __N__.",
                       "priority": "3", "submitter_email": "load-__N__@bench.example",
                       "due_date": ""},
                 status=302),
    ]
    return target, {"seed": seed, "query_spec": []}
