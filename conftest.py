"""Test set-up shared by the whole suite.

Runs before Django is configured: the suite uses the development defaults unless the environment
says otherwise (CI sets DATABASE_URL and REDIS_URL, so the suite runs on PostgreSQL and Redis).
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movement.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_STATIC_MANIFEST", "0")
# Playwright's sync API runs an event loop in the test thread; Django must not refuse the ORM there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# Fast hashing for the many users tests create.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
