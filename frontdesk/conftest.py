"""Shared pytest set-up. Browser tests drive Debian's chromium (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

CHROMIUM = "/usr/bin/chromium"

# Playwright's sync API runs an event loop in the test thread; Django's live server and the
# ORM calls of the test are still synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture(autouse=True)
def _no_language_left_over() -> Iterator[None]:
    """A request activates its visitor's or its organization's language in the thread
    (core/middleware.py, the access decorators), for the next request to replace: in a test
    run, nothing replaced it, and a test asserting English text failed after one whose last
    request was in Polish on the same worker."""
    yield
    translation.deactivate()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.path.exists(CHROMIUM) or shutil.which("chromium"):
        return
    if os.environ.get("CI", "").lower() == "true":
        # In CI nothing may be skipped: a missing browser fails the browser tests.
        return
    skip = pytest.mark.skip(reason="Debian's chromium is not installed (apt-get install -y "
                                   "chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
