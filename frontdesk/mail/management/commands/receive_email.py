"""`manage.py receive_email --organization <slug> < message.eml`: the mail server's pipe
(SPEC E2), as osTicket's and RT's mail gateways are run. The message is stored and handed to
the worker; the command exits at once. A non-zero exit (with the reason on stderr) tells the
mail server the message was not taken."""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from frontdesk.mail.inbound import receive_message
from frontdesk.organizations.models import Organization


class Command(BaseCommand):
    help = "Receive one e-mail (the raw message on standard input) for an organization."
    # Tests hand the message over as `stdin=` (a binary stream) instead of standard input.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", required=True,
                            help="The organization's address name (slug).")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["organization"]
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            raise CommandError(f"No organization with the address name {slug!r}.")
        stream = options.get("stdin") or sys.stdin.buffer
        # No more than one byte past the limit is read: receive_message refuses it then.
        raw = stream.read(settings.FRONTDESK_INBOUND_MAX_MB * 1024 * 1024 + 1)
        try:
            received = receive_message(organization=organization, raw=raw)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if options["verbosity"] >= 1:
            state = "already received" if received.duplicate else "received"
            self.stdout.write(f"Message {received.message.pk} {state}.")
