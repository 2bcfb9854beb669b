"""Frontdesk settings: everything comes from environment variables (see README, "Configuration")."""

from pathlib import Path

import dj_database_url

from frontdesk.lib.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("FRONTDESK_VAR_DIR", str(BASE_DIR / "var")))

# The development key is public; wsgi.py refuses to serve with it when DEBUG is off.
DEV_SECRET_KEY = "frontdesk-development-key-not-for-production"  # noqa: S105
SECRET_KEY = envstr("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

# Absolute links in e-mails are built from this: background work has no request to take the
# host from.
FRONTDESK_BASE_URL = envstr("FRONTDESK_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
FRONTDESK_MAX_UPLOAD_MB = envint("FRONTDESK_MAX_UPLOAD_MB", 20)
FRONTDESK_MAX_FILES_PER_POST = envint("FRONTDESK_MAX_FILES_PER_POST", 10)
FRONTDESK_LINK_DAYS = envint("FRONTDESK_LINK_DAYS", 30)
FRONTDESK_INVITATION_DAYS = envint("FRONTDESK_INVITATION_DAYS", 14)
# Public support form flood protection: submissions per hour.
FRONTDESK_FORM_LIMIT_PER_IP = envint("FRONTDESK_FORM_LIMIT_PER_IP", 20)
# The rate counters' windows that are over are cleared by the first hit of a new window, one
# time in this many (0: never; the tests count statements, and a draw would add one).
FRONTDESK_RATE_SWEEP_ONE_IN = envint("FRONTDESK_RATE_SWEEP_ONE_IN", 50)
FRONTDESK_FORM_LIMIT_PER_EMAIL = envint("FRONTDESK_FORM_LIMIT_PER_EMAIL", 5)
# Behind a reverse proxy, the number of proxies whose X-Forwarded-For entries are trusted.
FRONTDESK_TRUSTED_PROXIES = envint("FRONTDESK_TRUSTED_PROXIES", 0)
FRONTDESK_EMAIL_MAX_ATTEMPTS = envint("FRONTDESK_EMAIL_MAX_ATTEMPTS", 8)
# Webhooks (SPEC X1): attempts of a delivery before it is marked failed, and how long to wait
# for the receiver. Private and loopback addresses are refused as webhook URLs (they would let
# an organization make this server call its own network) unless this is on.
FRONTDESK_WEBHOOK_MAX_ATTEMPTS = envint("FRONTDESK_WEBHOOK_MAX_ATTEMPTS", 8)
FRONTDESK_WEBHOOK_TIMEOUT = envint("FRONTDESK_WEBHOOK_TIMEOUT", 10)
FRONTDESK_WEBHOOKS_ALLOW_PRIVATE = envbool("FRONTDESK_WEBHOOKS_ALLOW_PRIVATE", False)

# Incoming e-mail (SPEC E2): the largest message taken whole, and how many e-mails one sender
# may send an organization in an hour before the next ones are set aside.
FRONTDESK_INBOUND_MAX_MB = envint("FRONTDESK_INBOUND_MAX_MB", 40)
FRONTDESK_INBOUND_LIMIT_PER_SENDER = envint("FRONTDESK_INBOUND_LIMIT_PER_SENDER", 20)
# Days an incoming e-mail's own bytes are kept after it arrived (0: for good); its line in
# the log stays.
FRONTDESK_INBOUND_KEEP_DAYS = envint("FRONTDESK_INBOUND_KEEP_DAYS", 90)

# How often an open request page asks whether a reply arrived (SPEC X3), in seconds.
FRONTDESK_LIVE_POLL_SECONDS = envint("FRONTDESK_LIVE_POLL_SECONDS", 12)

INSTALLED_APPS = [
    "frontdesk.core",
    "frontdesk.accounts",
    "frontdesk.organizations",
    "frontdesk.customers",
    "frontdesk.support",
    "frontdesk.portal",
    "frontdesk.mail",
    "frontdesk.billing",
    "frontdesk.knowledge",
    "frontdesk.files",
    "frontdesk.api",
    "frontdesk.service_levels",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    # django-ninja, for the REST API: listed so its API page is rendered with its own copy of
    # Swagger UI from our static files (not from a CDN).
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "frontdesk.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "frontdesk.core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "frontdesk.urls"
WSGI_APPLICATION = "frontdesk.wsgi.application"

TEMPLATES = [
    {
        # Every page of the product is a Jinja2 template (jinja2/<app>/ in each app).
        "BACKEND": "frontdesk.lib.jinja_backend.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "frontdesk.lib.jinja.environment",
            "autoescape": True,
            "extensions": ["jinja2.ext.i18n"],
        },
    },
    {
        # Only for what Django itself renders: the admin and form widgets.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'frontdesk.sqlite3'}"),
        conn_max_age=envint("CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with its health check taken at most once a second per connection
    # (see frontdesk/lib/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "frontdesk.lib.postgresql"
    # JIT compilation costs more than it saves on our short OLTP queries. A page reads rows
    # that are in memory, where a random read costs about what a sequential one does; at
    # PostgreSQL's default cost (4, for spinning disks) the request detail's posts and events
    # were hash-joined with every portal user of the organization on each page, instead of
    # fetching the few authors by index (PG_RANDOM_PAGE_COST; the usual figure for SSDs).
    # No parallel workers: a page's query is short, and workers started for it compete with
    # the other requests for the same cores (at 1M requests the staff search's posts were read
    # by two workers: 5 ms of starting them to find no row, and a third of the machine's CPU).
    DATABASES["default"]["OPTIONS"] = {
        "options": ("-c jit=off -c max_parallel_workers_per_gather=0 "
                    f"-c random_page_cost={float(envstr('PG_RANDOM_PAGE_COST', '1.1')):g}"),
    }
    if envbool("PG_PREPARED_STATEMENTS", True):
        # Each page runs the same few statements (lib/prepared.py), and planning a six-table
        # join costs PostgreSQL more than running it. Bound on the server, a statement that a
        # connection has run twice is prepared there and planned no more (psycopg's
        # prepare_threshold; Django leaves it off). Pays with persistent connections
        # (CONN_MAX_AGE). Turn it off behind a pooler that cannot keep prepared statements
        # (PgBouncer in transaction mode before 1.21).
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=2)
        # PostgreSQL plans a prepared statement with its values for its first five runs, then
        # keeps the generic plan unless that plan's estimate is dearer. For "Assigned to me"
        # and the notifications page it was, so those two were planned anew on every page
        # (0.4 ms of PostgreSQL each, more than running them) for the same plan. Our
        # statements are made to follow an index whatever the values: plan them once.
        DATABASES["default"]["OPTIONS"]["options"] += " -c plan_cache_mode=force_generic_plan"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend with writers queued on a lock file (see frontdesk/lib/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "frontdesk.lib.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and the one writer work at once; IMMEDIATE makes a writer take its lock
        # at BEGIN instead of failing half-way with "database is locked".
        # Checkpoints are taken after commits (frontdesk/lib/sqlite/base.py); SQLite's own is
        # the backstop.
        "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                         "PRAGMA wal_autocheckpoint=10000;"),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "organizations:choose"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

SESSION_ENGINE = "frontdesk.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind trusted proxies that end HTTPS, the scheme the visitor used is the one they say in
# X-Forwarded-Proto (links in pages, the CSRF check of the form's origin). Once a site is only
# reachable over HTTPS, SECURE_HSTS_SECONDS tells browsers never to try it over plain HTTP.
if FRONTDESK_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
# Where pages may load from and send forms to (core.middleware.ContentSecurityPolicyMiddleware):
# our own address. CONTENT_SECURITY_POLICY replaces it ("" sends none).
FRONTDESK_CONTENT_SECURITY_POLICY = envstr(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'")

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("tr", "Türkçe"),
    ("pl", "Polski"),
    ("nl", "Nederlands"),
    ("fa", "فارسی"),
]
LOCALE_PATHS = [BASE_DIR / "frontdesk" / "locale"]
USE_I18N = True
TIME_ZONE = envstr("TIME_ZONE", "UTC")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: files go through permission-checked views
STORAGES = {
    # Uploaded files only go through this storage; point FILE_STORAGE_BACKEND at e.g.
    # storages.backends.s3.S3Storage (django-storages) to keep them off the app servers.
    "default": {"BACKEND": envstr("FILE_STORAGE_BACKEND",
                                  "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 50

EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Frontdesk <frontdesk@localhost>")

TASKS = {
    "default": {
        # django-tasks-db, with the task row written by a prepared INSERT (lib/tasks_backend.py).
        "BACKEND": "frontdesk.lib.tasks_backend.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}
