"""
Settings for housingmix: one module, every deployment difference read from the
environment (see README.md, "Configuration"). Only this module calls env().
"""

import os
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core -------------------------------------------------------------------
SECRET_KEY = env(
    "DJANGO_SECRET_KEY",
    default="insecure-development-key-change-me-in-production-0123456789",
)
DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Keys of the special-category fields (core.encryption), comma separated, newest first; empty:
# a key derived from SECRET_KEY (development and tests only; ``check --deploy`` refuses it).
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_ID = 1

INSTALLED_APPS = [
    "housingmix.core.admin_apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    # The site record (domain from SITE_URL, core.sites) signs allauth's e-mails and the sitemap.
    "django.contrib.sites",
    # Third party
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "bootstrap_italia_template",
    "allauth",
    "allauth.account",
    "axes",
    "csp",
    "auditlog",
    "rules.apps.AutodiscoverRulesConfig",
    "django_fsm",
    # Two-factor authentication for the accounts that read others' data (accounts.two_factor).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # SPID/CIE OpenID Connect Federation (spid-cie-oidc): entity statements, trust chains
    # and the relying party's authorisation records.
    "spid_cie_oidc.entity",
    "spid_cie_oidc.relying_party",
    # Project
    "housingmix.core",
    "housingmix.accounts",
    "housingmix.territory",
    "housingmix.notices",
    "housingmix.identity",
    "housingmix.portal",
    "properties",
    "applications",
    "projects",
    "beneficiaries",
    "demo",
]

MIDDLEWARE = [
    # First: every later layer (axes, allauth's rate limits, auditlog) reads REMOTE_ADDR.
    "housingmix.core.middleware.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # django-csp's, with the policy text built once (core.middleware).
    "housingmix.core.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(); then back-office and review URLs ask for the second factor.
    "housingmix.accounts.two_factor.OTPMiddleware",
    "housingmix.accounts.two_factor.TwoFactorMiddleware",
    # Pages for logged-in users, and pages that do not say otherwise, are private, no-store.
    "housingmix.core.middleware.CacheControlMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # django-auditlog's actor, read only when a change is logged (no query on a request that writes nothing).
    "housingmix.core.middleware.LazyAuditlogMiddleware",
    # A dropped database connection in a view: a 503 page, and the connection closed.
    "housingmix.core.middleware.DatabaseUnavailableMiddleware",
    # Axes must come last: it turns a lockout raised by the backend into a page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "housingmix.urls"
WSGI_APPLICATION = "housingmix.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        # No "loaders" key: Django then wraps the loaders in the cached loader.
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "housingmix.core.context_processors.portal",
                "housingmix.portal.context_processors.portal_model",
            ],
        },
    },
]

# Widgets, error lists and form layouts: Django's Jinja2 edition of its own templates, several
# times faster than the Django-template one (same markup; housingmix/core/form_renderer.py).
FORM_RENDERER = "housingmix.core.form_renderer.WidgetRenderer"

# --- Database ---------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
# Persistent connections: opening one costs more than most pages' own queries (a new backend
# process on PostgreSQL). A connection broken meanwhile (database restart, idle timeout) is
# noticed by the health check at the start of the next request and reopened, never a 500.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DJANGO_CONN_HEALTH_CHECKS", default=True)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file-backed test database lets a real Celery worker process share it; the process
    # id keeps two test runs on one machine apart.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = env(
        "DJANGO_SQLITE_TEST_NAME", default=str(BASE_DIR / "test-artifacts" / ("test-db-%d.sqlite3" % os.getpid()))
    )
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # Take the write lock when a transaction begins: two submissions then queue up
    # instead of both reading "draft" (SQLite ignores SELECT ... FOR UPDATE).
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------
REDIS_CACHE_URL = env("REDIS_CACHE_URL", default="")
# The page chrome's rendered pieces (housingmix/core/fragments.py), per process in any setup: they
# hold nothing private and their keys carry what they show (language, the Ambito's contacts).
FRAGMENT_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "TIMEOUT": 3600,
    "OPTIONS": {"MAX_ENTRIES": 1000},
}


