"""The Celery application.

Configuration lives in Django settings under the ``CELERY_`` namespace so that one
``base.py`` holds every setting. Without a broker (no ``REDIS_URL``) tasks run eagerly
in-process, which keeps the demo self-contained.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("orderdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
