"""ClearWindow settings: everything from environment variables, with safe defaults.

SQLite under var/ by default (the demo); PostgreSQL by setting DATABASE_URL=postgres://…
"""
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).lower() in ("1", "true", "yes", "on")


def env_int(name, default):
    return int(os.environ.get(name, default))


def _pg_options():
    """Planner settings for ClearWindow's sessions (PG_RANDOM_PAGE_COST, default 1.1; empty: the server's).
    PostgreSQL's default random_page_cost of 4 prices a random page read as a spinning disk's. On SSDs,
    with the hot tables in memory, that made the planner scan a whole cases table of 54,582 rows to
    find the ~900 cases of one batch (16 and 19 ms where the case_no index took 3.8 and 2.9) and
    hash-join it for their update (docs/engine.md, "Query plans"). Sent as a start-up option; a pooler
    that refuses start-up options (pgbouncer without ignore_startup_parameters) needs the setting on the
    server or database instead."""
    cost = env_str("PG_RANDOM_PAGE_COST", "1.1").strip()
    if not cost:
        return {}
    try:
        value = float(cost)
    except ValueError:
        value = -1.0
    if not 0 < value < 1000:
        raise ImproperlyConfigured(f"PG_RANDOM_PAGE_COST: {cost!r} is not a positive number (1.1 on SSDs; empty: "
                                   "the server's own setting)")
    return {"options": f"-c random_page_cost={value:g}"}


def parse_database_url(url):
    """sqlite:///relative/or//absolute/path | postgres://user:pw@host:port/name"""
    parts = urlparse(url)
    if parts.scheme == "sqlite":
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": parts.path[1:] or str(VAR_DIR / "clearwindow.sqlite3"),
            # IMMEDIATE: a transaction takes the write lock at BEGIN and waits for it (timeout), instead
            # of failing with "database is locked" when the web, the worker and the simulator all write.
            "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE",
                        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
        }
    if parts.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": parts.path.lstrip("/"),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "OPTIONS": _pg_options(),
        }
    raise ValueError(f"DATABASE_URL: unsupported scheme {parts.scheme!r} (expected sqlite or postgres)")


DEBUG = env_bool("DEBUG", False)
# SECRET_KEY keys sessions and complaint secrets. From the environment, else the
# key bin/setup generated and keeps in var/secret_key; the public development key only with DEBUG=1.
PUBLIC_DEV_SECRET_KEY = "dev-only-insecure-key-change-me"
SECRET_KEY = env_str("SECRET_KEY") or (
    (VAR_DIR / "secret_key").read_text().strip() if (VAR_DIR / "secret_key").is_file() else PUBLIC_DEV_SECRET_KEY)
if SECRET_KEY == PUBLIC_DEV_SECRET_KEY and not DEBUG:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set, and the public development key is refused with DEBUG=0: it keys the sessions "
        "and the complaint secrets. Set SECRET_KEY to a long random value (e.g. "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'), or run bin/setup, which keeps one in "
        f"{VAR_DIR / 'secret_key'}, or set DEBUG=1 for development.")
# PERSONAL_DATA_KEY: the master key (64 hex characters) that encrypts personal data at rest (SM4-GCM) and keys
# its look-up hashes (HMAC-SM3): docs/personal-data.md. From the environment, else the file PERSONAL_DATA_KEY_FILE,
# else var/personal_data_key (bin/setup makes one); never from the database. The public development key only
# with DEBUG=1. Older keys (PERSONAL_DATA_OLD_KEYS, comma-separated, or the file PERSONAL_DATA_OLD_KEY_FILE, one a
# line) still decrypt values that rotate_keys has not re-encrypted yet.
PUBLIC_DEV_PERSONAL_DATA_KEY = "0" * 64


def _key_file(name, default=None):
    path = env_str(name) or default
    if not path:
        return ""
    path = Path(path)
    if not path.is_file():
        if env_str(name):
            raise ImproperlyConfigured(f"{name}: no such file: {path}")
        return ""
    return path.read_text()


