"""In-process helpers for the bench, run inside an app's own virtualenv and settings.

    DJANGO_SETTINGS_MODULE=... python bench/probe.py sessions SPEC.json
    DJANGO_SETTINGS_MODULE=... python bench/probe.py queries SPEC.json
    DJANGO_SETTINGS_MODULE=... python bench/probe.py count app_label.Model

`sessions` writes sessions straight through Django's session store (no log-in round trip,
no password hashing) and prints {name: session key}, plus a CSRF cookie secret and a masked
form token that matches it. `queries` requests each endpoint twice through Django's test
client and prints the SQL queries of the second request (the first fills per-process caches).
`count` prints the number of rows of a model (the form POST's "requests created").

Only Django's public API and the app's own functions are used, so this runs against Frontdesk
and django-helpdesk alike.
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from collections import deque
from importlib import import_module
from typing import Any


def _setup() -> None:
    import django

    sys.path.insert(0, os.getcwd())
    django.setup()


def _auth_session(user_id: int) -> str:
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )

    user = get_user_model()._default_manager.get(pk=user_id)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return str(store.session_key)


def _frontdesk_portal_session(portal_user_id: int) -> str:
    from django.conf import settings

    from frontdesk.portal.auth import login_portal_user
    from frontdesk.portal.models import PortalUser

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    # A password session (no link): it reaches every request of the person's customer.
    login_portal_user(store, PortalUser.objects.get(pk=portal_user_id))
    store.save()
    return str(store.session_key)


def _frontdesk_api_token(user_id: int) -> str:
    from frontdesk.api.services import create_api_token
    from frontdesk.organizations.models import Membership

    membership = Membership.objects.filter(user_id=user_id).order_by("pk").first()
    assert membership is not None
    return create_api_token(membership=membership, name="bench")[1]


def sessions(spec: dict[str, dict[str, Any]]) -> dict[str, Any]:
    from django.http import HttpRequest
    from django.middleware.csrf import get_token

    result: dict[str, Any] = {}
    for name, wanted in spec.items():
        if wanted["kind"] == "auth":
            result[name] = _auth_session(wanted["user_id"])
        elif wanted["kind"] == "frontdesk-portal":
            result[name] = _frontdesk_portal_session(wanted["portal_user_id"])
        elif wanted["kind"] == "frontdesk-api-token":
            result[name] = _frontdesk_api_token(wanted["user_id"])
        else:
            raise SystemExit(f"unknown session kind {wanted['kind']!r}")
    # What CsrfViewMiddleware does for a page with a form: a secret for the cookie and a
    # masked token for the form, which it accepts as matching that secret.
    request = HttpRequest()
    token = get_token(request)
    result["csrf"] = {"cookie": request.META["CSRF_COOKIE"], "token": token}
    return result


def queries(spec: list[dict[str, Any]]) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    # Django keeps the last 9,000 queries; django-helpdesk runs more than that on some pages.
    connection.queries_log = deque(maxlen=10_000_000)
    result: dict[str, Any] = {}
    for endpoint in spec:
        client = Client()
        for name, value in endpoint.get("cookies", {}).items():
            client.cookies[name] = value
        # The first request fills per-process caches (content types, sites, translations);
        # the second one is counted. A POST is counted over several submissions, and the one
        # with the fewest queries is kept: housekeeping that an app does now and then (Frontdesk's
        # flood counters sweep windows over a day old on one new sender in 50) is not what a
        # submission costs, and would make the count differ from run to run.
        counted: CaptureQueriesContext | None = None
        for attempt in range(6 if endpoint["method"] == "POST" else 2):
            captured = CaptureQueriesContext(connection)
            with captured:
                if endpoint["method"] == "POST":
                    # A new sender each time, as in the load test ("__N__" in a value).
                    unique = uuid.uuid4().hex
                    form = {key: value.replace("__N__", unique)
                            for key, value in endpoint["form"].items()}
                    response = client.post(endpoint["path"], form)
                else:
                    response = client.get(endpoint["path"],
                                          headers=endpoint.get("headers") or {})
            if attempt and (counted is None
                             or len(captured.captured_queries) < len(counted.captured_queries)):
                counted = captured
        assert counted is not None
        captured = counted
        result[endpoint["name"]] = {
            "status": response.status_code,
            "queries": len(captured.captured_queries),
            "ms": round(sum(float(query["time"]) for query in captured.captured_queries)
                        * 1000, 1),
            # The first 100, enough to read what a page asks for.
            "sql": [{"sql": query["sql"], "ms": round(float(query["time"]) * 1000, 2)}
                    for query in captured.captured_queries[:100]],
        }
    return result


def count(label: str) -> int:
    from django.apps import apps

    return int(apps.get_model(label)._default_manager.count())


def main() -> None:
    command, argument = sys.argv[1], sys.argv[2]
    _setup()
    if command == "sessions":
        with open(argument) as spec_file:
            output: Any = sessions(json.load(spec_file))
    elif command == "queries":
        with open(argument) as spec_file:
            output = queries(json.load(spec_file))
    elif command == "count":
        output = count(argument)
    else:
        raise SystemExit(f"unknown command {command!r}")
    sys.stdout.write(json.dumps(output) + "\n")


if __name__ == "__main__":
    main()
