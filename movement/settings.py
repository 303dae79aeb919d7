"""Settings for the movement portal, all read from the environment.

Every variable is documented in README.md and `.env.example`. With DJANGO_DEBUG unset or 0 the
process runs in production mode: the required settings must be present, or it stops with one line
naming the one that is missing.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A developer's .env (written by `make setup`: DJANGO_DEBUG=1) fills in what the environment does not set.
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")


def _missing(name):
    # One line, no traceback: an operator reads it in a container log.
    raise SystemExit(f"ImproperlyConfigured: {name} must be set when DJANGO_DEBUG=0 (see README.md).")


def _secret(name, default=None):
    """A secret from NAME or from the file named by NAME_FILE (Docker/Kubernetes secrets)."""
    if env.str(f"{name}_FILE", default=""):
        return Path(env.str(f"{name}_FILE")).read_text().strip()
    return env.str(name, default=default)


def _required(name, value):
    if not DEBUG and not value:
        _missing(name)
    return value


DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Production mode is decided once, here; the test runner turns DEBUG off but not this.
PRODUCTION = not DEBUG

SECRET_KEY = _required("DJANGO_SECRET_KEY", _secret("DJANGO_SECRET_KEY", default=""))
if DEBUG and not SECRET_KEY:
    SECRET_KEY = "insecure-development-key-never-used-in-production"

ALLOWED_HOSTS = _required(
    "DJANGO_ALLOWED_HOSTS",
    env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else []),
)

SITE_URL = _required("SITE_URL", env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else ""))
SITE_URL = SITE_URL.rstrip("/")
CSRF_TRUSTED_ORIGINS = [SITE_URL]

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    "movement.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "axes",
    "csp",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "import_export",
    "simple_history",
    "template_partials",
    "movement",
    "departments",
    "plans",
    "meetings",
    "visits",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "movement.middleware.RejectNullCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "movement.middleware.UserLanguageMiddleware",
    "movement.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "movement.middleware.StaffIdleTimeoutMiddleware",
    "movement.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must be last: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "movement.urls"
# Form widgets render through TEMPLATES, so the project's templates/widgets can override them.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "movement.wsgi.application"

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
                "movement.context_processors.portal",
            ],
        },
    },
]

# Database: PostgreSQL in production and CI, an SQLite file for `make run`.
_required("DATABASE_URL", env.str("DATABASE_URL", default=""))
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The test database is copied from a template created with a UTF-8 ctype (.ci/run makes it):
    # pg_trgm makes no trigrams of Hebrew in a database whose LC_CTYPE is C.
    if env.str("DATABASE_TEST_TEMPLATE", default=""):
        DATABASES["default"]["TEST"] = {"TEMPLATE": env.str("DATABASE_TEST_TEMPLATE")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: the Celery broker and the cache. Absent, tasks run eagerly in-process.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
# Results only for callers that wait on a task (tests, scripts); the database is the record of work.
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_IGNORE_RESULT = False
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task whose worker died is redelivered after this; every retry countdown and hard time limit
# stays below it (on Redis a longer countdown is delivered twice).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = "Asia/Jerusalem"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# PDF reports: the hard time limit of one report (a 10x plan takes about 15 s here).
REPORT_TIME_LIMIT = env.int("REPORT_TIME_LIMIT", default=240)
# Reminders: a goal is stale after this many days without a progress update; unset, a goal is stale
# when it has had no update this quarter.
REMINDER_STALE_DAYS = env.int("REMINDER_STALE_DAYS", default=0) or None
# The sweep hands back a queued reminder this long after its due time, and takes over a claim this
# old (a send's hard time limit is 60 s). Lowered only by the fault scripts under bench/.
REMINDER_QUEUED_GRACE_SECONDS = env.int("REMINDER_QUEUED_GRACE_SECONDS", default=120)
REMINDER_CLAIM_STALE_SECONDS = env.int("REMINDER_CLAIM_STALE_SECONDS", default=180)

# Email: console in development, SMTP in production (EMAIL_URL=smtp+tls://user:pass@host:587).
_required("EMAIL_URL", env.str("EMAIL_URL", default=""))
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="התנועה הקיבוצית <portal@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Visits: the author may edit a visit for this many days; names of people met are removed from visits
# older than the retention period by a scheduled job.
VISIT_EDIT_DAYS = env.int("VISIT_EDIT_DAYS", default=7)
VISIT_RETENTION_DAYS = env.int("VISIT_RETENTION_DAYS", default=730)

# The benchmarks' floor view (bench/run.py); never on in a real deployment.
BENCH_FLOOR = env.bool("DJANGO_BENCH_FLOOR", default=False)
ACCESSIBILITY_CONTACT_EMAIL = env.str("ACCESSIBILITY_CONTACT_EMAIL", default="negishut@example.org")

AUTH_USER_MODEL = "movement.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "movement.auth.EmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# URL names anyone may open without signing in; every other URL sends them to the login page.
PUBLIC_URL_NAMES = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "accessibility",
    "health",
    "set_language",
    "reminders_unsubscribe",
}

# Login throttling: five failures for one account from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The login form's field is "username" (holding the email); axes would otherwise look for "email".
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)

# Internationalisation: Hebrew first, English second.
LANGUAGE_CODE = "he"
LANGUAGES = [("he", _("Hebrew")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "_thirdparty"]
TIME_ZONE = "Asia/Jerusalem"
USE_I18N = True
USE_TZ = True
MODELTRANSLATION_DEFAULT_LANGUAGE = "he"
MODELTRANSLATION_LANGUAGES = ("he", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("he",), "he": ("en",)}
# The admin's language tabs use jQuery UI, vendored from the npm registry (static/vendor/jquery-ui/,
# `make vendor-jquery-ui`), never a CDN. modeltranslation 0.20 reads the unprefixed name; the
# prefixed one is what its documentation names, so both point at the same file.
JQUERY_UI_URL = MODELTRANSLATION_JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

# Static and generated files.
STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
# In development and tests files are served from the app folders; in production from STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files under gunicorn; plain ones in development and browser tests.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("DJANGO_STATIC_MANIFEST", default=not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

# Security. Production sits behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=60 * 60 * 24 * 14)
# The secretariat signs in with a second factor (a TOTP app); on by default in production.
OTP_REQUIRED = env.bool("DJANGO_OTP_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = "Kibbutz Movement portal"
# The admin may remove a device (a lost phone) but never shows anyone's key or QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Sessions with admin rights (the secretariat) end after this many seconds without a request.
STAFF_IDLE_TIMEOUT = env.int("DJANGO_STAFF_IDLE_TIMEOUT", default=30 * 60)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# Uploads: plan documents and spreadsheets are small; larger bodies are refused.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Spreadsheet imports in the admin (movement/importing.py): the largest file, the most rows, and the
# row count above which an import runs as a background job. An XLSX is a zip: its members may not
# unpack to more than IMPORT_XLSX_MAX_UNPACKED_BYTES in all, nor any member beyond 200 times its
# packed size (a zip bomb).
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20_000)
IMPORT_BACKGROUND_ROWS = env.int("IMPORT_BACKGROUND_ROWS", default=500)
IMPORT_XLSX_MAX_UNPACKED_BYTES = env.int("IMPORT_XLSX_MAX_UNPACKED_BYTES", default=100 * 1024 * 1024)
# All or none: the admin's imports run in one transaction and roll back on any row's error.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# The library's own formula escaping strips a leading "=" only; the resources escape every export.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every step of every PDF at INFO; its warnings (a refused URL, a bad CSS rule) stay.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
