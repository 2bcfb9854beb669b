"""`manage.py create_organization`: the first organization of a new installation."""

from __future__ import annotations

import getpass
import os
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from frontdesk.accounts.models import User, normalize_email_address
from frontdesk.organizations.services import create_organization


class Command(BaseCommand):
    help = ("Create an organization and its first admin. The admin's password is asked for, or "
            "read from FRONTDESK_ADMIN_PASSWORD when not interactive.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--slug", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-name", default="")
        parser.add_argument("--language", default="en")
        parser.add_argument("--operator", action="store_true",
                            help="Also let the admin create further organizations.")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        email = normalize_email_address(options["admin_email"])
        user = User.objects.filter(email=email).first()
        if user is None:
            password = os.environ.get("FRONTDESK_ADMIN_PASSWORD") or self.ask_password()
            try:
                password_validation.validate_password(password)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            user = User.objects.create_user(email, password,
                                            full_name=options["admin_name"] or email)
        if options["operator"] and not user.is_superuser:
            user.is_superuser = True
            user.save(update_fields=["is_superuser"])
        try:
            organization = create_organization(slug=options["slug"], name=options["name"],
                                               admin=user, language=options["language"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(
            f"Created {organization.name}: staff pages at /app/{organization.slug}/, "
            f"portal at /p/{organization.slug}/. Admin: {user.email}"))

    def ask_password(self) -> str:
        first = getpass.getpass("Password for the admin: ")
        if first != getpass.getpass("Password again: "):
            raise CommandError("The two passwords differ.")
        return first
