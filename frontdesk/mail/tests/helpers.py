"""Test helpers for delivery failures: an SMTP port nobody listens on, and retries made due."""

from __future__ import annotations

import socket

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def closed_port() -> int:
    """A loopback port with no server: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def make_retries_due() -> int:
    """Bring the scheduled retries forward to now, as if their back-off had passed."""
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    return ready.update(run_after=timezone.now())
