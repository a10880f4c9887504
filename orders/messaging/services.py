"""The outbox: messages to buyers are rows first, and each is sent once.

How "once" holds, whatever fails:

* **Queued with the change.** ``confirmation_message_queue`` writes the row inside the transaction
  that confirms the order and publishes the send task with ``transaction.on_commit``: a rollback
  leaves neither a row nor a task, and a task never runs before its row is visible.
* **One row per (order, kind).** A unique constraint (``kind`` other than ``resend``) makes a second
  confirmation or reminder impossible, even from two transactions at once: the second insert fails
  and the existing row is returned. An agent's deliberate resend is its own kind with a reason.
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
* **The outbox is the truth, not Redis.** A task can be lost (the broker restarted, the publish after
  commit failed, Redis' visibility timeout not yet over): the sweeper re-publishes ``pending`` rows
  whose task should have run a lease ago and ``sending`` rows whose lease expired. A task that
  arrives twice finds the row already claimed or sent and does nothing.
* **Bounded retries.** A transient failure puts the row back to ``pending`` due after an exponential
  backoff (the task retries with that countdown); after ``MESSAGE_MAX_ATTEMPTS`` or a permanent
  failure the row is ``failed`` and waits for an agent (admin: retry).

Reminders due days later are rows with a ``due_at``, drained by a periodic task: never a multi-day
countdown on the broker.
"""

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from orders.addresses import phone_is_mobile
from orders.events import Actor, event_record
from orders.exceptions import InvalidInput, MessageRefused, NotFound
from orders.messaging.channels import PermanentSendError, channel_get, channels_configured
from orders.messaging.links import buyer_link_issue, buyer_link_url
from orders.messaging.models import Message, MessageChannel, MessageKind, MessageStatus, MessageTemplate
from orders.messaging.policies import LinePolicy, order_lines_with_policies, reminder_due_at
from orders.messaging.rendering import Rendered, confirmation_render, message_language, reminder_render
from orders.models import Order, OrderEvent, OrderEventType
from orders.services.locking import order_lock
from orders.shop_config import shop_config
from orders.tasks.messaging import message_send
from orders.text import REASON

logger = logging.getLogger(__name__)

ERROR_MAX = 1000


def _setting(name: str):
    return settings.ORDERDESK[name]


# --- Queueing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    channel: str
    recipient: str


def message_route(order: Order) -> Route | None:
    """The first channel of the shop's preference that is configured and reaches this buyer."""
    configured = channels_configured()
    customer = order.customer
    for channel in _setting("MESSAGE_CHANNEL_PREFERENCE"):
        if channel not in configured:
            continue
        recipient = ""
        if channel == MessageChannel.EMAIL:
            recipient = customer.email
        elif channel == MessageChannel.SMS:
            recipient = next((p for p in (order.ship_phone, customer.phone) if p and phone_is_mobile(p)), "")
        elif channel == MessageChannel.CHAT:
            recipient = customer.external_id
        if recipient:
            return Route(channel=channel, recipient=recipient)
    return None


def _message_create(
    *,
    order: Order,
    kind: MessageKind,
    template: MessageTemplate,
    language: str,
    render: Callable[[], Rendered],
    due_at: datetime,
    actor: Actor,
    reason: str = "",
    publish: bool = True,
) -> tuple[Message, bool]:
    """Insert the row (or find the one that exists), record the event and, with ``publish``, send it
    once the transaction commits; returns ``(message, created)``.

    ``render`` runs inside the row's savepoint, so a buyer link it issues disappears with a
    losing duplicate insert."""
    route = message_route(order)
    publish = publish and route is not None
    try:
        with transaction.atomic():
            rendered = render()
            message = Message.objects.create(
                order=order,
                kind=kind,
                template=template,
                channel=route.channel if route else "",
                recipient=route.recipient if route else "",
                language=language,
                subject=rendered.subject[:200],
                body=rendered.body,
                due_at=due_at,
                published_at=timezone.now() if publish else None,
                reason=reason,
                created_by=actor.user,
                status=MessageStatus.PENDING if route else MessageStatus.FAILED,
                last_error="" if route else "no configured channel reaches this buyer",
            )
    except IntegrityError:
        existing = Message.objects.filter(order=order, kind=kind).first()
        if existing is None:
            raise
        return existing, False
    event_record(
        order=order,
        type=OrderEventType.MESSAGE_QUEUED if route else OrderEventType.MESSAGE_FAILED,
        actor=actor,
        message=message.pk,
        kind=str(kind),
        channel=message.channel,
        due_at=due_at.isoformat(),
        **({"reason": reason} if reason else {}),
        **({} if route else {"error": message.last_error}),
    )
    if publish:
        _publish_on_commit([message.pk])
    return message, True