def redis_cache(url: str) -> dict:
    """CACHES for a Redis at ``url``; the outage tests build theirs with it too."""
    return {
        "fragments": FRAGMENT_CACHE,
        "default": {
            # django-redis whose add() fails open on an outage (see housingmix/core/cache.py).
            "BACKEND": "housingmix.core.cache.PortalRedisCache",
            "LOCATION": url,
            "OPTIONS": {
                # A cache outage must degrade to uncached pages, never to a 500 or a 429.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
            "KEY_PREFIX": "housingmix",
        },
    }


if REDIS_CACHE_URL:
    CACHES = redis_cache(REDIS_CACHE_URL)
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, "fragments": FRAGMENT_CACHE}
# Sessions: read from the cache (no query on a hit) when the cache is shared by every worker,
# i.e. Redis; written to the database as well, so a Redis outage (IGNORE_EXCEPTIONS) falls back
# to the database and logs nobody out. A per-process LocMem cache cannot hold them: a session
# ended in one worker would live on in another's copy.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if REDIS_CACHE_URL else "django.contrib.sessions.backends.db"
)
# A user's role names kept in the shared cache (housingmix/accounts/role_cache.py); 0 turns it off,
# and it is off without Redis (a per-process cache could not forget a revoked role elsewhere).
ROLE_CACHE_SECONDS = env.int("ROLE_CACHE_SECONDS", default=60 if REDIS_CACHE_URL else 0)
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=600)

