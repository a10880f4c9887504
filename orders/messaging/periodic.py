"""The outbox's periodic work: the drain of due reminders and the sweep of lost sends.

Run every minute by the beat (``orders.tasks.messaging``), or once by hand with ``manage.py
run_periodic`` (the demo, which has no beat). Sends through ``orders.messaging.send`` and
re-publishes through ``orders.messaging.queue``; only those two entry points call it.

* **Reminders are rows, drained when due.** ``return_reminders_send_due`` claims and sends the
  ``pending`` reminders whose ``due_at`` has come, one claim per send; it is also their retry loop.
* **The outbox is the truth, not Redis.** A task can be lost (the broker restarted, the publish after
  commit failed, Redis' visibility timeout not yet over): the sweeper re-publishes ``pending`` rows
  whose task should have run a lease ago and ``sending`` rows whose lease expired. A task that
  arrives twice finds the row already claimed or sent and does nothing.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from orders.messaging.models import Message, MessageKind, MessageStatus
from orders.messaging.queue import message_sends_publish
from orders.messaging.send import message_claim, message_fail, message_send_claimed

logger = logging.getLogger(__name__)


def return_reminders_send_due(*, now: datetime | None = None, limit: int = 100) -> int:
    """Send the reminders that are due (as of ``now``: the demo may move the clock). Returns how many
    this run claimed. Each row is claimed just before its own send, by the conditional UPDATE every
    send uses, so its lease covers that send alone: a slow gateway on the rows before it cannot let
    its lease run out while it waits (the sweeper would hand it to a second worker). Two drains at once
    each skip the rows the other claimed. A transient failure leaves the row pending with a later due
    time, which the next run picks up (the drain is its retry loop)."""
    as_of = now or timezone.now()
    due = (
        Message.objects.filter(
            kind=MessageKind.RETURN_POLICY_REMINDER,
            status=MessageStatus.PENDING,
            due_at__lte=as_of,
            attempts__lt=settings.ORDERDESK["MESSAGE_MAX_ATTEMPTS"],
        )
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )
    claimed = 0
    for message_id in list(due):
        message = message_claim(message_id, due_by=as_of)
        if message is not None:
            claimed += 1
            message_send_claimed(message)
    return claimed


def messages_sweep(*, limit: int = 500) -> int:
    """Re-publish the send task of messages whose task was lost; returns how many.

    Lost means: ``sending`` past the lease (the worker died mid-send), or ``pending`` and due for a
    lease already while no task took it (the publish after commit failed, the broker lost it). A
    reminder that is merely due is the drain's, not the sweeper's. A row whose last attempt's worker
    died is failed, not tried past the bound."""
    now = timezone.now()
    lease: timedelta = settings.ORDERDESK["MESSAGE_LEASE"]
    max_attempts = settings.ORDERDESK["MESSAGE_MAX_ATTEMPTS"]
    for message in Message.objects.select_related("order").filter(
        status=MessageStatus.SENDING, lease_until__lt=now, attempts__gte=max_attempts
    ):
        message_fail(message, "the worker was lost during the last attempt")
    not_republished_lately = Q(published_at__isnull=True) | Q(published_at__lte=now - lease)
    lost = (Q(status=MessageStatus.SENDING, lease_until__lt=now) & not_republished_lately) | (
        Q(status=MessageStatus.PENDING, due_at__lte=now - lease)
        & ~Q(kind=MessageKind.RETURN_POLICY_REMINDER)
        & not_republished_lately
    )
    with transaction.atomic():
        ids = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(lost)
            .order_by("due_at")
            .values_list("pk", flat=True)[:limit]
        )
        Message.objects.filter(pk__in=ids).update(published_at=now)
        message_sends_publish(ids)
    if ids:
        logger.info("sweeper re-published %d message(s): %s", len(ids), ids)
    return len(ids)
