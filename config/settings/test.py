"""Test settings: fast hashing, mail in memory; DATABASE_URL and REDIS_URL decide the layer."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

SECRET_KEY = env("DJANGO_SECRET_KEY", default="test-only-insecure-key")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LANGUAGE_CODE = "zh-hans"
# Unit tests always run tasks in-process; integration tests start a real worker instead.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests change the catalogue with QuerySet.update() (no signals): read it every time; the cache has its own test.
ORDERDESK = {**ORDERDESK, "CATALOGUE_CACHE_SECONDS": 0}  # noqa: F405
