"""HOPEful's one settings module, driven by environment variables.

Environment variables (all optional unless DEBUG is off):

``HOPEFUL_DEBUG``
    ``true``/``false`` (also 1/0, yes/no, on/off); default ``false``. Other spellings are an
    error.
``HOPEFUL_SECRET_KEY`` / ``HOPEFUL_SECRET_KEY_FILE``
    The secret key, or a file holding it. Required when DEBUG is off; the server refuses to
    start without it or with the development default.
``DATABASE_URL``
    A PostgreSQL URL (``postgres://user:pass@host:5432/name``). When unset, HOPEful uses a
    SQLite file ``hopeful.sqlite3`` in ``HOPEFUL_DATA_DIR``.
``HOPEFUL_DB_CONN_MAX_AGE``
    Seconds a PostgreSQL connection is kept open (default 60; 0 closes after each request).
``HOPEFUL_DATA_DIR``
    Where local data lives (SQLite file, collected static files); default ``./var``. Created
    when missing.
``HOPEFUL_ALLOWED_HOSTS``
    Comma-separated host names; default ``localhost,127.0.0.1,[::1],testserver``.
``HOPEFUL_CSRF_TRUSTED_ORIGINS``
    Comma-separated origins (``https://hopeful.example.org``) for forms posted across origins.
``HOPEFUL_HTTPS``
    Whether the site is served over HTTPS: redirects http to https and marks cookies Secure,
    with HSTS. Default: on when DEBUG is off.
``HOPEFUL_TRUST_X_FORWARDED_PROTO``
    Trust a TLS-terminating proxy's ``X-Forwarded-Proto: https`` header (default false).
``HOPEFUL_HSTS_SECONDS``
    HSTS max-age when HTTPS is on (default 3600; raise it once the deployment is stable).
``HOPEFUL_HSTS_INCLUDE_SUBDOMAINS`` / ``HOPEFUL_HSTS_PRELOAD``
    HSTS's includeSubDomains and preload flags (both default true; docs/security.md).
``HOPEFUL_SECURITY_CONTACT``
    security.txt's Contact: an email address, mailto: or https: URI (default: the contact
    address below).
``HOPEFUL_SESSION_IDLE_MINUTES``
    Minutes of inactivity after which a signed-in session ends (default 30).
``HOPEFUL_SMALL_CELL_THRESHOLD``
    Published counts below it are shown as "fewer than" it (default 11).
``HOPEFUL_SITE_URL``
    The site's address as people open it (``https://hopeful.example.org``), for links in
    emails the background worker sends (reminders). Default ``http://127.0.0.1:8000``.
``HOPEFUL_DONATION_URL``
    Where the public site's support page sends people who want to give (a donation
    processor's page). HOPEful handles no payments. Empty: the page offers the contact form.
``HOPEFUL_NETWORK_NAME``
    The resource center's name, as the open data of the directory (HSDS) names the
    organization that offers the trainers' presentations (default "HOPE National Resource
    Center").
``HOPEFUL_CONTACT_EMAIL``
    Where messages from the public site's contact form go (default: the admins' address,
    ``DEFAULT_FROM_EMAIL``'s mailbox when unset).
``HOPEFUL_PTABLE_MAX_NOISE`` / ``HOPEFUL_PTABLE_VARIANCE``
    The perturbation table of published counts: the largest change D and the variance V
    (docs/insights.md, bench/protection_bench.py).
``HOPEFUL_LOG_FORMAT`` / ``HOPEFUL_LOG_LEVEL``
    ``json`` (one object a line; the default with DEBUG off) or ``text``; the level.
``HOPEFUL_METRICS_TOKEN`` / ``HOPEFUL_METRICS_TOKEN_FILE``
    Bearer token for ``/metrics`` (Prometheus); unset, ``/metrics`` answers 404.
``HOPEFUL_LIMIT_*`` / ``HOPEFUL_LINK_FLAG_PER_HOUR``
    The abuse limits (docs/security.md); the rest are in docs/configuration.md.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from hopeful.web.config.env import (
    env_bool,
    env_float,
    env_int,
    env_list,
    env_path,
    env_secret,
    env_str,
)

WEB_DIR = Path(__file__).resolve().parent.parent

# -- core ------------------------------------------------------------------------------------

DEBUG = env_bool("HOPEFUL_DEBUG", default=False)

#: The development key: fine on a laptop, refused whenever DEBUG is off.
INSECURE_DEV_SECRET_KEY = "django-insecure-hopeful-development-only-never-use-in-production"  # noqa: S105

SECRET_KEY = env_secret("HOPEFUL_SECRET_KEY")
if not DEBUG and SECRET_KEY in ("", INSECURE_DEV_SECRET_KEY):
    raise ImproperlyConfigured(
        "HOPEFUL_SECRET_KEY is missing or is the insecure development key, and "
        "HOPEFUL_DEBUG is off. Set HOPEFUL_SECRET_KEY (or HOPEFUL_SECRET_KEY_FILE) to a long "
        "random value, for example the output of: "
        'python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )
if not SECRET_KEY:
    SECRET_KEY = INSECURE_DEV_SECRET_KEY

ALLOWED_HOSTS = env_list(
    "HOPEFUL_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("HOPEFUL_CSRF_TRUSTED_ORIGINS", default=[])
#: Where people open the site, for links in emails sent without a request (reminders).
SITE_URL = env_str("HOPEFUL_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
#: A refused form gets a designed page (the family survey its own), not Django's bare one.
CSRF_FAILURE_VIEW = "hopeful.web.core.errors.csrf_failure"

DATA_DIR = env_path("HOPEFUL_DATA_DIR", default=Path("var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "hopeful.web.accounts",
    "hopeful.web.core",
    "hopeful.web.instruments",
    "hopeful.web.organizations",
    "hopeful.web.audit",
    "hopeful.web.families",
    "hopeful.web.surveys",
    "hopeful.web.practice",
    "hopeful.web.casework",
    "hopeful.web.insights",
    "hopeful.web.reports",
    "hopeful.web.workspace",
    "hopeful.web.deidentified",
    "hopeful.web.brightspots",
    "hopeful.web.api",
    "hopeful.web.fhir",
    "hopeful.web.imports",
    "hopeful.web.labelled",
    "hopeful.web.webhooks",
    # django-ninja's own Swagger UI files (served by the app, never from a CDN); after
    # hopeful.web.api, whose template of the documentation page replaces ninja's.
    "ninja",
    "hopeful.web.network",
    "hopeful.web.cms",
    "hopeful.web.newsletter",
    "hopeful.web.learning",
    "hopeful.web.trainings",
    "hopeful.web.certification",
    "hopeful.web.standards",
    "hopeful.web.directory",
    "hopeful.web.presentations",
    "hopeful.web.events",
    "hopeful.web.assets",
    # Scheduled jobs: their registry, the record of their runs, the staff's page.
    "hopeful.web.operations",
    # The public site's CMS (Wagtail) with English/Spanish translation (wagtail-localize).
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Background work (reports, long exports): a task queue kept in the database.
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Passkeys (WebAuthn) as a second factor: see "passkeys" below.
    "django_otp_webauthn",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: `runserver` leaves static files to WhiteNoise, as in production.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "hopeful.web.audit.middleware.RequestIdMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy and Permissions-Policy (docs/security.md).
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Every page needs a signed-in user unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The CMS admin (/cms/) is for network staff only; everyone else never sees it.
    "hopeful.web.cms.middleware.CmsAdminAccessMiddleware",
    # After messages (it explains why you were signed out); before any view runs.
    "hopeful.web.accounts.middleware.SessionTimeoutMiddleware",
    # Keeps the owner's list of signed-in sessions current (at most one write a minute).
    "hopeful.web.accounts.middleware.SessionRecordMiddleware",
    # Per-address and per-link limits on public POSTs; Retry-After on every 429.
    "hopeful.web.core.abuse.AbuseLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "hopeful.web.config.urls"
WSGI_APPLICATION = "hopeful.web.config.wsgi.application"

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
                "hopeful.web.core.context_processors.site",
            ],
        },
    },
]

# -- database --------------------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("HOPEFUL_DB_CONN_MAX_AGE", 60, minimum=0),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "hopeful.sqlite3"),
            "OPTIONS": {
                # WAL lets readers work while one writer writes; busy_timeout waits for the
                # lock instead of failing at once; IMMEDIATE takes the write lock when a
                # transaction starts, so two writers queue rather than deadlock on upgrade.
                "init_command": ";".join(
                    [
                        "PRAGMA journal_mode=WAL",
                        "PRAGMA synchronous=NORMAL",
                        "PRAGMA busy_timeout=5000",
                    ]
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# -- accounts and sessions -------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "practice:organizations"
LOGOUT_REDIRECT_URL = "core:home"

# Argon2 first; older PBKDF2 hashes still verify and are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

#: Minutes of inactivity after which a signed-in session ends
#: (hopeful.web.accounts.middleware.SessionTimeoutMiddleware).
HOPEFUL_SESSION_IDLE_MINUTES = env_int("HOPEFUL_SESSION_IDLE_MINUTES", 30, minimum=1)
#: The absolute limit: a session ends 12 hours after sign-in, however active.
SESSION_COOKIE_AGE = 12 * 60 * 60
#: Password reset links work for one hour (and once: the token depends on the password).
PASSWORD_RESET_TIMEOUT = 60 * 60

# Throttling of sign-in, two-factor codes and password reset requests: this many failures
# (or requests) per account and per IP address within the window lock for the window.
# Counted in the database (accounts.SignInAttempt), so shared by every web process.
HOPEFUL_SIGN_IN_MAX_FAILURES = env_int("HOPEFUL_SIGN_IN_MAX_FAILURES", 5, minimum=1)
HOPEFUL_SIGN_IN_IP_MAX_FAILURES = env_int("HOPEFUL_SIGN_IN_IP_MAX_FAILURES", 5, minimum=1)
HOPEFUL_SIGN_IN_LOCK_MINUTES = env_int("HOPEFUL_SIGN_IN_LOCK_MINUTES", 15, minimum=1)
#: Behind a reverse proxy every request comes from the proxy's address; with this on, the
#: client address is the last one in X-Forwarded-For (the one our proxy appended).
HOPEFUL_TRUST_X_FORWARDED_FOR = env_bool("HOPEFUL_TRUST_X_FORWARDED_FOR", default=False)

# Published counts (hopeful.web.insights.protection): every count is perturbed by the cell-key
# method with a maximum-entropy perturbation table (largest change D, variance V); counts
# published below the threshold are shown as "fewer than" it. docs/insights.md says why these.
HOPEFUL_SMALL_CELL_THRESHOLD = env_int("HOPEFUL_SMALL_CELL_THRESHOLD", 11, minimum=2)
HOPEFUL_PTABLE_MAX_NOISE = env_int("HOPEFUL_PTABLE_MAX_NOISE", 6, minimum=1)
HOPEFUL_PTABLE_VARIANCE = env_float("HOPEFUL_PTABLE_VARIANCE", 4.5, above=0)

# Research (docs/research.md): uploaded survey files live on disk here, private to their
# organization (never under MEDIA_ROOT, never served); de-identified exports need k >= 11.
HOPEFUL_RESEARCH_DIR = env_path("HOPEFUL_RESEARCH_DIR", default=DATA_DIR / "research")
HOPEFUL_RESEARCH_MAX_BYTES = env_int("HOPEFUL_RESEARCH_MAX_BYTES", 2 * 1024**3, minimum=1)
HOPEFUL_EXPORT_K = env_int("HOPEFUL_EXPORT_K", 11, minimum=11)

# Webhooks (docs/interoperability.md) go only to https:// hosts with public addresses; this
# lets them reach http:// and private or local hosts, for tests and demos only.
HOPEFUL_WEBHOOK_ALLOW_PRIVATE = env_bool("HOPEFUL_WEBHOOK_ALLOW_PRIVATE", default=False)

#: Shown as the account's issuer in authenticator apps.
OTP_TOTP_ISSUER = "HOPEful"

# -- passkeys (accounts: django-otp-webauthn) -----------------------------------------------
# A passkey is a second factor only (after the password), never a sign-in on its own. The
# relying party is the site's host from HOPEFUL_SITE_URL; browsers refuse an IP address as
# one, so a local 127.0.0.1/::1 site uses "localhost" (open it as http://localhost:8000).
# Changing the host later makes registered passkeys unusable (people add them again).
_SITE_PARTS = urlsplit(SITE_URL)
_SITE_HOST = _SITE_PARTS.hostname or "localhost"
if _SITE_HOST in ("127.0.0.1", "::1"):
    _SITE_HOST = "localhost"
OTP_WEBAUTHN_RP_ID = _SITE_HOST
OTP_WEBAUTHN_RP_NAME = "HOPEful"
OTP_WEBAUTHN_ALLOWED_ORIGINS = [
    f"{_SITE_PARTS.scheme}://{_SITE_HOST}" + (f":{_SITE_PARTS.port}" if _SITE_PARTS.port else "")
]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_HELPER_CLASS = "hopeful.web.accounts.webauthn.PasskeyHelper"

# Email (invitations, password reset): printed to the console unless a backend is set, e.g.
# HOPEFUL_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend with HOPEFUL_EMAIL_HOST,
# HOPEFUL_EMAIL_PORT, HOPEFUL_EMAIL_HOST_USER, HOPEFUL_EMAIL_HOST_PASSWORD(_FILE).
EMAIL_BACKEND = env_str(
    "HOPEFUL_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("HOPEFUL_DEFAULT_FROM_EMAIL", default="HOPEful <noreply@localhost>")
EMAIL_HOST = env_str("HOPEFUL_EMAIL_HOST", default="localhost")
EMAIL_PORT = env_int("HOPEFUL_EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("HOPEFUL_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("HOPEFUL_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("HOPEFUL_EMAIL_USE_TLS", default=True)

# -- security headers and cookies ------------------------------------------------------------

HTTPS = env_bool("HOPEFUL_HTTPS", default=not DEBUG)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

SECURE_SSL_REDIRECT = HTTPS
# Load balancers probe over plain http.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("HOPEFUL_HSTS_SECONDS", 3600, minimum=0) if HTTPS else 0
# -- headers (issue 17): HSTS flags, CSP, Permissions-Policy, security.txt (docs/security.md)
# HSTS sent by the site's host covers that host's subdomains only; `preload` is consent to
# the browsers' preload list (which also asks for a max-age of a year, HOPEFUL_HSTS_SECONDS).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HOPEFUL_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("HOPEFUL_HSTS_PRELOAD", default=True)
if env_bool("HOPEFUL_TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

#: Sent on every response by django-csp: our own scripts and styles only, no inline script,
#: style element or style attribute anywhere. The CMS admin (/cms/) widens it a little
#: (hopeful.web.cms.middleware.ADMIN_CSP); files of the library and images narrow it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
#: Powerful browser features HOPEful never uses, denied to every page and frame; passkeys
#: (WebAuthn) only for the site itself.
PERMISSIONS_POLICY: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        [
            "accelerometer",
            "autoplay",
            "browsing-topics",
            "camera",
            "display-capture",
            "encrypted-media",
            "fullscreen",
            "geolocation",
            "gyroscope",
            "hid",
            "identity-credentials-get",
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
        ],
        (),
    ),
    "publickey-credentials-create": ("self",),
    "publickey-credentials-get": ("self",),
}
#: security.txt's Contact (RFC 9116): a mailto: or https: address for vulnerability reports.
#: Unset: the public site's contact address (HOPEFUL_CONTACT_EMAIL or DEFAULT_FROM_EMAIL's).
HOPEFUL_SECURITY_CONTACT = env_str("HOPEFUL_SECURITY_CONTACT")

# -- internationalization --------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [WEB_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# -- static files ----------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise's middleware warns about a missing STATIC_ROOT; an empty one is harmless.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Serve files straight from the apps' static/ folders: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# -- logging and metrics (docs/deployment.md) -------------------------------------------------

#: ``json``: one JSON object per line (time, level, logger, message, request_id, and method,
#: route, view, status, duration_ms for requests), the default when DEBUG is off; ``text``:
#: readable lines, the default with DEBUG on. Neither ever holds a path or query string
#: (survey links' tokens are credentials) or personal data: hopeful.web.core.logs.
HOPEFUL_LOG_FORMAT = env_str("HOPEFUL_LOG_FORMAT", "text" if DEBUG else "json").lower()
if HOPEFUL_LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"HOPEFUL_LOG_FORMAT={HOPEFUL_LOG_FORMAT!r}: use json or text")
HOPEFUL_LOG_LEVEL = env_str("HOPEFUL_LOG_LEVEL", "INFO").upper()
if HOPEFUL_LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(
        f"HOPEFUL_LOG_LEVEL={HOPEFUL_LOG_LEVEL!r}: use DEBUG, INFO, WARNING, ERROR or CRITICAL"
    )
_APP_LOG = {"handlers": ["console"], "level": HOPEFUL_LOG_LEVEL, "propagate": False}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_context": {"()": "hopeful.web.core.logs.RequestContext"},
        "redact_paths": {"()": "hopeful.web.core.logs.RedactPaths"},
    },
    "formatters": {
        "json": {"()": "hopeful.web.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": HOPEFUL_LOG_FORMAT,
            "filters": ["request_context", "redact_paths"],
        }
    },
    # Libraries stay at WARNING (fontTools and WeasyPrint chatter at INFO).
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "hopeful": _APP_LOG,
        "django": _APP_LOG,
        # SQL with its parameters (personal data) is never logged, even with DEBUG on.
        "django.db.backends": {"level": "INFO"},
        "django_tasks": _APP_LOG,
        "django_tasks_db": _APP_LOG,
        "waitress": _APP_LOG,
    },
}
# One line per request (after RequestIdMiddleware, so it carries the request id).
MIDDLEWARE.insert(
    MIDDLEWARE.index("hopeful.web.audit.middleware.RequestIdMiddleware") + 1,
    "hopeful.web.core.logs.RequestLogMiddleware",
)

#: /metrics (hopeful.web.core.metrics) for Prometheus, for a scraper sending
#: ``Authorization: Bearer <token>``; unset: /metrics does not exist (404).
HOPEFUL_METRICS_TOKEN = env_secret("HOPEFUL_METRICS_TOKEN")
if HOPEFUL_METRICS_TOKEN and len(HOPEFUL_METRICS_TOKEN) < 24:
    raise ImproperlyConfigured("HOPEFUL_METRICS_TOKEN must be at least 24 characters long")
INSTALLED_APPS.append("django_prometheus")
# django-prometheus times everything between its two middlewares: first and last.
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    *MIDDLEWARE,
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
# Scrapers reach the web containers over the private network, in plain HTTP.
SECURE_REDIRECT_EXEMPT = [*SECURE_REDIRECT_EXEMPT, r"^metrics$"]

# -- public site (Wagtail CMS) ----------------------------------------------------------------

WAGTAIL_SITE_NAME = "HOPEful"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
#: A page submitted for translation starts as a draft in the other language (its English
#: text is not published as Spanish); staff translate it, then publish it.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
#: The CMS has no sign-in of its own: /cms/ sends people to HOPEful's (with two factors).
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
#: No calls home from the admin (the update check and the "what's new" banner).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILADMIN_COMMENTS_ENABLED = False
#: No avatars from gravatar.com (a third party would learn who edits).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
#: Files of the resource library: PDFs only, served by a view with safe headers (download,
#: no sniffing, no embedded content); images type- and size-checked.
WAGTAILDOCS_DOCUMENT_MODEL = "cms.ResourceDocument"
WAGTAILDOCS_EXTENSIONS = ["pdf"]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "hopeful.web.cms.document_forms.ResourceDocumentForm"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
HOPEFUL_DOCUMENT_MAX_BYTES = env_int("HOPEFUL_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024, minimum=1)
WAGTAILIMAGES_EXTENSIONS = ["png", "jpg", "jpeg", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("HOPEFUL_IMAGE_MAX_BYTES", 5 * 1024 * 1024, minimum=1)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
#: Full-text search in the database: PostgreSQL's on PostgreSQL, SQLite's FTS5 (or a plain
#: fallback) on SQLite.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
HOPEFUL_DONATION_URL = env_str("HOPEFUL_DONATION_URL")
HOPEFUL_CONTACT_EMAIL = env_str("HOPEFUL_CONTACT_EMAIL")
HOPEFUL_NETWORK_NAME = env_str("HOPEFUL_NETWORK_NAME") or "HOPE National Resource Center"
#: Posts of one public form (contact, newsletter) per client address per hour.
HOPEFUL_PUBLIC_FORM_LIMIT = env_int("HOPEFUL_PUBLIC_FORM_LIMIT", 5, minimum=1)
#: Days a newsletter sign-up waits for its confirmation before it is deleted.
HOPEFUL_NEWSLETTER_CONFIRM_DAYS = env_int("HOPEFUL_NEWSLETTER_CONFIRM_DAYS", 7, minimum=1)

# -- abuse limits (docs/security.md, "Abuse limits"; 0 turns a limit off) -------------------

#: POSTs to family survey links (pages and JSON API) per client address per 10 minutes.
HOPEFUL_LIMIT_SURVEY_IP = env_int("HOPEFUL_LIMIT_SURVEY_IP", 300, minimum=0)
#: POSTs to one family survey link per minute, from all addresses together.
HOPEFUL_LIMIT_SURVEY_LINK = env_int("HOPEFUL_LIMIT_SURVEY_LINK", 600, minimum=0)
#: Sign-in and two-factor sign-in POSTs per client address per 15 minutes.
HOPEFUL_LIMIT_SIGN_IN_IP = env_int("HOPEFUL_LIMIT_SIGN_IN_IP", 60, minimum=0)
HOPEFUL_LIMIT_TWO_FACTOR_IP = env_int("HOPEFUL_LIMIT_TWO_FACTOR_IP", 60, minimum=0)
#: Password-reset requests per client address per hour.
HOPEFUL_LIMIT_PASSWORD_RESET_IP = env_int("HOPEFUL_LIMIT_PASSWORD_RESET_IP", 20, minimum=0)
#: Submissions through one link in one clock hour that flag the link to its organization.
HOPEFUL_LINK_FLAG_PER_HOUR = env_int("HOPEFUL_LINK_FLAG_PER_HOUR", 1000, minimum=0)

# -- learning and certification --------------------------------------------------------------

#: The keys that sign certification credentials (Open Badges 3.0 VC-JWTs, Ed25519): a JSON
#: key set made on first use (mode 0600). The newest key signs; older ones stay to verify
#: credentials they signed (`hopeful manage credential_key --rotate`). Back it up with the
#: database: without it, issued credentials can no longer be shown to be this issuer's.
HOPEFUL_CREDENTIAL_KEYS_FILE = env_path(
    "HOPEFUL_CREDENTIAL_KEYS_FILE", default=DATA_DIR / "keys" / "credentials.jwks"
)

# -- demo ------------------------------------------------------------------------------------

#: Set by `hopeful demo`: enables demo-only conveniences (printing demo accounts' codes).
HOPEFUL_DEMO = env_bool("HOPEFUL_DEMO", default=False)

# -- background work -------------------------------------------------------------------------

#: Reports and long exports run as tasks kept in the database (no broker): the web process
#: enqueues them in the same transaction as their record, and `hopeful worker` (the
#: `db_worker` command) runs them.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