def _publish_on_commit(message_ids: Iterable[int]) -> None:
    """Publish the send tasks once the transaction commits. ``robust``: a broker that is down must
    not fail the caller's request after its data is committed; the sweeper publishes later."""
    ids = list(message_ids)
    if not ids:
        return

    def publish_message_sends() -> None:
        for message_id in ids:
            message_send.delay(message_id)

    transaction.on_commit(publish_message_sends, robust=True)


def _confirmation_content(order: Order, language: str) -> Rendered:
    days = shop_config().settings.buyer_link_days
    token = buyer_link_issue(order=order, valid_days=days)
    return confirmation_render(
        order=order,
        policies=order_lines_with_policies(order),
        language=language,
        link=buyer_link_url(token),
        link_days=days,
    )


@transaction.atomic
def confirmation_message_queue(*, order: Order, actor: Actor | None = None) -> Message:
    """The confirmation summary for a just-confirmed order, sent after the transaction commits.

    Called by ``order_confirm`` and ``order_auto_confirm`` inside their transaction. Confirming the
    same order again (after a change) sends nothing new: an agent resends deliberately."""
    existing = Message.objects.filter(order=order, kind=MessageKind.CONFIRMATION).first()
    if existing is not None:
        return existing
    language = message_language(order.customer.language)
    message, _created = _message_create(
        order=order,
        kind=MessageKind.CONFIRMATION,
        template=MessageTemplate.CONFIRMATION,
        language=language,
        render=partial(_confirmation_content, order, language),
        due_at=timezone.now(),
        actor=actor or Actor.system(),
    )
    return message


def _reminder_content(order: Order, language: str, policies: list[LinePolicy]) -> Rendered:
    return reminder_render(order=order, policies=policies, language=language, delivered_at=order.delivered_at)


@transaction.atomic
def return_reminder_schedule(*, order: Order, actor: Actor | None = None) -> Message | None:
    """The return-policy reminder of a delivered order, as a row due before the window closes.

    The due time follows ``policies.reminder_due_at``: ``reminder_days_before_close`` days before
    the first no-reason window of the order closes. None when no line can be returned without a
    reason (only customised goods, or no policy): there is nothing to remind of. The periodic
    drain (``return_reminders_send_due``) sends it when due; scheduling twice keeps the first row.
    """
    if order.delivered_at is None:
        raise MessageRefused(_("The order has not been delivered yet."))
    existing = Message.objects.filter(order=order, kind=MessageKind.RETURN_POLICY_REMINDER).first()
    if existing is not None:
        return existing
    policies = order_lines_with_policies(order)
    due_at = reminder_due_at(
        delivered_at=order.delivered_at,
        policies=policies,
        days_before_close=shop_config().settings.reminder_days_before_close,
    )
    if due_at is None:
        return None
    language = message_language(order.customer.language)
    message, _created = _message_create(
        order=order,
        kind=MessageKind.RETURN_POLICY_REMINDER,
        template=MessageTemplate.RETURN_POLICY_REMINDER,
        language=language,
        render=partial(_reminder_content, order, language, policies),
        due_at=due_at,
        actor=actor or Actor.system(),
        publish=False,
    )
    return message


@transaction.atomic
def message_resend(*, order_id: int, template: str, reason: str, actor: Actor) -> Message:
    """An agent sends a message again on purpose (the buyer lost it, the order changed): a new row of
    kind ``resend`` with the reason, rendered from the order as it is now."""
    reason = REASON.required(reason)
    if template not in MessageTemplate.values:
        raise InvalidInput(fields={"kind": [_("Choose one of: %s.") % ", ".join(MessageTemplate.values)]})
    order = order_lock(order_id=order_id)
    language = message_language(order.customer.language)
    if template == MessageTemplate.CONFIRMATION:
        render = partial(_confirmation_content, order, language)
    else:
        if order.delivered_at is None:
            raise MessageRefused(_("The order has not been delivered yet."))
        render = partial(_reminder_content, order, language, order_lines_with_policies(order))
    message, _created = _message_create(
        order=order,
        kind=MessageKind.RESEND,
        template=MessageTemplate(template),
        language=language,
        render=render,
        due_at=timezone.now(),
        actor=actor,
        reason=reason,
    )
    return message


