"""The Celery application.

Configuration lives in Django settings under the ``CELERY_`` namespace so that one
``base.py`` holds every setting. Without a broker (no ``REDIS_URL``) tasks run eagerly
in-process, which keeps the demo self-contained.
"""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("orderdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def db_connections_recycle(sender=None, **_kwargs) -> None:
    """Django's connection policy around each task, as around each request: the connection lives for
    ``CONN_MAX_AGE``, is health-checked (``CONN_HEALTH_CHECKS``) and closed once it broke. Celery's
    Django fixup would close it before and after every task instead (a new PostgreSQL connection per
    task) unless ``CELERY_DB_REUSE_MAX`` is set, which ``base.py`` does for that reason."""
    if sender is None or getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
