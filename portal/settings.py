"""Settings of the campaign portal, read from the environment.

Defaults are the production ones: debug off, no secret key, secure cookies. `make run` and the
test suite switch development on explicitly (DJANGO_DEBUG=1). See .env.example for every variable.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer; got {raw!r}.") from exc


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG off the portal refuses to start "
            "without a secret key; set a long random value (see .env.example)."
        )
    # Development only: a fixed, obviously unsafe key so sessions survive restarts of `make run`.
    SECRET_KEY = "development-only-insecure-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Number of reverse proxies in front of the portal that append to X-Forwarded-For. 0 means the
# portal faces clients directly and X-Forwarded-For is ignored (a client could forge it).
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)

INSTALLED_APPS = [
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    # The project's apps in the order of their layers (DESIGN.md section 3, docs/architecture.md): each
    # imports only from those above it.
    "portal",
    "campaign",
    "units",
    "workflow",
    "notifications",
    "documents",
    "reports",
    "emulation",
    "awards",
    "overview",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's SessionMiddleware, writing an unchanged session back at most once a minute (the idle timeout).
    "portal.sessions.SlidingSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # After the CSRF check: every form's text is cleaned of control characters before any view reads it.
    "portal.text.CleanTextMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
                "notifications.context_processors.notifications_link",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'portal.sqlite3'}",
        conn_max_age=env_int("DJANGO_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "units.User"
AUTHENTICATION_BACKENDS = [
    # AxesStandaloneBackend first: it refuses sign-ins from a locked username and address.
    "axes.backends.AxesStandaloneBackend",
    "units.backends.UnitModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling (django-axes): lock a username from one address, not a whole office that
# shares one public address; unlock after 15 minutes; forget failures after a success.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "portal.client_ip.client_ip"
# A sign-in attempt while locked is refused but not counted, so the lock lifts 15 minutes after the
# last counted failure, as the lockout page promises (axes' default would restart the 15 minutes).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Sessions end after 30 minutes without activity: a request pushes the end forward, writing the session at most once
# every SESSION_REFRESH_SECONDS (portal/sessions.py), not on every request.
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_REFRESH_SECONDS = 60
SESSION_ENGINE = "portal.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "portal.csrf.csrf_failure"

# Transport security: on in production, off under `make run` (plain http on 127.0.0.1).
SECURE_ON = not DEBUG
SESSION_COOKIE_SECURE = SECURE_ON
CSRF_COOKIE_SECURE = SECURE_ON
SECURE_SSL_REDIRECT = SECURE_ON and env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# Load-balancer probes often speak plain http to the backend; /healthz reveals nothing worth TLS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31_536_000 if SECURE_ON else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_ON
SECURE_HSTS_PRELOAD = SECURE_ON and env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if TRUSTED_PROXY_COUNT > 0:
    # The TLS-terminating proxy tells us the original scheme.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if SECURE_ON and not SECURE_SSL_REDIRECT and TRUSTED_PROXY_COUNT > 0:
    # DJANGO_SECURE_SSL_REDIRECT=0 behind a TLS-terminating proxy: the proxy redirects http to https
    # itself, so security.W008 ("SECURE_SSL_REDIRECT is not True") is expected here.
    # Without a proxy the warning stays: nothing else would move clients to https.
    SILENCED_SYSTEM_CHECKS = ["security.W008"]

# Content-Security-Policy: no inline scripts or styles, nothing from outside this server.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["portal.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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
# Uploaded evidence and issued documents: private, outside every served URL.
PRIVATE_STORAGE_ROOT = Path(os.environ.get("PORTAL_PRIVATE_STORAGE", VAR_DIR / "private"))
MEDIA_ROOT = PRIVATE_STORAGE_ROOT
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# The report editor saves a part this long after typing stops (the browser tests shorten it).
REPORT_AUTOSAVE_DELAY_MS = env_int("REPORT_AUTOSAVE_DELAY_MS", 1500)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: printed to the console unless an SMTP server is configured.
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "thidua@skhcn.quangngai.gov.vn")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when REDIS_URL is set; otherwise tasks run inline in the calling process.
# The database is the truth of every job (DESIGN.md section 3): results are not stored unless a
# task asks for it, which also keeps .delay() from subscribing to the result channel.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
# The test suite runs tasks inline whatever REDIS_URL says, but for its real-worker tests (tests/celery_worker.py).
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
# A task whose worker died is retried (up to its max_retries, 3 by default), then given up: no endless redelivery.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_RETRY_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 540)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 1_000_000)  # KiB
CELERY_BROKER_CONNECTION_TIMEOUT = 5
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Without socket timeouts .delay() hangs for ever when Redis accepts but does not answer; with
# them and one retry, a request that enqueues waits at most about ten seconds before giving up.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 5,
    "socket_connect_timeout": 5,
    "visibility_timeout": 2 * CELERY_TASK_TIME_LIMIT,
    "max_retries": 1,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "socket_timeout": 5,
    "socket_connect_timeout": 5,
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5},
}
CELERY_TIMEZONE = TIME_ZONE
# Issue 16 item 3 (recovery in seconds): leases of 30 s renewed every 5 s, a sweep every 10 s (and one when a
# worker starts, workflow/jobs.py): a killed worker's job starts again within LEASE + SWEEP = 40 s (bench/recovery.py).
# Background jobs with a lease (workflow/jobs.py): the row is the truth of each job. A worker renews its lease
# every HEARTBEAT_SECONDS while it works; a lease not renewed for LEASE_SECONDS means the worker died, and the
# sweep (every SWEEP_SECONDS, on beat) hands the row to another run, at most MAX_ATTEMPTS runs in all. A queued
# row whose task was published longer than REQUEUE_AFTER_SECONDS ago (or never: the broker was down) is
# published again. Past the task's hard time limit the worker child is killed and the expiring lease hands the
# row on; the soft one fails the row with its reason. A sweep message not started within SWEEP_EXPIRES_SECONDS
# expires: sweeps piled up while workers were down never run.
# The consolidated report's compile (reports/services/consolidation.py).
CONSOLIDATION_LEASE_SECONDS = env_int("CONSOLIDATION_LEASE_SECONDS", 30)
CONSOLIDATION_HEARTBEAT_SECONDS = env_int("CONSOLIDATION_HEARTBEAT_SECONDS", 5)
CONSOLIDATION_MAX_ATTEMPTS = env_int("CONSOLIDATION_MAX_ATTEMPTS", 3)
CONSOLIDATION_REQUEUE_AFTER_SECONDS = env_int("CONSOLIDATION_REQUEUE_AFTER_SECONDS", 30)
CONSOLIDATION_TIME_LIMIT_SECONDS = env_int("CONSOLIDATION_TIME_LIMIT_SECONDS", CELERY_TASK_TIME_LIMIT)
CONSOLIDATION_SOFT_TIME_LIMIT_SECONDS = env_int("CONSOLIDATION_SOFT_TIME_LIMIT_SECONDS", CELERY_TASK_SOFT_TIME_LIMIT)
CONSOLIDATION_SWEEP_SECONDS = env_int("CONSOLIDATION_SWEEP_SECONDS", 10)
CONSOLIDATION_SWEEP_EXPIRES_SECONDS = env_int("CONSOLIDATION_SWEEP_EXPIRES_SECONDS", 10)
CONSOLIDATION_SWEEP_TIME_LIMIT_SECONDS = env_int("CONSOLIDATION_SWEEP_TIME_LIMIT_SECONDS", 120)
CONSOLIDATION_SWEEP_SOFT_TIME_LIMIT_SECONDS = env_int("CONSOLIDATION_SWEEP_SOFT_TIME_LIMIT_SECONDS", 100)
# The award documents' render (awards/services/documents.py): decisions, proposals, minutes.
AWARD_DOCUMENT_LEASE_SECONDS = env_int("AWARD_DOCUMENT_LEASE_SECONDS", 30)
AWARD_DOCUMENT_HEARTBEAT_SECONDS = env_int("AWARD_DOCUMENT_HEARTBEAT_SECONDS", 5)
AWARD_DOCUMENT_MAX_ATTEMPTS = env_int("AWARD_DOCUMENT_MAX_ATTEMPTS", 3)
AWARD_DOCUMENT_REQUEUE_AFTER_SECONDS = env_int("AWARD_DOCUMENT_REQUEUE_AFTER_SECONDS", 30)
AWARD_DOCUMENT_TIME_LIMIT_SECONDS = env_int("AWARD_DOCUMENT_TIME_LIMIT_SECONDS", CELERY_TASK_TIME_LIMIT)
AWARD_DOCUMENT_SOFT_TIME_LIMIT_SECONDS = env_int("AWARD_DOCUMENT_SOFT_TIME_LIMIT_SECONDS", CELERY_TASK_SOFT_TIME_LIMIT)
AWARD_DOCUMENT_SWEEP_SECONDS = env_int("AWARD_DOCUMENT_SWEEP_SECONDS", 10)
AWARD_DOCUMENT_SWEEP_EXPIRES_SECONDS = env_int("AWARD_DOCUMENT_SWEEP_EXPIRES_SECONDS", 10)
AWARD_DOCUMENT_SWEEP_TIME_LIMIT_SECONDS = env_int("AWARD_DOCUMENT_SWEEP_TIME_LIMIT_SECONDS", 120)
AWARD_DOCUMENT_SWEEP_SOFT_TIME_LIMIT_SECONDS = env_int("AWARD_DOCUMENT_SWEEP_SOFT_TIME_LIMIT_SECONDS", 100)
# The stored files of consolidated and unit reports (documents/stored.py): rendered once, served from storage.
DOCUMENT_RENDER_LEASE_SECONDS = env_int("DOCUMENT_RENDER_LEASE_SECONDS", 30)
DOCUMENT_RENDER_HEARTBEAT_SECONDS = env_int("DOCUMENT_RENDER_HEARTBEAT_SECONDS", 5)
DOCUMENT_RENDER_MAX_ATTEMPTS = env_int("DOCUMENT_RENDER_MAX_ATTEMPTS", 3)
DOCUMENT_RENDER_REQUEUE_AFTER_SECONDS = env_int("DOCUMENT_RENDER_REQUEUE_AFTER_SECONDS", 30)
DOCUMENT_RENDER_TIME_LIMIT_SECONDS = env_int("DOCUMENT_RENDER_TIME_LIMIT_SECONDS", CELERY_TASK_TIME_LIMIT)
DOCUMENT_RENDER_SOFT_TIME_LIMIT_SECONDS = env_int(
    "DOCUMENT_RENDER_SOFT_TIME_LIMIT_SECONDS", CELERY_TASK_SOFT_TIME_LIMIT
)
DOCUMENT_RENDER_SWEEP_SECONDS = env_int("DOCUMENT_RENDER_SWEEP_SECONDS", 10)
DOCUMENT_RENDER_SWEEP_EXPIRES_SECONDS = env_int("DOCUMENT_RENDER_SWEEP_EXPIRES_SECONDS", 10)
DOCUMENT_RENDER_SWEEP_TIME_LIMIT_SECONDS = env_int("DOCUMENT_RENDER_SWEEP_TIME_LIMIT_SECONDS", 120)
DOCUMENT_RENDER_SWEEP_SOFT_TIME_LIMIT_SECONDS = env_int("DOCUMENT_RENDER_SWEEP_SOFT_TIME_LIMIT_SECONDS", 100)
# Render processes for one long document's PDF (documents/parallel_pdf.py); 0: the cores this process may use.
DOCUMENTS_PDF_PROCESSES = env_int("DOCUMENTS_PDF_PROCESSES", 0)

# Issue 16 item 4 (the outbox): a request writes an outbox row instead of publishing (workflow/jobs.py); every
# worker's consumer publishes the rows every OUTBOX_SECONDS with OUTBOX_TIMEOUT_SECONDS socket and connect timeouts.
OUTBOX_SECONDS = env_int("OUTBOX_SECONDS", 1)
OUTBOX_TIMEOUT_SECONDS = env_int("OUTBOX_TIMEOUT_SECONDS", 1)

CELERY_BEAT_SCHEDULE = {
    "deadline-reminders": {"task": "reports.send_deadline_reminders", "schedule": crontab(hour=7, minute=30)},
    "registration-reminders": {
        "task": "emulation.send_registration_reminders",
        "schedule": crontab(hour=7, minute=40),
    },
    # Notifications whose e-mail task was lost (Redis down when they were written) go out late rather than never.
    "notification-emails-sweep": {"task": "notifications.sweep_emails", "schedule": crontab(minute="*/10")},
    # Jobs still queued (the broker was down) or whose worker died are published again.
    "consolidated-reports-sweep": {
        "task": "reports.sweep_consolidated_reports",
        "schedule": float(CONSOLIDATION_SWEEP_SECONDS),
    },
    "award-documents-sweep": {"task": "awards.sweep_award_documents", "schedule": float(AWARD_DOCUMENT_SWEEP_SECONDS)},
    "stored-documents-sweep": {
        "task": "documents.sweep_stored_files",
        "schedule": float(DOCUMENT_RENDER_SWEEP_SECONDS),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "loggers": {
        # Sign-ins, failed sign-ins and lockouts (ASVS V7): one line each, no passwords.
        "portal.security": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# The public pages (/cong-khai/): requests per client address (portal.client_ip), counted in a cache
# every web process shares (Redis when REDIS_URL is set). 0 turns a limit off.
PUBLIC_RATE_LIMIT_PAGES = env_int("PUBLIC_RATE_LIMIT_PAGES", 60)  # page views per minute
PUBLIC_RATE_LIMIT_COMMENTS = env_int("PUBLIC_RATE_LIMIT_COMMENTS", 5)  # comments sent per hour
PUBLIC_RATE_LIMIT_CACHE = "public_ratelimit"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # "Việc chờ tôi": each process keeps its last list per person with the database's change token
    # (overview/waiting.py, portal/db_changes.py): local memory, exact whatever the other processes do.
    "waiting": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "waiting",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
    PUBLIC_RATE_LIMIT_CACHE: (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "public-ratelimit",
            "OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 2},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "public-ratelimit"}
    ),
}

# --- Issue 16, item 2: health of every process (portal/health.py, portal/celery.py) ------------------------------
# Each Celery worker (a timer of its consumer) and beat (its scheduler's tick) write a heartbeat and a measure of the
# jobs that wait every HEALTH_HEARTBEAT_SECONDS into a cache every process shares: Redis when REDIS_URL is set;
# without it tasks run inline, there is no worker or beat, and /healthz/jobs says "inline". /healthz/jobs answers 503
# when a worker's or beat's heartbeat is missing or older than its limit; a worker cleanly stopped is no longer
# expected, one not heard of for HEALTH_FORGET_WORKER_SECONDS is forgotten. The office's pages say "Hệ thống xử lý
# nền đang chậm" when a job has waited longer than JOBS_SLOW_AFTER_SECONDS (or nothing measured the jobs that long).
HEALTH_CACHE = "health"
CACHES[HEALTH_CACHE] = (
    {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "health",
        "OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 2},
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "health"}
)
HEALTH_HEARTBEAT_SECONDS = env_int("HEALTH_HEARTBEAT_SECONDS", 15)
HEALTH_WORKER_MAX_AGE_SECONDS = env_int("HEALTH_WORKER_MAX_AGE_SECONDS", 60)
HEALTH_BEAT_MAX_AGE_SECONDS = env_int("HEALTH_BEAT_MAX_AGE_SECONDS", 60)
HEALTH_FORGET_WORKER_SECONDS = env_int("HEALTH_FORGET_WORKER_SECONDS", 3600)
JOBS_SLOW_AFTER_SECONDS = env_int("JOBS_SLOW_AFTER_SECONDS", 60)
TEMPLATES[0]["OPTIONS"]["context_processors"].append("portal.context_processors.jobs_banner")
# --- end of issue 16, item 2 ---------------------------------------------------------------------------------------

# --- Issue 16, item 8: caches, cookies, the embedded SQLite (portal/cache_control.py) ------------------------------
# Every response to a signed-in person and every file download says "Cache-Control: no-store, private"; the public
# pages (/cong-khai/) and the static files keep their own caching.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "portal.cache_control.PrivateCacheControlMiddleware",
)
# Over https the session and CSRF cookies carry the __Host- prefix: a browser keeps such a cookie only when it is
# Secure, for Path=/ and for this exact host (no Domain), so no other site of the domain and no plain-http page can
# plant or overwrite it. Over plain http (`make run`, DEBUG) a Secure cookie is never sent back: the names stay plain.
SESSION_COOKIE_NAME = "__Host-sessionid" if SESSION_COOKIE_SECURE else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if CSRF_COOKIE_SECURE else "csrftoken"
# The CSRF cookie ends with the browser session instead of living a year, and Django issues a new token at each
# sign-in. Pages never read it (HttpOnly): scripts take the token from <meta name="csrf-token"> or the form's field.
CSRF_COOKIE_AGE = None
# The embedded SQLite (`make run`, no DATABASE_URL): write-ahead log so readers never wait for the writer, writers
# queue for up to 20 s instead of failing at once, and every transaction takes the write lock when it begins
# (BEGIN IMMEDIATE), so two transactions that read and then write never deadlock into "database is locked".
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
# --- end of issue 16, item 8 ---------------------------------------------------------------------------------------

# --- Issue 16, item 1: backup and restore (portal/backup.py; `manage.py backup`, `manage.py restore`) -------------
# `manage.py backup` writes its archives into BACKUP_DIR unless told --to. With BACKUP_SCHEDULE set — a crontab of
# five fields in local time, minute hour day-of-month month day-of-week ("30 1 * * *": 01:30 every night) — beat asks
# a worker for a backup (task portal.scheduled_backup), which then keeps the BACKUP_KEEP newest archives of
# BACKUP_DIR and deletes older ones. The worker that takes it needs the private files' folder and pg_dump.
BACKUP_DIR = Path(os.environ.get("PORTAL_BACKUP_DIR", VAR_DIR / "backups"))
BACKUP_KEEP = env_int("PORTAL_BACKUP_KEEP", 14)
BACKUP_SCHEDULE = os.environ.get("PORTAL_BACKUP_SCHEDULE", "").strip()
if BACKUP_SCHEDULE:
    _backup_fields = BACKUP_SCHEDULE.split()
    if len(_backup_fields) != 5:
        raise ImproperlyConfigured(
            f"PORTAL_BACKUP_SCHEDULE must be a crontab of five fields (e.g. '30 1 * * *'); got {BACKUP_SCHEDULE!r}."
        )
    _minute, _hour, _day_of_month, _month, _day_of_week = _backup_fields
    CELERY_BEAT_SCHEDULE["scheduled-backup"] = {
        "task": "portal.scheduled_backup",
        "schedule": crontab(
            minute=_minute, hour=_hour, day_of_month=_day_of_month, month_of_year=_month, day_of_week=_day_of_week
        ),
    }
# --- end of issue 16, item 1 ---------------------------------------------------------------------------------------