@transaction.atomic
def message_retry(*, message_id: int, actor: Actor) -> Message:
    """An agent sends a failed message again: back to pending, with a fresh budget of attempts."""
    message = Message.objects.select_for_update().select_related("order__customer").filter(pk=message_id).first()
    if message is None:
        raise NotFound()
    if message.status != MessageStatus.FAILED:
        raise MessageRefused(_("Only a failed message can be retried."))
    route = message_route(message.order)
    if route is None:
        raise MessageRefused(_("No configured channel reaches this buyer."))
    now = timezone.now()
    message.channel, message.recipient = route.channel, route.recipient
    message.status, message.attempts, message.due_at = MessageStatus.PENDING, 0, now
    message.lease_until, message.published_at = None, now
    message.save(
        update_fields=[
            "channel",
            "recipient",
            "status",
            "attempts",
            "due_at",
            "lease_until",
            "published_at",
            "updated_at",
        ]
    )
    _message_event(message, OrderEventType.MESSAGE_QUEUED, actor, retry=True)
    _publish_on_commit([message.pk])
    return message


# --- Sending -------------------------------------------------------------------------------------


def _backoff(attempts: int) -> timedelta:
    first: timedelta = _setting("MESSAGE_RETRY_BACKOFF")
    return min(first * (2 ** max(attempts - 1, 0)), _setting("MESSAGE_RETRY_BACKOFF_MAX"))


def _claim(message_id: int, *, due_by: datetime | None = None) -> Message | None:
    """Take the row for this worker with one conditional UPDATE; None when another has it or it is done.

    Claimable: within the attempts budget, and ``pending`` and due (by ``due_by``, default now: the
    demo's drain moves the clock), or ``sending`` with an expired lease (its worker died). The UPDATE
    returns the claimed row (``RETURNING``): one round trip, no read-back. The order is not loaded:
    the channels that need it (the webhook's payload) fetch it when they touch it. Written out because
    Django's ``update()`` returns no rows, and because compiling the same condition from a ``Q`` cost
    more CPU (1.3 ms) than the rest of the send."""
    now = timezone.now()
    ops = connection.ops
    table = Message._meta.db_table
    columns = ", ".join(ops.quote_name(field.column) for field in Message._meta.concrete_fields)
    sql = (
        f"UPDATE {ops.quote_name(table)} SET status = %s, lease_until = %s, attempts = attempts + 1, "  # noqa: S608 - metadata only
        "updated_at = %s"
        " WHERE id = %s AND attempts < %s"
        " AND ((status = %s AND due_at <= %s) OR (status = %s AND lease_until < %s))"
        f" RETURNING {columns}"
    )
    at = ops.adapt_datetimefield_value
    params = [
        MessageStatus.SENDING.value,
        at(now + _setting("MESSAGE_LEASE")),
        at(now),
        message_id,
        _setting("MESSAGE_MAX_ATTEMPTS"),
        MessageStatus.PENDING.value,
        at(due_by or now),
        MessageStatus.SENDING.value,
        at(now),
    ]
    # A raw queryset applies the backend's converters (SQLite's datetimes) and builds the instance.
    return next(iter(Message.objects.raw(sql, params)), None)


def message_deliver(*, message_id: int) -> timedelta | None:
    """Claim the message and send it. Returns when to try again: the backoff after a transient
    failure, or the rest of another worker's lease while the message is being sent (that worker may
    have died: a task re-delivered after its worker was lost finds the dead worker's claim). None
    when there is nothing for this task to do: sent, failed for good, not due (a retry or the drain
    has it), or a lease already expired (the sweeper's)."""
    message = _claim(message_id)
    if message is None:
        now = timezone.now()
        held = Message.objects.filter(pk=message_id, status=MessageStatus.SENDING, lease_until__gt=now)
        lease_until = held.values_list("lease_until", flat=True).first()
        return None if lease_until is None else lease_until - now + timedelta(seconds=1)
    return _send_claimed(message)


