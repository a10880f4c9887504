"""Sending one message: claim its row, hand it to its channel, record what happened.

Owns ``message_deliver`` (the body of the ``message_send`` task), the claim with its written-out
SQL, the backoff of the bounded retries, and marking a message sent or failed. The periodic drain
(``orders.messaging.periodic``) sends through the same claim; this module builds only on
``orders.messaging.queue`` (a message's event) and the channels.

* **Claimed before sending.** A worker claims a row by one conditional UPDATE (``pending`` and due,
  or ``sending`` with an expired lease → ``sending``, lease renewed, attempts + 1). PostgreSQL
  re-checks the condition after waiting for a concurrent claim, so of two workers running the task
  at once exactly one sends. The reminder drain claims each due row the same way, just before its
  own send: a lease covers one send, never a batch waiting behind a slow gateway.
* **Marked sent only after the channel accepted the message.** Between those two steps a worker
  may die (SIGKILL, OOM, a lost node). The row then stays ``sending`` until its lease expires, and
  the sweeper publishes the task again; the next claim sends again. That second copy is why every
  channel passes the row's stable ``idempotency_key`` to the provider (a fixed ``Message-ID`` for
  e-mail; an ``Idempotency-Key`` header and the ``id`` in the signed body for webhooks), so a
  provider drops the duplicate and the buyer gets one message. Without the key this step would be
  at-least-once; no design can make "send, then record" atomic across two systems.
* **The outbox's own bookkeeping commits without waiting for the disk** (PostgreSQL: the claim and
  the sent mark set ``synchronous_commit`` off for their own transaction, ``ASYNC_COMMIT``). A
  PostgreSQL crash may forget the last such commits (at most three ``wal_writer_delay``s, 0.6 s by
  default; never a later commit while keeping an earlier one, never a half): a forgotten claim or
  sent mark leaves the row as it was before, and the sweeper sends it again under its key, as after
  a worker that died between send and mark. Each flush cost more than the rest of the message on a
  busy disk (3–5 ms against 0.3–1 ms). Everything else (queueing a message, its failure, payments)
  keeps the synchronous commit.
* **Bounded retries.** A transient failure puts the row back to ``pending`` due after an exponential
  backoff (the task retries with that countdown); after ``MESSAGE_MAX_ATTEMPTS`` or a permanent
  failure the row is ``failed`` and waits for an agent (admin: retry).
"""

import json
import logging
from datetime import datetime, timedelta
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models.expressions import Col
from django.utils import timezone

from orders.events import Actor, events_record, message_failed_event, message_sent_event
from orders.messaging.channels import PermanentSendError, channel_get
from orders.messaging.models import Message, MessageStatus
from orders.models import OrderEvent

logger = logging.getLogger(__name__)

ERROR_MAX = 1000


def _backoff(attempts: int) -> timedelta:
    first: timedelta = settings.ORDERDESK["MESSAGE_RETRY_BACKOFF"]
    return min(first * (2 ** max(attempts - 1, 0)), settings.ORDERDESK["MESSAGE_RETRY_BACKOFF_MAX"])


# On PostgreSQL, joined into the claim and the sent mark: their transaction does not wait for its WAL
# to reach the disk (``SET LOCAL synchronous_commit`` inside the statement itself: no round trip more).
# Both run in autocommit (the task's body, the drain): inside an atomic block the setting would hold
# for the whole enclosing transaction.
ASYNC_COMMIT = {"postgresql": " FROM (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit"}


@cache
def _claim_statement(vendor: str) -> tuple[str, tuple[tuple[int, list, Col], ...]]:
    """The claim's SQL and the converters of the row it returns (by column): built once per process
    and database backend (``vendor``), not per message: Django's raw queryset worked them out again
    for every claim, two thirds of a message's CPU in the worker."""
    ops = connection.ops
    fields = Message._meta.concrete_fields
    columns = ", ".join(ops.quote_name(field.column) for field in fields)
    sql = (
        f"UPDATE {ops.quote_name(Message._meta.db_table)} SET status = %s, lease_until = %s,"  # noqa: S608 - metadata only
        " attempts = attempts + 1, updated_at = %s"
        + ASYNC_COMMIT.get(connection.vendor, "")
        + " WHERE id = %s AND attempts < %s"
        " AND ((status = %s AND due_at <= %s) OR (status = %s AND lease_until < %s))"
        f" RETURNING {columns}"
    )
    converters = []
    for index, field in enumerate(fields):
        column = field.get_col(Message._meta.db_table)
        functions = ops.get_db_converters(column) + column.get_db_converters(connection)
        if functions:
            converters.append((index, functions, column))
    return sql, tuple(converters)


