"""Benchmark settings: the service as in production (DEBUG off, persistent connections, Celery on
Redis when REDIS_URL is set) plus the baseline app, on plain HTTP on loopback."""

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES, INSTALLED_APPS, LOGGING, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="bench-only-insecure-key-not-for-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = [*INSTALLED_APPS, "bench.baseline"]
ROOT_URLCONF = "bench.urls"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
# Client errors are counted by the load generator; one log line per 4xx would only cost time.
LOGGING["root"]["level"] = env("LOG_LEVEL", default="ERROR")
# The benchmark measures the web process: tasks are published (to Redis when REDIS_URL is set, else to
# an in-process queue nobody reads), never run inline in the request.
CELERY_TASK_ALWAYS_EAGER = False
