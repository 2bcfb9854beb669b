"""The registry of e-mail kinds. Each app declares its e-mails in its own `emails.py`:

    @email_kind("portal.request_confirmation")
    def request_confirmation(message: OutboxMessage) -> RenderedEmail | None: ...

A builder runs in the worker, in the recipient's language, at delivery time. It returns None
when the e-mail should no longer go out (for example, the post it announces was made
internal again), and the message is then cancelled instead of sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.template.loader import get_template

if TYPE_CHECKING:
    from frontdesk.mail.models import OutboxMessage


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str
    from_name: str = ""
    headers: dict[str, str] | None = None
    # The request the e-mail is about: the e-mail then carries the threading headers that
    # bring the customer's reply back to it (SPEC E2), and, to a customer, Reply-To the
    # support address (staff answer on the request's page, not by e-mail).
    task_id: int | None = None
    reply_to_support: bool = True


Builder = Callable[["OutboxMessage"], RenderedEmail | None]
_BUILDERS: dict[str, Builder] = {}


def email_kind(kind: str) -> Callable[[Builder], Builder]:
    def register(builder: Builder) -> Builder:
        if kind in _BUILDERS and _BUILDERS[kind] is not builder:
            raise ValueError(f"two builders for the e-mail kind {kind!r}")
        _BUILDERS[kind] = builder
        return builder

    return register


def get_builder(kind: str) -> Builder:
    return _BUILDERS[kind]


def known_kinds() -> list[str]:
    return sorted(_BUILDERS)


def render_templates(name: str, context: dict[str, Any], *, from_name: str = "",
                     task_id: int | None = None, reply_to_support: bool = True
                     ) -> RenderedEmail:
    """Render mail/<name>.subject.txt, .txt and .html (Jinja2) into one e-mail."""
    subject = get_template(f"mail/{name}.subject.txt").render(context)
    return RenderedEmail(
        subject=" ".join(subject.split()),
        text=get_template(f"mail/{name}.txt").render(context),
        html=get_template(f"mail/{name}.html").render(context),
        from_name=from_name,
        task_id=task_id,
        reply_to_support=reply_to_support,
    )
