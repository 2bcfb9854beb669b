"""WSGI entry point for gunicorn (see `make serve`)."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontdesk.settings")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402

if not settings.DEBUG and settings.SECRET_KEY == settings.DEV_SECRET_KEY:
    # The development key is public: serving with it would let anyone forge sessions.
    raise ImproperlyConfigured(
        "Refusing to start: DEBUG is off and SECRET_KEY is the development default. "
        "Set SECRET_KEY to a long random value (see README, Configuration)."
    )

# What is loaded by now (Django, the apps, the URLconf and its views) lives as long as the
# process. Frozen, it is left out of the garbage collector's full collections, which would
# otherwise walk it again and again while serving (gc.freeze, Python 3.7+).
import gc  # noqa: E402

from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018 (imports every view module now)
gc.freeze()
