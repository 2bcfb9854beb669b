"""Real e-mails for the incoming-mail tests: built with the standard library's `email`
package, as a mail server would hand them over (bytes)."""

from __future__ import annotations

from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import ClassVar

from frontdesk.core.testing import FrontdeskTestCase
from frontdesk.mail.inbound import Received, receive_message
from frontdesk.mail.models import InboundMessage, InboundSettings, OutboxMessage
from frontdesk.support.models import Task

SUPPORT = "help@acme.test"


def eml(*, sender: str = "Rita Requester <rita@newco.test>", to: str = SUPPORT,
        subject: str = "Printer on fire", body: str | None = "It smokes since this morning.",
        html: str | None = None, message_id: str | None = None,
        headers: dict[str, str] | None = None,
        files: Sequence[tuple[str, bytes, str]] = ()) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate()
    message["Message-ID"] = message_id or make_msgid(domain="mail.test")
    for name, value in (headers or {}).items():
        message[name] = value
    if body is not None:
        message.set_content(body)
        if html is not None:
            message.add_alternative(html, subtype="html")
    elif html is not None:
        message.set_content(html, subtype="html")
    for name, content, content_type in files:
        maintype, subtype = content_type.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


class InboundTestCase(FrontdeskTestCase):
    """Org A receives e-mail at help@acme.test."""

    inbound: ClassVar[InboundSettings]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.inbound = InboundSettings.objects.create(organization=cls.org_a, enabled=True,
                                                     support_address=SUPPORT)

    def receive(self, raw: bytes) -> InboundMessage:
        """Receive `raw` for org A and run the worker (processing, then the e-mails)."""
        with self.sending():
            received: Received = receive_message(organization=self.org_a, raw=raw)
        received.message.refresh_from_db()
        return received.message

    def task_of(self, message: InboundMessage) -> Task:
        """The request the message reached."""
        assert message.task_id is not None, (message.status, message.reason, message.error)
        return Task.objects.get(pk=message.task_id)

    def sent_about(self, task_id: int) -> list[OutboxMessage]:
        return list(OutboxMessage.objects.filter(task_id=task_id).order_by("id"))
