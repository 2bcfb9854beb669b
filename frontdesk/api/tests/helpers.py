"""Test helpers of the API: tokens of the personas, and a real HTTP server that receives
webhooks on loopback."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.test import Client

from frontdesk.accounts.models import User
from frontdesk.api.services import create_api_token
from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.organizations.models import Membership, Organization


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class Receiver:
    """An HTTP server on a loopback port that keeps every POST it receives, answering each
    with the next of `answers` (then 200)."""

    def __init__(self, answers: list[int] | None = None) -> None:
        self.received: list[Received] = []
        self.answers = list(answers or [])
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                receiver.received.append(Received(self.path, dict(self.headers.items()),
                                                  body))
                code = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(code)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet test output

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def events(self) -> list[str]:
        return [item.json["event"] for item in self.received]


@contextmanager
def receiving(answers: list[int] | None = None) -> Iterator[Receiver]:
    receiver = Receiver(answers)
    try:
        yield receiver
    finally:
        receiver.stop()


class ApiTestCase(FrontdeskTestCase):
    def token_of(self, user: User, organization: Organization | None = None) -> str:
        membership = Membership.objects.get(user=user, organization=organization or self.org_a)
        return create_api_token(membership=membership, name="test")[1]

    def api(self, token: str | None) -> Client:
        """A client sending `token` as its bearer token (none: no header)."""
        headers = {} if token is None else {"Authorization": f"Bearer {token}"}
        return Client(headers=headers)

    def get_json(self, client: Client, path: str, status: int = 200) -> Any:
        response = client.get(path)
        self.assertEqual(response.status_code, status, response.content)
        return response.json()

    def send_json(self, client: Client, method: str, path: str, data: dict[str, Any],
                  status: int) -> Any:
        response = getattr(client, method)(path, data=json.dumps(data),
                                           content_type="application/json")
        self.assertEqual(response.status_code, status, response.content)
        return response.json()
