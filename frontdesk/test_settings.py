"""Settings for the test suite: the production settings with faster password hashing."""

from frontdesk.settings import *  # noqa: F403

# Argon2 is deliberately slow; the tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Tests point EMAIL_HOST/EMAIL_PORT at the SMTP server they start on loopback.
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = 1
EMAIL_TIMEOUT = 5
FRONTDESK_EMAIL_MAX_ATTEMPTS = 3
# Webhook tests send to an HTTP server they start on loopback.
FRONTDESK_WEBHOOKS_ALLOW_PRIVATE = True
FRONTDESK_WEBHOOK_MAX_ATTEMPTS = 3
FRONTDESK_WEBHOOK_TIMEOUT = 5
# Statement counts must not depend on a random draw (core/ratelimit.py); the sweep's own test
# turns it on.
FRONTDESK_RATE_SWEEP_ONE_IN = 0

import tempfile  # noqa: E402

# Uploaded files of the test run go to a throwaway folder, never to var/media.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="frontdesk-test-media-"))  # noqa: F405

# Our SQLite engine is Django's under another name: tell pytest-django (which recognises
# Django's engine name only) that the test database lives in memory, one per test worker.
if DATABASES["default"]["ENGINE"] == "frontdesk.lib.sqlite":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}  # noqa: F405