def message_claim(message_id: int, *, due_by: datetime | None = None) -> Message | None:
    """Take the row for this worker with one conditional UPDATE; None when another has it or it is done.

    Claimable: within the attempts budget, and ``pending`` and due (by ``due_by``, default now: the
    demo's drain moves the clock), or ``sending`` with an expired lease (its worker died). The UPDATE
    returns the claimed row (``RETURNING``): one round trip, no read-back. The order is not loaded:
    the channels that need it (the webhook's payload) fetch it when they touch it. Written out because
    Django's ``update()`` returns no rows, and because compiling the same condition from a ``Q`` cost
    more CPU (1.3 ms) than the rest of the send."""
    now = timezone.now()
    sql, converters = _claim_statement(connection.vendor)
    at = connection.ops.adapt_datetimefield_value
    params = [
        MessageStatus.SENDING.value,
        at(now + settings.ORDERDESK["MESSAGE_LEASE"]),
        at(now),
        message_id,
        settings.ORDERDESK["MESSAGE_MAX_ATTEMPTS"],
        MessageStatus.PENDING.value,
        at(due_by or now),
        MessageStatus.SENDING.value,
        at(now),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, functions, column in converters:  # the backend's own (SQLite's datetimes, UUIDs)
        for function in functions:
            values[index] = function(values[index], column, connection)
    return Message.from_db(connection.alias, None, values)


def message_deliver(*, message_id: int) -> timedelta | None:
    """Claim the message and send it. Returns when to try again: the backoff after a transient
    failure, or the rest of another worker's lease while the message is being sent (that worker may
    have died: a task re-delivered after its worker was lost finds the dead worker's claim). None
    when there is nothing for this task to do: sent, failed for good, not due (a retry or the drain
    has it), or a lease already expired (the sweeper's)."""
    message = message_claim(message_id)
    if message is None:
        now = timezone.now()
        held = Message.objects.filter(pk=message_id, status=MessageStatus.SENDING, lease_until__gt=now)
        lease_until = held.values_list("lease_until", flat=True).first()
        return None if lease_until is None else lease_until - now + timedelta(seconds=1)
    return message_send_claimed(message)


def message_send_claimed(message: Message) -> timedelta | None:
    """Hand a message this worker claimed (``message_claim``) to its channel and record the outcome.

    Returns the backoff after a transient failure (the row is pending again, due then); None when it
    was sent or failed for good."""
    try:
        channel_get(message.channel).send(message)
    except (PermanentSendError, ImproperlyConfigured) as exc:
        message_fail(message, str(exc))
        return None
    except Exception as exc:  # a transient error, or a bug: both get the bounded retries
        error = f"{type(exc).__name__}: {exc}"
        logger.warning("message %s attempt %s failed: %s", message.pk, message.attempts, error)
        if message.attempts >= settings.ORDERDESK["MESSAGE_MAX_ATTEMPTS"]:
            message_fail(message, error)
            return None
        delay = _backoff(message.attempts)
        Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
            status=MessageStatus.PENDING,
            due_at=timezone.now() + delay,
            lease_until=None,
            last_error=error[:ERROR_MAX],
            updated_at=timezone.now(),
        )
        return delay
    _message_sent(message)
    return None


def _message_sent(message: Message) -> None:
    """Sent, and its event, together: a worker that dies in between leaves neither.

    Only the first worker to finish records it: a second copy sent after a lost lease does not. On
    PostgreSQL the mark and the event are one statement (the UPDATE feeds the INSERT), one round trip
    instead of four (BEGIN, UPDATE, INSERT, COMMIT) on the path every message takes."""
    now = timezone.now()
    event = message_sent_event(message=message, actor=Actor.system())
    if connection.vendor == "postgresql":
        message_table = connection.ops.quote_name(Message._meta.db_table)
        event_table = connection.ops.quote_name(OrderEvent._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH sent AS (UPDATE {message_table} SET status = %s, sent_at = %s, lease_until = NULL,"  # noqa: S608
                f" last_error = '', updated_at = %s{ASYNC_COMMIT['postgresql']}"
                " WHERE id = %s AND status = %s RETURNING order_id)"
                f" INSERT INTO {event_table} (order_id, type, data, actor_id, actor_label, created_at)"
                " SELECT order_id, %s, %s::jsonb, %s, %s, %s FROM sent",
                [
                    MessageStatus.SENT.value,
                    now,
                    now,
                    message.pk,
                    MessageStatus.SENDING.value,
                    event.type.value,
                    json.dumps(event.data),
                    event.actor_id,
                    event.actor_label,
                    now,
                ],
            )
        return
    with transaction.atomic():
        updated = Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
            status=MessageStatus.SENT, sent_at=now, lease_until=None, last_error="", updated_at=now
        )
        if updated:
            events_record(event)


@transaction.atomic
def message_fail(message: Message, error: str) -> None:
    """Failed for good (unless already sent or failed), with its event: it waits for an agent's retry."""
    now = timezone.now()
    updated = Message.objects.filter(pk=message.pk, status__in=[MessageStatus.SENDING, MessageStatus.PENDING]).update(
        status=MessageStatus.FAILED, lease_until=None, last_error=error[:ERROR_MAX], updated_at=now
    )
    if updated:
        logger.error("message %s failed after %s attempt(s): %s", message.pk, message.attempts, error)
        events_record(message_failed_event(message=message, actor=Actor.system(), error=error[:200]))
