"""A real Celery worker (and beat) for the integration tests: the test settings, but tasks go
through Redis instead of running in-process.

The test starts ``celery -A config worker`` with this module, DATABASE_URL naming pytest's test
database, REDIS_URL, a Redis key prefix of its own (``CELERY_BROKER_KEY_PREFIX``: parallel test
runs do not consume each other's tasks) and short leases and beat periods through the
``ORDERDESK_*`` variables of ``base.py``.
"""

from config.settings.test import *  # noqa: F403
from config.settings.test import CELERY_BROKER_TRANSPORT_OPTIONS, REDIS_URL, env

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "global_keyprefix": env("CELERY_BROKER_KEY_PREFIX", default=""),
}
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
