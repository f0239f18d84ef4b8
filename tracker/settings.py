"""Settings for Pledge Tracker: one module, every knob an environment variable.

Each variable is read here once, through the strict helpers of `tracker.env`, and documented in
the README's configuration table (a test fails when one is missing there). Defaults are safe:
`DEBUG` is off, the HTTPS switches are off so a plain-HTTP loopback server works, and without
`DATABASE_URL` / `REDIS_URL` the project runs on embedded SQLite, a filesystem Celery broker and a
local-memory cache under `var/`.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import dj_database_url
from csp.constants import NONCE as CSP_NONCE
from django.core.exceptions import ImproperlyConfigured

from tracker.email_url import parse_email_url
from tracker.env import EnvError, env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off; "
            "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"  # noqa: S105
# Rotation: the previous key(s) here keep sessions and signed links valid until they expire.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "corsheaders",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "csp",
    "simple_history",
    "axes",
    "pledges",
]

MIDDLEWARE = [
    # First: /healthz and /readyz answer probes before host checks and the HTTPS redirect.
    "tracker.health.HealthCheckMiddleware",
    # Second: every later log record of a request carries its X-Request-ID.
    "tracker.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # A %00 would reach PostgreSQL and fail there (a 500): refused here, with the headers above.
    "tracker.nul_bytes.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a lock-out into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
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

# Database: PostgreSQL in production and tests; an SQLite file for the zero-setup demo.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo runs web, worker and beat on one file: wait for locks instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # An unreachable server fails a request (and /readyz) in seconds, not after TCP's minutes;
    # `?connect_timeout=N` in DATABASE_URL overrides.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    # A kept connection is checked before a request reuses it: after PostgreSQL restarts, each
    # kept connection would otherwise fail one request with a 500.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: Celery broker and cache. Without it, an embedded broker and a local-memory cache.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Misses instead of errors while Redis is away (pages and API keep answering), and
            # gives up on an unanswering server in a second rather than hanging a request.
            "BACKEND": "tracker.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pt",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    # A task taken by a worker that died (kill -9, a lost machine) is delivered again after
    # this many seconds; it must outlast the longest task, or a running task would be doubled.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=5)
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    _broker_dir = VAR_DIR / "celery-broker"
    for _sub in ("out", "processed"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
    }

CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Re-checks spend their time waiting on the network and on politeness slots, so a worker runs
# many threads; CPU-bound extraction is spread by running one worker process per core.
CELERY_WORKER_POOL = env_str("CELERY_WORKER_POOL", "threads")
CELERY_WORKER_CONCURRENCY = env_int("CELERY_WORKER_CONCURRENCY", 64, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300, minimum=1)
CELERY_TASK_SOFT_TIME_LIMIT = max(1, CELERY_TASK_TIME_LIMIT - 30)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = env_str("TIME_ZONE", "UTC")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login protection (django-axes): after AXES_FAILURE_LIMIT failed logins a username is locked
# for AXES_COOLOFF_MINUTES. Per username, not per address: behind a reverse proxy every client
# has the proxy's address, and an attacker with many addresses must not get more guesses.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# axes.W006 warns that a lock-out without the address can be dodged by rotating user agents or
# cookies; ours is keyed on the username alone, which neither changes.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# The nightly, versioned bulk dumps (CSV, NDJSON, SQLite, changelog; pledges.services.bulk_dump)
# and how many versions are kept.
DUMP_DIR = Path(env_str("DUMP_DIR", str(VAR_DIR / "dumps")))
DUMP_KEEP = env_int("DUMP_KEEP", 30, minimum=1)
WHITENOISE_USE_FINDERS = DEBUG

# HTTPS: each switch is its own variable, off by default so `make serve` answers plain HTTP on
# loopback; docker/.env.example turns them all on.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
if env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): our own origin only, no inline script or style; the
# one inline script (a page's JSON-LD) carries the response's nonce. Only the embed view
# widens frame-ancestors (pledges/views/embeds.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", CSP_NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SESSION_COOKIE_HTTPONLY = True

# The REST API (/api/v1/, shared/spec/api.md): read-only for everyone, writes by editors' tokens.
# API_ANON_THROTTLE: requests an anonymous client may make, "N/second|minute|hour|day", or "off".
API_ANON_THROTTLE = env_str("API_ANON_THROTTLE", "120/minute").lower()
if API_ANON_THROTTLE != "off" and not re.fullmatch(
    r"[1-9][0-9]*/(second|minute|hour|day)", API_ANON_THROTTLE
):
    raise EnvError(
        f"API_ANON_THROTTLE={API_ANON_THROTTLE!r} is not a rate such as 120/minute, nor 'off'"
    )
# API_CACHE_MAX_AGE: seconds a shared cache may keep an anonymous GET (Cache-Control max-age).
API_CACHE_MAX_AGE = env_int("API_CACHE_MAX_AGE", 60, minimum=0)
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": (
        [] if API_ANON_THROTTLE == "off" else ["pledges.api.throttling.AnonWindowThrottle"]
    ),
    "DEFAULT_THROTTLE_RATES": {"anon": None if API_ANON_THROTTLE == "off" else API_ANON_THROTTLE},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pledge Tracker API",
    "DESCRIPTION": "Corporate job pledges, their sources and what became of them.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and Redoc from drf-spectacular-sidecar's static files: no third-party CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "pledges.api.schema.document_errors",
    ],
}
# CORS: any origin may read the API (GET/HEAD/OPTIONS); writes stay same-origin/token only.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Link"]

# Re-check jobs: the outbound fetcher (see ../README.md and the re-check contract).
FETCH_ALLOW_NETWORKS = env_list("FETCH_ALLOW_NETWORKS")
FETCH_PER_HOST_INTERVAL = env_float("FETCH_PER_HOST_INTERVAL", 3.0, minimum=0)
FETCH_PER_HOST_CONCURRENCY = env_int("FETCH_PER_HOST_CONCURRENCY", 1, minimum=1)
FETCH_DEADLINE = env_float("FETCH_DEADLINE", 20.0, minimum=0.1)
FETCH_MAX_BYTES = env_int("FETCH_MAX_BYTES", 5_000_000, minimum=1024)
FETCH_MAX_REDIRECTS = env_int("FETCH_MAX_REDIRECTS", 5, minimum=0)
FETCH_USER_AGENT = env_str("FETCH_USER_AGENT", f"PledgeTracker/0.1 (+{SITE_URL}/about/bot)")
# Re-check jobs: retries, scheduling, link verdicts, archive, evidence (pledges/services/checks.py).
RECHECK_RETRIES = env_int("RECHECK_RETRIES", 2, minimum=0)
RECHECK_MAX_RETRY_AFTER = env_float("RECHECK_MAX_RETRY_AFTER", 60.0, minimum=0)
RECHECK_MAX_HOST_WAIT = env_float("RECHECK_MAX_HOST_WAIT", 10.0, minimum=1)
RECHECK_MIN_HOURS = env_float("RECHECK_MIN_HOURS", 12.0, minimum=0.01)
RECHECK_MAX_DAYS = env_float("RECHECK_MAX_DAYS", 90.0, minimum=0.01)
RECHECK_BATCH = env_int("RECHECK_BATCH", 2000, minimum=1)
LINK_DEAD_AFTER_FAILURES = env_int("LINK_DEAD_AFTER_FAILURES", 3, minimum=1)
LINK_DEAD_AFTER_DAYS = env_float("LINK_DEAD_AFTER_DAYS", 3.0, minimum=0)
EVIDENCE_COMPANY_MATCH = env_str("EVIDENCE_COMPANY_MATCH", "cited").lower()
if EVIDENCE_COMPANY_MATCH not in ("cited", "strict"):
    raise EnvError(f"EVIDENCE_COMPANY_MATCH={EVIDENCE_COMPANY_MATCH!r}: use cited or strict")
WAYBACK_SUBMIT = env_bool("WAYBACK_SUBMIT", False)
WAYBACK_ENDPOINT = env_str("WAYBACK_ENDPOINT", "https://web.archive.org/save/")
WAYBACK_INTERVAL = env_float("WAYBACK_INTERVAL", 10.0, minimum=0)

# Import: the largest CSV the admin upload accepts (the command has no such limit; it streams).
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 50_000_000, minimum=1024)

# Email (follow-up reports): EMAIL_URL names the backend and server (tracker/email_url.py);
# the console backend, which prints messages, unless it is set.
EMAIL_URL = env_str("EMAIL_URL", "console://")
_email = parse_email_url(EMAIL_URL)
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = _email.get("EMAIL_TIMEOUT")
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Pledge Tracker <reports@localhost>")
# Follow-up reports (pledges/services/reports.py): the look-ahead of "coming due" and the
# months without new evidence after which an open pledge is stale.
REPORT_DUE_SOON_DAYS = env_int("REPORT_DUE_SOON_DAYS", 90, minimum=1)
REPORT_STALE_MONTHS = env_int("REPORT_STALE_MONTHS", 12, minimum=1)

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
# LOG_FORMAT: "text" lines for people, or "json" lines for a log shipper (tracker/logs.py).
LOG_FORMAT = env_str("LOG_FORMAT", "text").lower()
if LOG_FORMAT not in {"text", "json"}:
    raise EnvError(f"LOG_FORMAT={LOG_FORMAT!r} is not one of text, json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "tracker.logs.ContextFilter"}},
    "formatters": {
        "text": {"()": "tracker.logs.TextFormatter"},
        "json": {"()": "tracker.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False}},
}
