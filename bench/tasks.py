"""The messages benchmark's own task, registered only in its worker (``bench.messages_settings``
imports this module; the service's worker never does)."""

import time
from functools import cache

import redis
from celery import shared_task
from django.conf import settings


@cache
def _redis() -> redis.Redis:
    # Created on first use, so in the pool process that runs the task (after the fork).
    return redis.Redis.from_url(settings.REDIS_URL)


@shared_task(ignore_result=True)
def noop(done_key: str) -> None:
    """Does nothing but what the benchmark needs to see that it ran: its end time, appended to the
    Redis list ``done_key`` (one round trip)."""
    _redis().rpush(done_key, time.time())