def _send_claimed(message: Message) -> timedelta | None:
    try:
        channel_get(message.channel).send(message)
    except (PermanentSendError, ImproperlyConfigured) as exc:
        _message_fail(message, str(exc))
        return None
    except Exception as exc:  # a transient error, or a bug: both get the bounded retries
        error = f"{type(exc).__name__}: {exc}"
        logger.warning("message %s attempt %s failed: %s", message.pk, message.attempts, error)
        if message.attempts >= _setting("MESSAGE_MAX_ATTEMPTS"):
            _message_fail(message, error)
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
    data = _message_event_data(message, attempts=message.attempts)
    if connection.vendor == "postgresql":
        message_table = connection.ops.quote_name(Message._meta.db_table)
        event_table = connection.ops.quote_name(OrderEvent._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH sent AS (UPDATE {message_table} SET status = %s, sent_at = %s, lease_until = NULL,"  # noqa: S608
                " last_error = '', updated_at = %s WHERE id = %s AND status = %s RETURNING order_id)"
                f" INSERT INTO {event_table} (order_id, type, data, actor_id, actor_label, created_at)"
                " SELECT order_id, %s, %s::jsonb, NULL, %s, %s FROM sent",
                [
                    MessageStatus.SENT.value,
                    now,
                    now,
                    message.pk,
                    MessageStatus.SENDING.value,
                    OrderEventType.MESSAGE_SENT.value,
                    json.dumps(data),
                    Actor.system().label,
                    now,
                ],
            )
        return
    with transaction.atomic():
        updated = Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
            status=MessageStatus.SENT, sent_at=now, lease_until=None, last_error="", updated_at=now
        )
        if updated:
            _message_event(message, OrderEventType.MESSAGE_SENT, Actor.system(), attempts=message.attempts)


@transaction.atomic
def _message_fail(message: Message, error: str) -> None:
    now = timezone.now()
    updated = Message.objects.filter(pk=message.pk, status__in=[MessageStatus.SENDING, MessageStatus.PENDING]).update(
        status=MessageStatus.FAILED, lease_until=None, last_error=error[:ERROR_MAX], updated_at=now
    )
    if updated:
        logger.error("message %s failed after %s attempt(s): %s", message.pk, message.attempts, error)
        _message_event(
            message, OrderEventType.MESSAGE_FAILED, Actor.system(), attempts=message.attempts, error=error[:200]
        )


def _message_event_data(message: Message, **data: object) -> dict[str, object]:
    return {"message": message.pk, "kind": message.kind, "channel": message.channel, **data}


def _message_event(message: Message, type_: OrderEventType, actor: Actor, **data: object) -> None:
    # By the order's id: the claimed row does not carry its order, and the event needs no more.
    OrderEvent.objects.create(
        order_id=message.order_id,
        type=type_,
        actor=actor.user,
        actor_label=actor.label,
        data=_message_event_data(message, **data),
    )


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
            attempts__lt=_setting("MESSAGE_MAX_ATTEMPTS"),
        )
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )
    claimed = 0
    for message_id in list(due):
        message = _claim(message_id, due_by=as_of)
        if message is not None:
            claimed += 1
            _send_claimed(message)
    return claimed


def messages_sweep(*, limit: int = 500) -> int:
    """Re-publish the send task of messages whose task was lost; returns how many.

    Lost means: ``sending`` past the lease (the worker died mid-send), or ``pending`` and due for a
    lease already while no task took it (the publish after commit failed, the broker lost it). A
    reminder that is merely due is the drain's, not the sweeper's. A row whose last attempt's worker
    died is failed, not tried past the bound."""
    now = timezone.now()
    lease: timedelta = _setting("MESSAGE_LEASE")
    max_attempts = _setting("MESSAGE_MAX_ATTEMPTS")
    for message in Message.objects.select_related("order").filter(
        status=MessageStatus.SENDING, lease_until__lt=now, attempts__gte=max_attempts
    ):
        _message_fail(message, "the worker was lost during the last attempt")
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
        _publish_on_commit(ids)
    if ids:
        logger.info("sweeper re-published %d message(s): %s", len(ids), ids)
    return len(ids)