def _personal_data_key():
    """(the key, where it came from: named in an error)."""
    if env_str("PERSONAL_DATA_KEY"):
        return env_str("PERSONAL_DATA_KEY").strip(), "PERSONAL_DATA_KEY"
    path = env_str("PERSONAL_DATA_KEY_FILE") or VAR_DIR / "personal_data_key"
    text = _key_file("PERSONAL_DATA_KEY_FILE", path).strip()
    return (text, f"PERSONAL_DATA_KEY_FILE ({path})") if text else (PUBLIC_DEV_PERSONAL_DATA_KEY, "PERSONAL_DATA_KEY")


PERSONAL_DATA_KEY, _source = _personal_data_key()
PERSONAL_DATA_OLD_KEYS = [k for k in (env_str("PERSONAL_DATA_OLD_KEYS").replace(",", " ").split()
                                      + _key_file("PERSONAL_DATA_OLD_KEY_FILE").split()) if k]
for _name, _key in [(_source, PERSONAL_DATA_KEY), *(("PERSONAL_DATA_OLD_KEYS", k) for k in PERSONAL_DATA_OLD_KEYS)]:
    if not (len(_key) == 64 and all(ch in "0123456789abcdefABCDEF" for ch in _key)):
        raise ImproperlyConfigured(f"{_name}: expected keys of 64 hexadecimal characters (32 bytes), got one of "
                                   f"{len(_key)} characters")
if PERSONAL_DATA_KEY == PUBLIC_DEV_PERSONAL_DATA_KEY and not DEBUG:
    raise ImproperlyConfigured(
        "PERSONAL_DATA_KEY is not set, and the public development key is refused with DEBUG=0: it encrypts the "
        "complainants', applicants' and raters' personal data. Set PERSONAL_DATA_KEY to 64 hexadecimal characters "
        "(python3 -c 'import secrets; print(secrets.token_hex(32))') or PERSONAL_DATA_KEY_FILE to a file holding "
        f"them (readable only by the server's user), or run bin/setup, which keeps one in "
        f"{VAR_DIR / 'personal_data_key'}, or set DEBUG=1 for development. Keep the key outside the database and "
        "its backups: without it the data cannot be read.")
ALLOWED_HOSTS = env_str("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "core.axes_config.AxesConfig",  # django-axes, named in the admin
    "csp",
    "core",
    "ledger",
    "workdays",
    "orgs",
    "catalog",
    "alerts",
    "cases",
    "supervision",
    "complaints",
    "evaluations",
    "video",
    "performance",
    "insight",
    "accountability",
    "portal",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "cases.middleware.EventsBodyLimit",  # POST /api/v1/events: a full batch's own body limit, 413 JSON over it
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.BadParams",  # a bad query parameter answers 400 naming it (core/params.py)
    "axes.middleware.AxesMiddleware",  # answers a locked-out log-in with core/locked_out.html (429)
]

ROOT_URLCONF = "clearwindow.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["core.templatetags.cw"],  # |zh and {% colon %}: docs/accessibility.md
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.clearwindow",
                "portal.context_processors.site",
            ]
        },
    }
]
# Widgets render through TEMPLATES, so templates/django/forms/widgets/select_option.html marks an option's
# Chinese label lang="zh-CN" on English pages (docs/accessibility.md).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "clearwindow.wsgi.application"
ASGI_APPLICATION = "clearwindow.asgi.application"

