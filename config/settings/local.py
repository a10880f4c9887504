"""Local development and the demo: SQLite by default, tasks in-process, mail to the console."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")

# Tasks run in-process here: the broker and task-trace chatter would drown the demo's own output.
LOGGING["loggers"].update({"kombu": {"level": "ERROR"}, "celery": {"level": "WARNING"}})  # noqa: F405
