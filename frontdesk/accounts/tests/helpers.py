"""Test helpers for e-mailed links."""

from __future__ import annotations

import re
from email.message import EmailMessage
from urllib.parse import urlsplit

from frontdesk.core.testing import text_of


def link_path(message: EmailMessage) -> str:
    """The path of the first link in an e-mail's text part (links are absolute)."""
    match = re.search(r"https?://\S+", text_of(message))
    assert match is not None, "the e-mail has no link"
    return urlsplit(match.group()).path