# --- Authentication ---------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "rules.permissions.ObjectPermissionBackend",
    "housingmix.accounts.backends.AuthenticationBackend",
]
# Django's checks with the portal's own (Italian, translated) messages: housingmix/accounts/validators.py.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "housingmix.accounts.validators.UserAttributeSimilarityValidator"},
    {"NAME": "housingmix.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "housingmix.accounts.validators.CommonPasswordValidator"},
    {"NAME": "housingmix.accounts.validators.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# The name the authenticator app shows next to the code.
OTP_TOTP_ISSUER = "Housing Mix"
LOGIN_REDIRECT_URL = "accounts:area"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_SIGNUP_FORM_CLASS = "housingmix.accounts.forms.SignupForm"
# The accounts adapter, plus the end of the SPID/CIE provider session at logout.
ACCOUNT_ADAPTER = "housingmix.identity.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Housing Mix] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("DJANGO_HTTP_PROTOCOL", default="http")
ACCOUNT_SESSION_REMEMBER = False
# Failed logins are counted by django-axes (one authority, one message).
ACCOUNT_RATE_LIMITS = {"login_failed": False}

AXES_HANDLER = "housingmix.accounts.lockout.LockoutHandler"
# An account is locked for one client address after AXES_FAILURE_LIMIT failures from it, so a
# stranger's wrong passwords never lock its holder out at their own address; one address is
# throttled after AXES_ADDRESS_FAILURE_LIMIT failures across all usernames (password spraying).
# That limit is higher: the offices of 60 comuni reach the portal through a few shared NAT
# addresses, and one colleague's typos must not shut out the whole office.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_USERNAME_CALLABLE = "housingmix.accounts.lockout.username_from_request"
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_CLIENT_STR_CALLABLE = "housingmix.accounts.lockout.client_str"
# The e-mail typed at a failed login is personal data: keep it out of the logs.
AXES_SENSITIVE_PARAMETERS = ["password", "email", "login", "username"]

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italiano")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["housingmix.formats"]

# --- Static and media -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"  # never routed: files are served by permission-checking views
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "housingmix.core.storage.StaticStorage"},
}
WHITENOISE_MAX_AGE = 3600
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# Limit for each file an offerer attaches to a manifestation of interest.
APPLICATION_UPLOAD_MAX_BYTES = env.int("APPLICATION_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)

# --- E-mail -----------------------------------------------------------------
# Development prints e-mails readably (attachments by name and size); production sets SMTP.
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="housingmix.core.mail_console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Housing Mix <noreply@housingmix.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -----------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
# Without a broker (a fresh clone), tasks run in-process.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
if not CELERY_BROKER_URL and CELERY_TASK_ALWAYS_EAGER:
    # Eager tasks still borrow a producer from the pool (nothing is published); with no URL kombu
    # builds an AMQP one and warns "No hostname was supplied" at start-up. The in-process memory
    # transport, given a host name so that it does not warn the same way, is never contacted.
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = False
# The queue tasks are sent to (and the worker reads with ``-Q``); one per deployment sharing a Redis.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing from a web request must fail fast when the broker is down: the
# outbox sweep (notices.tasks.document_jobs_sweep_task) re-sends later.
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_BEAT_SCHEDULE = {
    # The one outbox sweep: every kind of deferred work (PDFs, e-mails, exports) still pending.
    "core-outbox-sweep": {
        "task": "housingmix.core.outbox.tasks.outbox_sweep_task",
        "schedule": 60.0,
    },
    "core-housekeeping": {
        "task": "housingmix.core.tasks.housekeeping_task",
        "schedule": 3600.0,
    },
    "notices-close-expired": {
        "task": "housingmix.notices.tasks.notices_close_expired_task",
        "schedule": 300.0,
    },
}

# --- Security ---------------------------------------------------------------
# Behind the reverse proxy, X-Forwarded-Proto and the address the proxy appends to
# X-Forwarded-For are trusted (DJANGO_TRUSTED_PROXY_COUNT proxies in a row, nginx's
# $proxy_add_x_forwarded_for); otherwise X-Forwarded-For is dropped (core.middleware).
BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=False)
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=1) if BEHIND_PROXY else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "housingmix.core.views.csrf_failure"
# Browser features the portal never uses are off for it and for anything it might embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "otp-credentials",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "serial",
        "usb",
        "window-management",
        "xr-spatial-tracking",
    )
}
# The browser's own PDF viewer offers full screen for the portal's documents.
PERMISSIONS_POLICY["fullscreen"] = ["self"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Forms and UI -----------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Audit ------------------------------------------------------------------
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False
# No correlation id from a request header in the audit log: X-Correlation-ID is text anyone can
# send, and reading it built the request's header map on every request.
AUDITLOG_CID_HEADER = None

# --- Logging: no personal data, ever -----------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"no_tokens": {"()": "housingmix.identity.logging.RedactTokensFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["no_tokens"]}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request logs would carry URLs and form data of failed requests.
        "django.request": {"level": "ERROR", "propagate": True},
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        # Uploaded PDFs are read for active content; pypdf warns about every quirk of a file.
        "pypdf": {"level": "ERROR"},
        # spid-cie-oidc logs tokens, request objects and user attributes at DEBUG and INFO
        # (e.g. rp_callback: logger.debug(decoded_id_token)); the portal's identity views
        # do not use those code paths, and the filter below redacts any JWT that would still
        # reach a handler.
        "spid_cie_oidc": {"level": "WARNING"},
    },
}

# --- Portal -----------------------------------------------------------------
PORTAL_AMBITO_CODE = env("PORTAL_AMBITO_CODE", default="lodi")
# Minimum days between opening and deadline: 15 days on the Albo pretorio, 20 for co-design calls.
NOTICE_MIN_OPEN_DAYS = {"interest": 15, "codesign": 20, "other": 15}

