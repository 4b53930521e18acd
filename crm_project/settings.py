"""Settings, read from environment variables with working local defaults.

`DJANGO_ENV=production` switches on the hardened mode: it refuses to start without
`SECRET_KEY` and `ALLOWED_HOSTS`, and passes `manage.py check --deploy`.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from crm_project.core.queues import celery_queues

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


PRODUCTION = env("DJANGO_ENV", "development") == "production"

if PRODUCTION:
    for required in ("SECRET_KEY", "ALLOWED_HOSTS"):
        if not env(required):
            raise ImproperlyConfigured(
                f"{required} must be set when DJANGO_ENV=production. See the README's table of environment variables."
            )

SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz")
DEBUG = env_bool("DEBUG", not PRODUCTION)

# --- Where it serves, and its share of a Redis ----------------------------------------------
# HOST and PORT are what the Procfile binds to; the development hosts and the links in e-mails
# follow them, so `PORT=8765 make run` mails links to :8765. Behind a proxy, set SITE_URL.
HOST = env("HOST", "127.0.0.1")
PORT = env_int("PORT", 8000)
_LINK_HOST = "127.0.0.1" if HOST in {"", "0.0.0.0", "::"} else f"[{HOST}]" if ":" in HOST else HOST  # noqa: S104
SITE_URL = env("SITE_URL", f"http://{_LINK_HOST}:{PORT}")
# One name prefixes the cache keys, the broker's keys and the task queue, so installations
# sharing a Redis (or one Redis database) never read each other's keys or jobs.
REDIS_NAMESPACE = env("REDIS_NAMESPACE", "crm")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else f"127.0.0.1,localhost,[::1],testserver,{_LINK_HOST}")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # third party
    "axes",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "django_celery_beat",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # shared apps
    "crm_project.core",
    "crm_project.accounts",
    "crm_project.workdays",
    "crm_project.notifications",
    # business apps
    "customers",
    "expenses",
    "complaints",
    "suppliers",
    "tenants",
    # shared by customers and tenants, so after both (its demo data addresses them)
    "crm_project.surveys",
    # figures of every app above (each registers its blocks), so last
    "crm_project.dashboard",
]

MIDDLEWARE = [
    # django-prometheus' pair first and last, so the request metrics time the whole stack.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The request id, early, so every log line below carries it.
    "crm_project.core.observability.request_id.RequestIdMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below whitenoise, so static files keep their own caching and carry no policy.
    "crm_project.core.headers.NoStoreMiddleware",
    "crm_project.core.headers.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    # before the session lookup: a NUL in a cookie must not reach the database
    "crm_project.core.hostile_input.HostileInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "crm_project.accounts.middleware.UserLanguageMiddleware",
    "crm_project.accounts.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # axes last but for the metrics, as its documentation asks
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "crm_project.urls"
WSGI_APPLICATION = "crm_project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "crm_project.core.context_processors.shell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# Each process either keeps one persistent connection per thread (DB_CONN_MAX_AGE, checked
# before reuse) or, with DB_POOL_MAX_SIZE > 0, borrows from psycopg 3's pool for the length of a
# request (Django then requires CONN_MAX_AGE 0; the pool hands out connections it has not seen
# fail). Behind PgBouncer in transaction pooling (DB_PGBOUNCER=true) a transaction may land on
# another server connection, so server-side cursors (`.iterator()` reads) are switched off;
# prepared statements are off already (Django's default for psycopg 3).
DB_POOL_MAX_SIZE = env_int("DB_POOL_MAX_SIZE", 0)


def _database(url: str) -> dict:
    pooled = DB_POOL_MAX_SIZE > 0
    config = dj_database_url.parse(
        url,
        conn_max_age=0 if pooled else env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=not pooled,
        disable_server_side_cursors=env_bool("DB_PGBOUNCER", False),
    )
    if pooled:
        config.setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(env_int("DB_POOL_MIN_SIZE", 0), DB_POOL_MAX_SIZE),
            "max_size": DB_POOL_MAX_SIZE,
            "timeout": env_int("DB_POOL_TIMEOUT", 10),
        }
    return config


DATABASES = {"default": _database(env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/crm"))}
# A read-only replica (streaming replication) serves the dashboard and the reports, and only
# inside `reads_from_replica()` (crm_project/core/db_router.py); every write goes to default.
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {**_database(env("DATABASE_REPLICA_URL")), "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["crm_project.core.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", REDIS_NAMESPACE),
        # A Redis that is down or unreachable must cost a request a second, not hang it.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
    }
}

# --- Users, login, brute-force protection ------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:my_work"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lock a username only from the address that failed, so one address cannot lock everyone
# out and nobody can lock a colleague out from elsewhere. Behind a reverse proxy, set
# TRUSTED_PROXY_COUNT so the real client address is read from X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "crm_project.core.net.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Rate limits per client address (django-ratelimit; crm_project/core/ratelimits.py), as
# "count/period" with s, m, h or d and an optional multiplier ("30/15m"). "login" counts failed
# log-ins across all usernames, on the log-in pages and POST /api/v1/auth/token/, beside the
# per-username lock above. While Redis is down the same limits are counted in PostgreSQL.
RATE_LIMITS = {
    "complaint-public": env("COMPLAINT_PUBLIC_RATE", "5/h"),
    "survey-link": env("SURVEY_LINK_RATE", "60/h"),
    "signoff-link": env("SIGNOFF_LINK_RATE", "60/h"),
    "notice-link": env("NOTICE_LINK_RATE", "60/h"),
    "login": env("LOGIN_FAILURE_RATE", "30/15m"),
}
RATELIMIT_USE_CACHE = "default"
RATELIMIT_CACHE_PREFIX = "rl:"
# When the cache loses a counter between ADD and INCR (a window expiring), let that one through.
RATELIMIT_FAIL_OPEN = True

# --- Internationalisation --------------------------------------------------------------
LANGUAGE_CODE = env("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# End of the working day (下班), CAL-02.
WORKDAY_END = env("WORKDAY_END", "18:00")
WORKDAY_START = env("WORKDAY_START", "09:00")

# --- Static files ------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Without DEBUG (production, `make run`) pages link hashed, compressed files that
        # `collectstatic` wrote; the debug server serves the source folders as they change.
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded files go through Django's storage API: the local MEDIA_ROOT by default, S3-compatible
# object storage (MinIO, Aliyun OSS, AWS …) through django-storages when a bucket is configured.
# Either way no file has a public URL: downloads go through views that check access.
if env("S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL") or None,
            "region_name": env("S3_REGION") or None,
            "access_key": env("S3_ACCESS_KEY_ID") or None,
            "secret_key": env("S3_SECRET_ACCESS_KEY") or None,
            "location": env("S3_PREFIX", ""),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
# --- Files delivery: "django" streams every download; "nginx" answers a download of a file under
# MEDIA_ROOT with X-Accel-Redirect to nginx's internal /protected-media/ (crm_project/core/files.py),
# after the same access check. Files on object storage are streamed by Django in either mode.
FILE_DELIVERY = env("FILE_DELIVERY", "django")
if FILE_DELIVERY not in {"django", "nginx"}:
    raise ImproperlyConfigured(f"FILE_DELIVERY must be 'django' or 'nginx', not {FILE_DELIVERY!r}.")
# `manage.py backup` writes dated folders here; pg_dump/pg_restore of the server's major version
# are looked for in PG_BIN_DIR, then /usr/lib/postgresql/<major>/bin, then PATH.
BACKUP_DIR = Path(env("BACKUP_DIR", str(BASE_DIR / "backups")))
PG_BIN_DIR = env("PG_BIN_DIR", "")

# --- E-mail --------------------------------------------------------------------------------
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "crm@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# No SMTP conversation may outlast the outbox's claim on an e-mail (notifications/outbox.py).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
NOTIFICATION_EMAIL_MAX_ATTEMPTS = env_int("NOTIFICATION_EMAIL_MAX_ATTEMPTS", 6)
NOTIFICATION_EMAIL_CLAIM_SECONDS = env_int("NOTIFICATION_EMAIL_CLAIM_SECONDS", 600)

# --- Celery ----------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
# No results are kept, so nothing to clean up: no `celery.backend_cleanup` entry for beat to write.
CELERY_RESULT_EXPIRES = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# A job taken by a worker that died unacknowledged goes back on its queue after this many seconds
# (Redis has no acknowledgements of its own): longer than the longest job, an export's 22 minutes.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "global_keyprefix": f"{REDIS_NAMESPACE}:",
}
# Named queues, and which job goes on which: crm_project/core/queues.py, the one place.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = celery_queues()
CELERY_TASK_ROUTES = ("crm_project.core.queues.route_job",)
# Queueing a job from a request gives up within seconds when the broker is unreachable
# (crm_project.core.jobs.enqueue logs it; the periodic jobs catch up).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
# django-celery-beat's scheduler behind a lock, so a second beat waits (crm_project/core/beat.py);
# each job's last run is saved as soon as it is sent, for the beat that may take over.
CELERY_BEAT_SCHEDULER = "crm_project.core.beat:SingleBeatScheduler"
CELERY_BEAT_SYNC_EVERY = 1
DJANGO_CELERY_BEAT_TZ_AWARE = True

# --- Forms and lists -------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
LIST_PAGE_SIZE = env_int("LIST_PAGE_SIZE", 25)
# Lists count their rows exactly up to this many, then say "10,000+" (DSH-03) …
LIST_COUNT_CAP = env_int("LIST_COUNT_CAP", 10_000)
# … and from this page on, "Next" continues after the last row shown (keyset), not by OFFSET.
LIST_KEYSET_FROM_PAGE = env_int("LIST_KEYSET_FROM_PAGE", 20)
# An export of more rows than this is written by a worker, with a progress bar and a
# notification, instead of inside the request; its file is kept this many days.
EXPORT_BACKGROUND_ROWS = env_int("EXPORT_BACKGROUND_ROWS", 5_000)
EXPORT_KEEP_DAYS = env_int("EXPORT_KEEP_DAYS", 7)

# --- Bad input -------------------------------------------------------------------------------
# Any date typed in lies within these years; business months (statements, purchases, fee
# standards) start no earlier than MONTH_YEAR_MIN (crm_project/core/months.py).
INPUT_YEAR_MIN = env_int("INPUT_YEAR_MIN", 1900)
INPUT_YEAR_MAX = env_int("INPUT_YEAR_MAX", 2100)
MONTH_YEAR_MIN = env_int("MONTH_YEAR_MIN", 2000)
# A request body declared larger than this is refused with 413 before it is read (room for the
# largest Excel upload); form fields and JSON bodies are held to DATA_UPLOAD_MAX_MEMORY_SIZE.
REQUEST_MAX_BODY_MB = env_int("REQUEST_MAX_BODY_MB", env_int("IMPORT_MAX_UPLOAD_MB", 20) + 5)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
JSON_MAX_DEPTH = env_int("JSON_MAX_DEPTH", 32)

# Excel imports (CUS-12): from this many rows read, or a workbook unpacking to more than this,
# the check and the import run in the background; files over the limits are refused (the row
# limit counts blank rows too, the unpacked size is read from the zip before opening it).
IMPORT_BACKGROUND_THRESHOLD = env_int("IMPORT_BACKGROUND_THRESHOLD", 10_000)
IMPORT_BACKGROUND_UNPACKED_MB = env_int("IMPORT_BACKGROUND_UNPACKED_MB", 4)
IMPORT_MAX_UPLOAD_MB = env_int("IMPORT_MAX_UPLOAD_MB", 20)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 200_000)
IMPORT_MAX_UNPACKED_MB = env_int("IMPORT_MAX_UNPACKED_MB", 100)
# One purchase row (a customer, a product, a month) above these is refused as implausible
# by every way purchases come in (CUS-10, EXP-04): whole units and yuan.
PURCHASE_MAX_QUANTITY = env_int("PURCHASE_MAX_QUANTITY", 1_000_000)
PURCHASE_MAX_AMOUNT = env_int("PURCHASE_MAX_AMOUNT", 100_000_000)

# The repeat-complaint window of the report (CMP-05); the public form's limit is in RATE_LIMITS.
COMPLAINT_REPEAT_DAYS = env_int("COMPLAINT_REPEAT_DAYS", 90)

# --- Suppliers (SUP-04, SUP-07) ----------------------------------------------------------------
# The departments (codes) whose staff survey a candidate on site and must all sign.
SUPPLIER_SURVEY_DEPARTMENTS = env_list("SUPPLIER_SURVEY_DEPARTMENTS", "technical,design,quality")
# The code an active supplier gets: {year} and the year's gap-free {number}.
SUPPLIER_CODE_FORMAT = env("SUPPLIER_CODE_FORMAT", "SUP-{year}-{number:04d}")
SUPPLIER_DOCUMENT_MAX_MB = env_int("SUPPLIER_DOCUMENT_MAX_MB", 20)
# An unsigned on-site survey or an undecided application is reminded after this many working days.
SUPPLIER_REMINDER_WORKING_DAYS = env_int("SUPPLIER_REMINDER_WORKING_DAYS", 3)

# --- Tenant service desk (TEN-01 … TEN-04) ----------------------------------------------------
# The department that runs the desk; its head is the operations manager breaches go to (JOB-06).
TENANT_DESK_DEPARTMENT = env("TENANT_DESK_DEPARTMENT", "operations")
TENANT_LEASE_WARNING_DAYS = env_int("TENANT_LEASE_WARNING_DAYS", 90)
# TEN-05: the share of current tenants met face to face at tenant meetings each year (per cent).
TENANT_MEETING_ATTENDANCE_TARGET = env_int("TENANT_MEETING_ATTENDANCE_TARGET", 90)
# TEN-03: per category, the time to respond and to resolve, each "<n> <unit>" with the unit
# minutes, hours (on the clock: the hotline is 24 hours) or working days (the calendar, CAL-02);
# empty for no target.
TENANT_RESPONSE_STANDARDS = {
    "emergency": {
        "respond": env("TENANT_EMERGENCY_RESPOND", "15 minutes"),
        "resolve": env("TENANT_EMERGENCY_RESOLVE", "4 hours"),
    },
    "repair": {"respond": env("TENANT_REPAIR_RESPOND", "2 hours"), "resolve": env("TENANT_REPAIR_RESOLVE", "48 hours")},
    "complaint": {
        "respond": env("TENANT_COMPLAINT_RESPOND", "24 hours"),
        "resolve": env("TENANT_COMPLAINT_RESOLVE", "5 working days"),
    },
    "inquiry": {"respond": env("TENANT_INQUIRY_RESPOND", "24 hours"), "resolve": env("TENANT_INQUIRY_RESOLVE", "")},
    "suggestion": {
        "respond": env("TENANT_SUGGESTION_RESPOND", ""),
        "resolve": env("TENANT_SUGGESTION_RESOLVE", ""),
    },
}
# The department a new request of a category goes to at once ("repair:engineering,…"); others
# wait for the desk to assign them.
TENANT_DEFAULT_DEPARTMENTS = dict(
    pair.split(":", 1) for pair in env_list("TENANT_DEFAULT_DEPARTMENTS", "emergency:engineering,repair:engineering")
)
TENANT_RECORDING_RETENTION_DAYS = env_int("TENANT_RECORDING_RETENTION_DAYS", 30)
TENANT_RECORDING_MAX_MB = env_int("TENANT_RECORDING_MAX_MB", 20)
TENANT_PHOTO_MAX_MB = env_int("TENANT_PHOTO_MAX_MB", 10)
# The monthly fire-safety inspection (TEN-07, JOB-08): the checklist (code, English, Chinese),
# the rectification deadline in working days, and the safety department that inspects with
# operations (its head is told of overdue letters).
TENANT_FIRE_CHECK_ITEMS = [
    {"code": "extinguishers", "en": "Fire extinguishers present and in date", "zh": "灭火器齐全且在有效期内"},
    {"code": "exits_clear", "en": "Exits and escape routes clear", "zh": "安全出口及疏散通道畅通"},
    {"code": "wiring", "en": "Wiring and sockets safe, no overloaded strips", "zh": "电线插座安全，无超负荷接线"},
    {"code": "no_smoking_materials", "en": "No smoking materials or open flames", "zh": "无吸烟物品及明火"},
    {"code": "flammables", "en": "Flammable goods stored safely", "zh": "易燃物品存放规范"},
    {"code": "alarms_sprinklers", "en": "Smoke detectors and sprinklers unobstructed", "zh": "烟感及喷淋头无遮挡"},
    {"code": "emergency_lighting", "en": "Emergency lighting and exit signs working", "zh": "应急照明及疏散指示完好"},
]
TENANT_RECTIFICATION_WORKING_DAYS = env_int("TENANT_RECTIFICATION_WORKING_DAYS", 5)
TENANT_SAFETY_DEPARTMENT = env("TENANT_SAFETY_DEPARTMENT", "safety")
TENANT_FIRE_PHOTO_MAX_MB = env_int("TENANT_FIRE_PHOTO_MAX_MB", 10)
# Outgoing notices 对外发文 (TEN-06): how long a tenant's sign-for link works, and after how many
# working days without a signature the operations staff are reminded.
TENANT_NOTICE_LINK_DAYS = env_int("TENANT_NOTICE_LINK_DAYS", 30)
TENANT_NOTICE_REMINDER_WORKING_DAYS = env_int("TENANT_NOTICE_REMINDER_WORKING_DAYS", 3)
TENANT_NOTICE_SCAN_MAX_MB = env_int("TENANT_NOTICE_SCAN_MAX_MB", 20)
# TEN-08: the share of current tenants to visit each year, in per cent.
TENANT_VISIT_RATE_TARGET = env_int("TENANT_VISIT_RATE_TARGET", 100)

# --- REST API --------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous call gets 401 with a WWW-Authenticate header.
        "crm_project.accounts.tokens.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "crm_project.core.api.parsers.JSONParser",
        "crm_project.core.api.parsers.FormParser",
        "crm_project.core.api.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "crm_project.core.api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "crm_project.core.api.schema.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
}
# API tokens (ORG-02) expire this many days after they are issued.
API_TOKEN_TTL_DAYS = env_int("API_TOKEN_TTL_DAYS", 30)
SPECTACULAR_SETTINGS = {
    "TITLE": "Multi-department CRM API",
    "DESCRIPTION": "REST API v1. Authenticate with a session or `Authorization: Token <key>` "
    "(obtain one from POST /api/v1/auth/token/).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No badge from the public validator: the docs load nothing from outside (and the policy would block it).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for a choice set several fields share (a supplier's stage, its steps' from/to stages).
    "ENUM_NAME_OVERRIDES": {
        "SupplierStageEnum": "suppliers.models.suppliers.Stage",
        "ComplaintCategoryEnum": "complaints.models.complaints.ComplaintCategory",
        "ComplaintChannelEnum": "complaints.models.complaints.Channel",
        "TenantRequestCategoryEnum": "tenants.models.requests.Category",
        "TenantRequestChannelEnum": "tenants.models.requests.Channel",
        "TenantRequestStatusEnum": "tenants.models.requests.Status",
        "BulkNoticeKindEnum": "tenants.models.bulk.NoticeKind",
        "TenantVisitOutcomeEnum": "tenants.models.visits.VisitOutcome",
        "BudgetStatusEnum": "expenses.models.budgets.BudgetStatus",
        "ExpenseApprovalRoleEnum": "expenses.models.entertainment.ApprovalRole",
        "ExpenseApplicationStatusEnum": "expenses.models.entertainment.ApplicationStatus",
        "ExpenseClaimStatusEnum": "expenses.models.entertainment.ClaimStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "crm_project.core.api.schema.document_errors",
    ],
}

# --- Audit history -------------------------------------------------------------------------
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- Security ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "crm_project.core.error_pages.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Trust X-Forwarded-Proto only from a reverse proxy that is there (and overwrites it): without one
# any client could claim its plain-HTTP request was HTTPS.
if TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REFERRER_POLICY = "same-origin"
    # /healthz is probed over plain HTTP by load balancers, /metrics scraped by Prometheus.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]

# Content-Security-Policy (django-csp): scripts and styles only from our own static files, no
# inline script or event handler; a page that cannot do without an inline block (the API docs)
# marks it with `request.csp_nonce`. data: images are Bootstrap's SVG icons in its CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# Browser features the CRM never uses, switched off for every page (Permissions-Policy).
PERMISSIONS_POLICY_DISABLED = [
    "accelerometer",
    "autoplay",
    "bluetooth",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
]

# --- Observability ---------------------------------------------------------------------------
# crm_project/core/observability/. Every log line, of web, worker and beat alike, carries the
# request id (X-Request-ID from nginx, or made here; sent back in the response, and handed to the
# jobs a request queues) and, inside a job, the job's id and name.
# LOG_FORMAT: "json" (one object a line, for a log collector; the default in production) or
# "text" (the default otherwise). LOG_LEVEL: the root logger's level (INFO); it applies to Celery
# too, whose own --loglevel is then not used.
LOG_FORMAT = env("LOG_FORMAT", "json" if PRODUCTION else "text")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f'LOG_FORMAT must be "json" or "text", not {LOG_FORMAT!r}.')
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "crm_project.core.observability.logs.ContextFilter"}},
    "formatters": {
        "json": {"()": "crm_project.core.observability.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s%(log_context)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["context"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's records and warnings go to the root handler only, once, in the format above.
        "django": {"handlers": [], "level": "INFO"},
        "py.warnings": {"handlers": []},
        "django.db.backends": {"level": "WARNING"},
    },
}
# SENTRY_DSN: report errors (web, worker, beat) to Sentry or a compatible service (GlitchTip);
# nothing is sent without it. SENTRY_ENVIRONMENT (default DJANGO_ENV), SENTRY_RELEASE (default:
# what the SDK finds, e.g. the git commit), SENTRY_TRACES_SAMPLE_RATE (0 to 1, default 0: no
# performance tracing).
if env("SENTRY_DSN"):
    from crm_project.core.observability.sentry import sentry_init

    try:
        _traces_sample_rate = float(env("SENTRY_TRACES_SAMPLE_RATE", "0"))
    except ValueError:
        _traces_sample_rate = -1.0
    if not 0 <= _traces_sample_rate <= 1:
        raise ImproperlyConfigured("SENTRY_TRACES_SAMPLE_RATE must be a number from 0 to 1.")
    sentry_init(
        dsn=env("SENTRY_DSN"),
        environment=env("SENTRY_ENVIRONMENT", env("DJANGO_ENV", "development")),
        release=env("SENTRY_RELEASE"),
        traces_sample_rate=_traces_sample_rate,
    )
# Prometheus scrapes GET /metrics: requests and their latency (django-prometheus' middlewares),
# database time (its PostgreSQL backend, below), queue lengths and job outcomes (read from the
# broker's Redis), the beat's and the e-mail outbox's ages. METRICS_TOKEN: when set, a scrape
# must send `Authorization: Bearer <token>`; without it only this machine may scrape (a request
# that came through a proxy is refused). PROMETHEUS_MULTIPROC_DIR (read by prometheus_client):
# an empty folder, cleared at each start, for gunicorn with several worker processes.
METRICS_TOKEN = env("METRICS_TOKEN", "")
for _alias in DATABASES.values():
    if _alias["ENGINE"] == "django.db.backends.postgresql":
        _alias["ENGINE"] = "django_prometheus.db.backends.postgresql"
# /healthz warns ("beat", "email"; its status stays 200) when the beat last ticked more than
# HEALTH_BEAT_MAX_AGE seconds ago, or the oldest unsent e-mail is older than HEALTH_EMAIL_MAX_AGE.
HEALTH_BEAT_MAX_AGE = env_int("HEALTH_BEAT_MAX_AGE", 120)
HEALTH_EMAIL_MAX_AGE = env_int("HEALTH_EMAIL_MAX_AGE", 900)
