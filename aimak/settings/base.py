"""Settings shared by every environment. Everything that differs comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("AIMAK_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # search fields and lookups; harmless on SQLite
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "django_tasks_db",
    "aimak.core",
    "aimak.accounts",
    "aimak.territories",
    "aimak.catalogue",
    "aimak.surveys",
    "aimak.results",
    "aimak.reports",
    "aimak.legal",
    "aimak.notifications",
    "aimak.events",
    "aimak.council",
    "aimak.plans",
    "aimak.inclusion",
    "aimak.news",
    "aimak.practices",
    "aimak.questions",
    "aimak.contests",
    "aimak.learning",
    "aimak.mentoring",
    "aimak.communities",
    "aimak.audience",
    "aimak.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "aimak.urls"
WSGI_APPLICATION = "aimak.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "aimak" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "aimak.core.context_processors.site",
                "aimak.notifications.context_processors.unread",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'aimak.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "core:home"

# Repeated failed sign-ins: five failures lock the username+address pair for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Languages: Kyrgyz first (the fallback), then Russian and English.
LANGUAGE_CODE = "ky"
LANGUAGES = [("ky", "Кыргызча"), ("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Bishkek"
FORMAT_MODULE_PATH = ["aimak.formats"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "ru"
MODELTRANSLATION_LANGUAGES = ("ky", "ru", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("ru", "ky", "en")}
LANGUAGE_COOKIE_NAME = "aimak_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "aimak" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

# E-mail (Django 6.1 MAILERS): SMTP when EMAIL_HOST is set, else the console (demo, dev).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 20,
            },
        }
        if EMAIL_HOST
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
del EMAIL_HOST
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Aimak <noreply@aimak.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address e-mails link to (digests, follow-up questions): where users reach this site.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Rate limits on writes (aimak/core/ratelimit.py, django-ratelimit): per account when
# signed in, per address otherwise; "N/period" with s, m, h or d. Counted in the cache
# below, so several web processes share the counts only with CACHE_URL=redis://…; the
# checks that say so are silenced for the single-process demo on local memory.
AIMAK_RATE_LIMITS = {
    "signup": os.environ.get("RATE_SIGNUP", "10/h"),
    "question": os.environ.get("RATE_QUESTION", "10/h"),
    "answer": os.environ.get("RATE_ANSWER", "60/h"),
    "post": os.environ.get("RATE_POST", "30/h"),
    "report": os.environ.get("RATE_REPORT", "20/h"),
    "vote": os.environ.get("RATE_VOTE", "20/h"),
    "application": os.environ.get("RATE_APPLICATION", "20/h"),
    "feedback": os.environ.get("RATE_FEEDBACK", "10/h"),
    "mentoring": os.environ.get("RATE_MENTORING", "10/h"),
}
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# Questions and consultations: the first response is due this many hours after the question.
QUESTIONS_FIRST_RESPONSE_HOURS = int(os.environ.get("QUESTIONS_FIRST_RESPONSE_HOURS", "24"))
# Communities of practice: the Union of LSGs' messenger channel shown on every community
# without a channel of its own (https only; empty hides the link), and how many distinct
# reports hide a post until a moderator decides.
COMMUNITIES_MESSENGER_URL = os.environ.get("COMMUNITIES_MESSENGER_URL", "")
COMMUNITY_HIDE_AFTER_REPORTS = int(os.environ.get("COMMUNITY_HIDE_AFTER_REPORTS", "3"))

# Cache: local memory unless CACHE_URL points at Redis (redis://host:port/db).
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL.startswith(("redis://", "rediss://"))
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Background jobs through the django.tasks API; the database backend by default (worker:
# `manage.py db_worker`). TASKS_BACKEND=aimak.reports.rq_backend.RQBackend puts them in Redis
# (TASKS_REDIS_URL) for any number of `manage.py rq_worker` processes (docs/reports.md).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "OPTIONS": (
            {"REDIS_URL": os.environ.get("TASKS_REDIS_URL", "redis://127.0.0.1:6379/0")}
            if os.environ.get("TASKS_BACKEND", "").endswith("RQBackend")
            else {}
        ),
    }
}

# Interview imports (aimak/surveys/importing.py): the largest file accepted, and the number
# of rows above which a check or import runs as a background job with progress shown.
CRC_IMPORT_MAX_BYTES = int(os.environ.get("CRC_IMPORT_MAX_BYTES", 50 * 1024 * 1024))
CRC_IMPORT_BACKGROUND_ROWS = int(os.environ.get("CRC_IMPORT_BACKGROUND_ROWS", 5000))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

AIMAK_SITE_NAME = _("Aimak")
AIMAK_DEMO = env_bool("AIMAK_DEMO", False)
USE_THOUSAND_SEPARATOR = True

# Days after an action is marked done before the people who raised it are asked whether
# it really is done (FixMyStreet's follow-up question).
PLANS_FOLLOW_UP_DAYS = int(os.environ.get("PLANS_FOLLOW_UP_DAYS", 21))