# --- Review (istruttoria) ---------------------------------------------------------
# Minimum surface per occupant (health ministry decree of 5 July 1975, art. 2): m² for one
# person, for two, and for each further person.
REVIEW_SURFACE_PER_OCCUPANT = tuple(env.list("REVIEW_SURFACE_PER_OCCUPANT", cast=int, default=[28, 38, 10]))
# Soccorso istruttorio: days the offerer has to answer, counted in business days (Italian
# public holidays and weekends skipped) unless REVIEW_INFO_REQUEST_BUSINESS_DAYS is false.
REVIEW_INFO_REQUEST_DAYS = env.int("REVIEW_INFO_REQUEST_DAYS", default=10)
REVIEW_INFO_REQUEST_BUSINESS_DAYS = env.bool("REVIEW_INFO_REQUEST_BUSINESS_DAYS", default=True)
# Preavviso di diniego (L. 241/1990 art. 10-bis): ten calendar days to reply.
REVIEW_REFUSAL_REPLY_DAYS = env.int("REVIEW_REFUSAL_REPLY_DAYS", default=10)
CELERY_BEAT_SCHEDULE["applications-info-requests-overdue"] = {
    "task": "applications.tasks.info_requests_remind_overdue_task",
    "schedule": 3600.0,
}

# --- Beneficiaries (beneficiaries/) -----------------------------------------------------------
# Days after a household's plan ends before its personal data is pseudonymised (the aggregates stay).
BENEFICIARIES_RETENTION_DAYS = env.int("BENEFICIARIES_RETENTION_DAYS", default=3650)
# The open-data page hides every group smaller than this (and what would reveal it).
BENEFICIARIES_OPEN_DATA_MIN_CELL = env.int("BENEFICIARIES_OPEN_DATA_MIN_CELL", default=5)
# Reminders (contract registration, reviews, follow-ups) and pseudonymisation: every six hours.
CELERY_BEAT_SCHEDULE.update(
    {
        "beneficiaries-registrations-remind": {
            "task": "beneficiaries.tasks.registrations_remind_task",
            "schedule": 6 * 3600.0,
        },
        "beneficiaries-reviews-remind": {"task": "beneficiaries.tasks.reviews_remind_task", "schedule": 6 * 3600.0},
        "beneficiaries-follow-ups-remind": {
            "task": "beneficiaries.tasks.follow_ups_remind_task",
            "schedule": 6 * 3600.0,
        },
        "beneficiaries-pseudonymise": {
            "task": "beneficiaries.tasks.households_pseudonymise_task",
            "schedule": 6 * 3600.0,
        },
    }
)

# Outbox: attempts of a job before it is marked failed (shown in the back office, "retry").
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
# Days the body of a sent e-mail is kept (the portal's pages keep the communications themselves).
EMAIL_RETENTION_DAYS = env.int("EMAIL_RETENTION_DAYS", default=30)

# Exports: up to this many rows are sent at once; larger ones are built by the worker.
EXPORT_SYNC_MAX_ROWS = env.int("EXPORT_SYNC_MAX_ROWS", default=1000)
# Days an export file (personal data) is kept for its requester before deletion.
EXPORT_RETENTION_DAYS = env.int("EXPORT_RETENTION_DAYS", default=7)

# --- SPID and CIE (housingmix/identity; README "Login with SPID and CIE") -------------
from housingmix.identity.conf import federation_settings  # noqa: E402  (pure, no Django)