DATABASES = {"default": parse_database_url(env_str("DATABASE_URL", "sqlite:///"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "portal:index"
# Repeated failed log-ins (every log-in form, django-axes made atomic by core.auth): after
# LOGIN_MAX_FAILURES failures of one account, or LOGIN_MAX_FAILURES_PER_ADDRESS from one client address,
# that account / address is refused until LOGIN_LOCK_MINUTES have passed since its last failure.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("LOGIN_MAX_FAILURES_PER_ADDRESS", 4 * LOGIN_MAX_FAILURES)
LOGIN_LOCK_MINUTES = env_int("LOGIN_LOCK_MINUTES", 15)
# The request header a trusted reverse proxy puts the client's address in (e.g. X-Forwarded-For or
# X-Real-IP); empty: the connection's own address (REMOTE_ADDR). Set it only behind such a proxy.
TRUSTED_PROXY_HEADER = "HTTP_" + env_str("TRUSTED_PROXY_HEADER").upper().replace("-", "_") \
    if env_str("TRUSTED_PROXY_HEADER") else ""
AUTHENTICATION_BACKENDS = ["core.auth.ThrottledModelBackend"]
AXES_HANDLER = "core.auth.ThrottleHandler"
AXES_FAILURE_LIMIT = LOGIN_MAX_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCK_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "core.auth.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a refused try neither counts nor extends the lock
AXES_LOCKOUT_CALLABLE = "core.auth.locked_out"
AXES_VERBOSE = False

# Performance: the scored months (months with records) an organisation needs to be ranked and graded
# in a quarterly bulletin (of 3 months) and in the year-end evaluation (of 12); fewer is 不参评
# (docs/performance.md, "Months without data").
PERFORMANCE_MIN_MONTHS_QUARTER = env_int("PERFORMANCE_MIN_MONTHS_QUARTER", 2)
PERFORMANCE_MIN_MONTHS_YEAR = env_int("PERFORMANCE_MIN_MONTHS_YEAR", 6)

# HTTPS=1 when the site is served over HTTPS (SECURE_COOKIES=1, its earlier name, still works): secure
# session and CSRF cookies, plain HTTP redirected to HTTPS, and HSTS (HSTS_SECONDS, default one year,
# with subdomains and preload). Behind a proxy that ends TLS, PROXY_SSL_HEADER names the header in which
# it says the request came over HTTPS (e.g. X-Forwarded-Proto; the proxy must overwrite it).
HTTPS = env_bool("HTTPS", env_bool("SECURE_COOKIES", False))
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 365 * 24 * 3600) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
if env_str("PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + env_str("PROXY_SSL_HEADER").upper().replace("-", "_"), "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "core.views.csrf_failure"  # a styled page in the user's language, not Django's English one
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_TRUSTED_ORIGINS = [o for o in env_str("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Content-Security-Policy (django-csp): scripts, styles, images, media and workers from this origin only;
# no inline script, event-handler attribute or style attribute. A template that needs an inline <script>
# or <style> gives it nonce="{{ request.csp_nonce }}". blob: for media and workers: hls.js plays through
# a MediaSource object URL and transmuxes in a blob worker. data: images: ECharts' exported images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "media-src": [SELF, "blob:"],
        "worker-src": [SELF, "blob:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
# The region's name in the English edition's titles (the Chinese name comes from the region tree).
REGION_NAME_EN = env_str("REGION_NAME_EN", "Xilingol League")
# The centre's Ed25519 key that signs the ledger's daily roots (docs/ledger.md): a file, never the database.
# From the environment, else the demo key bin/setup keeps in var/. The worker (supervise) refuses to start
# with DEBUG=0 without a readable key; the web processes need none (the page shows the signing roots' key).
LEDGER_SIGNING_KEY_FILE = env_str("LEDGER_SIGNING_KEY_FILE") or (
    str(VAR_DIR / "ledger_signing_key.pem") if (VAR_DIR / "ledger_signing_key.pem").is_file() else "")
# The earliest day an event's occurred_at (or an API as_of) may name; earlier ones are refused (docs/engine.md).
EVENTS_EARLIEST = env_str("EVENTS_EARLIEST", "2000-01-01")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"

EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 2525)
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "clearwindow@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
