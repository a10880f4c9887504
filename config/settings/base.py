"""Every setting lives here; local, test and production override only what differs."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    env.read_env(str(BASE_DIR / ".env"))

# --- Core -------------------------------------------------------------------------------------

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "config.apps.OrderDeskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "orders",
    "flags",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the request (in the client's language): a body over the limit is a 413, a NUL in
    # the query string a 400.
    "orders.request_limits.RequestLimitsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "orders.api.errors.ApiJsonErrorsMiddleware",
    # Last: it turns a login refused for too many failures into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy on every response (django-csp). No inline script anywhere: the admin's, the API
# docs' and the buyer page's scripts are files. <style> elements carry the request's nonce
# ({{ request.csp_nonce }}); style="" attributes, layout only in our templates, stay allowed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with plain VALUES for small bulk inserts (config/postgresql/compiler.py).
    DATABASES["default"]["ENGINE"] = "config.postgresql"
    # PostgreSQL's JIT compiles the plan of any query it deems costly (abnormal orders, admin counts over a
    # million rows): tens of milliseconds per query, for queries that run in a few. Off for this OLTP load.
    # Sent as a startup parameter, which PgBouncer refuses: there DATABASE_JIT is empty (nothing sent) and
    # the database carries it (ALTER DATABASE … SET jit = off; README "Running it for real").
    DATABASES["default"].setdefault("OPTIONS", {})
    if _jit := env("DATABASE_JIT", default="off"):
        DATABASES["default"]["OPTIONS"].setdefault("options", f"-c jit={_jit}")
    # Parameters bound by the server, not quoted in Python: intake's bulk inserts send arrays of values,
    # which psycopg's client-side quoting spent a quarter of the request's CPU on (bench/README.md).
    DATABASES["default"]["OPTIONS"].setdefault(
        "server_side_binding", env.bool("DATABASE_SERVER_SIDE_BINDING", default=True)
    )
    # Intake's hot statements are prepared on their connection (orders/raw_sql.py); off behind a pooler in
    # transaction mode that cannot carry prepared statements (README "Running it for real": PgBouncer).
    DATABASES["default"]["OPTIONS"].setdefault("prepare_marked", env.bool("DATABASE_PREPARED_STATEMENTS", default=True))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo runs several threads (runserver) against one file; wait rather than fail.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth ---------------------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# django-axes counts failed logins (the admin's and the token endpoint's) per username and client address
# and refuses that pair for a while after too many; it reads the address by the rule below.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env.int("ORDERDESK_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("ORDERDESK_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "orders.client_address.client_address"
AXES_LOCKOUT_CALLABLE = "orders.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429

# --- Internationalisation -------------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- REST framework ---------------------------------------------------------------------------------

# How many proxies in front of gunicorn append to X-Forwarded-For. 0: the header is ignored and the client
# is the socket's peer; n: the n-th address from the right. One rule for the throttles and the admin's
# lockout (orders/client_address.py).
TRUSTED_PROXIES = env.int("ORDERDESK_TRUSTED_PROXIES", default=0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "orders.api.authentication.ApiTokenAuthentication",
        "orders.api.authentication.StaffSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["orders.api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "orders.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_RATES": {
        "token": env("TOKEN_THROTTLE_RATE", default="20/min"),
        "token_username": env("TOKEN_USERNAME_THROTTLE_RATE", default="10/min"),
    },
    # DRF's own reading of X-Forwarded-For, for any throttle that uses it, follows the same setting.
    "NUM_PROXIES": TRUSTED_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OrderDesk API",
    "DESCRIPTION": "Order intake, confirmation checks, colour flags, edits and messages for online shops.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Cases share field names (kind, status) with orders and messages: their enums get their own names.
    "ENUM_NAME_OVERRIDES": {
        "CaseKindEnum": "orders.models.cases.CaseKind",
        "CaseStatusEnum": "orders.models.cases.CaseStatus",
        "CaseWorkingStatusEnum": "orders.models.cases.CASE_WORKING_STATUS_CHOICES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "orders.api.schema.postprocess_schema",
    ],
}

# --- Redis and Celery ---------------------------------------------------------------------------------

REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged only once it finished, and put back when its worker dies mid-way.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Must exceed the longest countdown/ETA we ever publish (ORDERDESK["MESSAGE_RETRY_BACKOFF_MAX"]),
# or Redis re-delivers early. Reminders due in days are outbox rows, never countdowns.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Celery's Django fixup closes the database connection before and after every task unless this is set:
# one new PostgreSQL connection per task (30 of a message's 40 ms on the bench machine). Set out of the
# way; config/celery_app.py applies Django's own policy (CONN_MAX_AGE, health checks) around each task.
CELERY_DB_REUSE_MAX = 1_000_000
# The outbox's periodic work. Each run expires after one period, so runs missed while no worker
# was up do not pile up in the queue.
_BEAT_PERIOD = timedelta(seconds=env.int("ORDERDESK_BEAT_SECONDS", default=60))
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "return-reminders-send-due": {
        "task": "orders.tasks.return_reminders_send_due",
        "schedule": _BEAT_PERIOD,
        "options": {"expires": _BEAT_PERIOD.total_seconds()},
    },
    "messages-sweep": {
        "task": "orders.tasks.messages_sweep",
        "schedule": _BEAT_PERIOD,
        "options": {"expires": _BEAT_PERIOD.total_seconds()},
    },
    "holds-release-due": {
        "task": "orders.tasks.holds_release_due",
        "schedule": _BEAT_PERIOD,
        "options": {"expires": _BEAT_PERIOD.total_seconds()},
    },
    "payment-reminders-queue-due": {
        "task": "orders.tasks.payment_reminders_queue_due",
        "schedule": _BEAT_PERIOD,
        "options": {"expires": _BEAT_PERIOD.total_seconds()},
    },
    "idempotency-keys-purge": {
        "task": "orders.tasks.idempotency_keys_purge",
        "schedule": timedelta(hours=1),
        "options": {"expires": 3600},
    },
}

# --- Cache ----------------------------------------------------------------------------------------------

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Mail -----------------------------------------------------------------------------------------------

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="orders@example.com")

# --- The service ------------------------------------------------------------------------------------------

ORDERDESK = {
    "CURRENCY": env("ORDERDESK_CURRENCY", default="CNY"),
    # Idempotency-Key records are kept at least this long (IETF draft: the server decides).
    "IDEMPOTENCY_KEY_TTL": timedelta(hours=env.int("ORDERDESK_IDEMPOTENCY_TTL_HOURS", default=48)),
    # Staff API tokens expire; storefront tokens live until revoked.
    "STAFF_TOKEN_TTL": timedelta(days=env.int("ORDERDESK_STAFF_TOKEN_TTL_DAYS", default=30)),
    "PHONE_DEFAULT_REGION": "CN",
    # Intake remembers the catalogue for this long per process (0: always read it); orders/catalogue_cache.py.
    "CATALOGUE_CACHE_SECONDS": env.float("ORDERDESK_CATALOGUE_CACHE_SECONDS", default=5.0),
    # Buyer messages (orders.messaging): the first channel in this order that is configured and
    # reaches the buyer (an e-mail address, a mobile number, a marketplace chat id) carries them.
    "MESSAGE_CHANNEL_PREFERENCE": env.list("ORDERDESK_MESSAGE_CHANNEL_PREFERENCE", default=["sms", "email", "chat"]),
    # Attempts per message (the first send included), then it is marked failed for an agent to retry.
    "MESSAGE_MAX_ATTEMPTS": env.int("ORDERDESK_MESSAGE_MAX_ATTEMPTS", default=5),
    # Backoff between attempts: doubles from the first value up to the maximum.
    "MESSAGE_RETRY_BACKOFF": timedelta(seconds=env.int("ORDERDESK_MESSAGE_RETRY_BACKOFF_SECONDS", default=30)),
    "MESSAGE_RETRY_BACKOFF_MAX": timedelta(seconds=env.int("ORDERDESK_MESSAGE_RETRY_BACKOFF_MAX_SECONDS", default=900)),
    # How long a worker's claim on a message holds: longer than any channel's timeout. Past it the
    # worker is presumed dead and the sweeper hands the message to another one.
    "MESSAGE_LEASE": timedelta(seconds=env.int("ORDERDESK_MESSAGE_LEASE_SECONDS", default=300)),
}

# Which backend serves each message channel (orders.messaging.channels); None: not in use. Without a
# gateway URL, SMS prints to the console, so the demo "sends" without leaving the machine; chat is off.


def _webhook_channel(name: str) -> dict | None:
    """SMS or chat through the shop's HTTP gateway, when ORDERDESK_<NAME>_WEBHOOK_URL is set."""
    url = env(f"ORDERDESK_{name}_WEBHOOK_URL", default="")
    if not url:
        return None
    return {
        "BACKEND": "orders.messaging.channels.WebhookChannel",
        "OPTIONS": {
            "url": url,
            "secret": env(f"ORDERDESK_{name}_WEBHOOK_SECRET", default=""),
            "timeout": env.float(f"ORDERDESK_{name}_WEBHOOK_TIMEOUT", default=10.0),
        },
    }


ORDERDESK_MESSAGE_CHANNELS: dict[str, dict | None] = {
    "email": {"BACKEND": "orders.messaging.channels.EmailChannel"},
    "sms": _webhook_channel("SMS") or {"BACKEND": "orders.messaging.channels.ConsoleChannel"},
    "chat": _webhook_channel("CHAT"),
}

# --- Logging ------------------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_pii": {"()": "orders.logging.MaskPIIFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["mask_pii"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # django-axes says INFO at every start and every failed login; its warnings (lockouts) stay.
        "axes": {"level": "WARNING"},
    },
}
