"""Settings of the messages benchmark (``bench/messages.py``), for its Celery worker and for the process
that queues the messages: the bench settings (DEBUG off, persistent connections) with Celery on Redis
for real, under a key prefix of the run's own (``BENCH_CELERY_KEY_PREFIX``), every message channel the
no-op one (nothing leaves the machine; the outbox and Celery are what is measured), and the
benchmark's no-op task registered (``bench.tasks``)."""

from django.core.exceptions import ImproperlyConfigured

from bench.settings import *  # noqa: F403
from bench.settings import CELERY_BROKER_TRANSPORT_OPTIONS, REDIS_URL, env

if not REDIS_URL:
    raise ImproperlyConfigured("the messages benchmark needs a real Celery worker: set REDIS_URL")

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "global_keyprefix": env("BENCH_CELERY_KEY_PREFIX", default="orderdesk-bench-messages:"),
}
CELERY_IMPORTS = ["bench.tasks"]
NOOP_CHANNEL = {"BACKEND": "orders.messaging.channels.NoopChannel"}
ORDERDESK_MESSAGE_CHANNELS = {"sms": NOOP_CHANNEL, "email": NOOP_CHANNEL, "chat": NOOP_CHANNEL}