# The local test federation (trust anchor + SPID and CIE providers with demo identities,
# started by `make run`). Never in production: a deploy check fails while it is on.
SPID_CIE_TEST_FEDERATION = env.bool("SPID_CIE_TEST_FEDERATION", default=False)
SPID_CIE_TESTFED_DIR = Path(env("SPID_CIE_TESTFED_DIR", default=str(BASE_DIR / "var" / "testfed")))
SPID_CIE_TESTFED_SPID_URL = env("SPID_CIE_TESTFED_SPID_URL", default="http://127.0.0.1:8010")
SPID_CIE_TESTFED_CIE_URL = env("SPID_CIE_TESTFED_CIE_URL", default="http://127.0.0.1:8011")
# The portal's entity id in the federations; its Entity Configuration is served at
# <entity id>.well-known/openid-federation.
SPID_CIE_RP_ENTITY_ID = env("SPID_CIE_RP_ENTITY_ID", default=SITE_URL + "/")
SPID_CIE_RP_ORGANIZATION_NAME = env("SPID_CIE_RP_ORGANIZATION_NAME", default="Housing Mix")
SPID_CIE_RP_CONTACTS = env.list("SPID_CIE_RP_CONTACTS", default=[])
# Private keys (JSON lists of JWKs): federation keys sign the Entity Configuration, core
# keys sign requests and decrypt the userinfo. Read by `manage.py identity_rp_configure`.
SPID_CIE_RP_JWKS_FED_FILE = env("SPID_CIE_RP_JWKS_FED_FILE", default="")
SPID_CIE_RP_JWKS_CORE_FILE = env("SPID_CIE_RP_JWKS_CORE_FILE", default="")
SPID_CIE_RP_JWKS_FED = env("SPID_CIE_RP_JWKS_FED", default="")
SPID_CIE_RP_JWKS_CORE = env("SPID_CIE_RP_JWKS_CORE", default="")
SPID_CIE_RP_TRUST_MARKS_FILE = env("SPID_CIE_RP_TRUST_MARKS_FILE", default="")
SPID_CIE_SPID_TRUST_ANCHOR = env("SPID_CIE_SPID_TRUST_ANCHOR", default="")
SPID_CIE_CIE_TRUST_ANCHOR = env("SPID_CIE_CIE_TRUST_ANCHOR", default="")
# [{"id": "<OP entity id>", "name": "<name shown in the list>"}, ...]
SPID_CIE_SPID_PROVIDERS = env.json("SPID_CIE_SPID_PROVIDERS", default=[])
SPID_CIE_CIE_PROVIDER_ID = env("SPID_CIE_CIE_PROVIDER_ID", default="")
# Minutes a started login may take before its state is refused.
SPID_CIE_LOGIN_MAX_AGE_MINUTES = env.int("SPID_CIE_LOGIN_MAX_AGE_MINUTES", default=10)
globals().update(
    federation_settings(
        test_federation=SPID_CIE_TEST_FEDERATION,
        testfed_spid_url=SPID_CIE_TESTFED_SPID_URL,
        testfed_cie_url=SPID_CIE_TESTFED_CIE_URL,
        spid_trust_anchor=SPID_CIE_SPID_TRUST_ANCHOR,
        cie_trust_anchor=SPID_CIE_CIE_TRUST_ANCHOR,
        spid_providers=SPID_CIE_SPID_PROVIDERS,
        cie_provider=({"id": SPID_CIE_CIE_PROVIDER_ID, "name": "CIE"} if SPID_CIE_CIE_PROVIDER_ID else None),
        http_timeout=env.int("SPID_CIE_HTTP_TIMEOUT", default=8),
    )
)
# --- Municipal model (Designers Italia) -------------------------------------------
# The accessibility statement published on AgID's form (https://form.agid.gov.it/view/<uuid>);
# empty: the footer links to the portal's own page, which keeps the statement's text.
ACCESSIBILITY_STATEMENT_URL = env("ACCESSIBILITY_STATEMENT_URL", default="")
# Page-clarity ratings and appointment requests accepted per client in an hour; the client is
# known only by a keyed hash of its address, kept in the cache for the hour and never stored.
FEEDBACK_RATE_LIMIT_PER_HOUR = env.int("FEEDBACK_RATE_LIMIT_PER_HOUR", default=20)
BOOKING_RATE_LIMIT_PER_HOUR = env.int("BOOKING_RATE_LIMIT_PER_HOUR", default=10)
# How many weeks of published availability the booking page offers.
BOOKING_WEEKS_AHEAD = env.int("BOOKING_WEEKS_AHEAD", default=6)
# Days after an appointment when the applicant's name, contacts and message are erased.
APPOINTMENT_RETENTION_DAYS = env.int("APPOINTMENT_RETENTION_DAYS", default=30)
CELERY_BEAT_SCHEDULE["portal-appointments-anonymise"] = {
    "task": "housingmix.portal.tasks.appointments_anonymise_task",
    "schedule": 86400.0,
}
