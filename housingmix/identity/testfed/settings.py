"""Settings of one test-federation process (see the package docstring).

Read from the environment set by ``testfed_serve``/``testfed_setup``: TESTFED_ROLE
(``spid`` or ``cie``), TESTFED_URL (this process's base URL), TESTFED_TA_URL (the trust
anchor's entity id) and TESTFED_DIR (database and shared files). Loopback only.
"""

import os
from pathlib import Path

import aiohttp

ROLE = os.environ.get("TESTFED_ROLE", "spid")
if ROLE not in ("spid", "cie"):
    raise RuntimeError("TESTFED_ROLE must be spid or cie")
BASE_URL = os.environ.get("TESTFED_URL", "http://127.0.0.1:8010").rstrip("/")
TA_URL = os.environ.get("TESTFED_TA_URL", "http://127.0.0.1:8010/")
STATE_DIR = Path(os.environ.get("TESTFED_DIR", Path(__file__).resolve().parents[3] / "var" / "testfed"))

# A per-directory random key, written by testfed_setup; the federation holds demo data only.
SECRET_KEY = os.environ.get("TESTFED_SECRET_KEY", "housingmix-test-federation-" + ROLE + "-not-a-secret")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# The portal runs on the same host (another port) and browsers share cookies across
# ports: distinct names keep the provider's session apart from the portal's.
SESSION_COOKIE_NAME = "testfed_%s_session" % ROLE
CSRF_COOKIE_NAME = "testfed_%s_csrftoken" % ROLE
APPEND_SLASH = False

INSTALLED_APPS = [
    "spid_cie_oidc.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "bootstrap_italia_template",
    "housingmix.identity.testfed",
    "spid_cie_oidc.entity",
    "spid_cie_oidc.authority",
    "spid_cie_oidc.provider",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "housingmix.identity.testfed.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "housingmix.identity.testfed.context.demo_identities",
            ]
        },
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(STATE_DIR / ("%s.sqlite3" % ROLE))}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "spid_cie_oidc_accounts.User"
LANGUAGE_CODE = "it"
LANGUAGES = [("it", "Italiano"), ("en", "English")]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
LOGIN_URL = "/oidc/op/authorization"

# spid-cie-oidc
OIDCFED_DEFAULT_TRUST_ANCHOR = TA_URL
OIDCFED_TRUST_ANCHORS = [TA_URL]
OIDCFED_PROVIDER_PROFILE = ROLE
OIDCFED_DEFAULT_PROVIDER_PROFILE = ROLE
OIDCFED_PROVIDER_SALT = "housingmix-testfed-" + ROLE
OIDCFED_PROVIDER_MAX_CONSENT_TIMEFRAME = 3600
OIDCFED_REQUIRED_TRUST_MARKS = []
HTTPC_TIMEOUT = 8
HTTPC_PARAMS = {"connection": {"ssl": False}, "session": {"timeout": aiohttp.ClientTimeout(total=HTTPC_TIMEOUT)}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TESTFED_LOG_LEVEL", "WARNING")},
}
