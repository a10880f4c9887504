"""Queueing buyer messages: outbox rows, written in the transaction of the change that calls for them.

Owns the confirmation (``confirmation_message_queue``), the ``shipped`` message
(``shipped_message_queue``), the return-policy reminder
(``return_reminder_schedule``), an agent's resend and retry, and the publication of send tasks after
the commit (``message_sends_publish``); a message's events come from ``orders.events``. Sending one
message is ``orders.messaging.send``; the drain of due reminders and the sweep of lost sends are
``orders.messaging.periodic``. Both build on this module, never the other way round.

* **Queued with the change.** ``confirmation_message_queue`` writes the row inside the transaction
  that confirms the order and publishes the send task with ``transaction.on_commit``: a rollback
  leaves neither a row nor a task, and a task never runs before its row is visible.
* **One row per (order, kind).** A unique constraint (``kind`` other than ``resend``) makes a second
  confirmation or reminder impossible, even from two transactions at once: the second insert fails
  and the existing row is returned. An agent's deliberate resend is its own kind with a reason.

A reminder due days later is a row with that ``due_at``, left to the periodic drain: never a
multi-day countdown on the broker.
"""

from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from orders.events import Actor, events_record, message_failed_event, message_queued_event
from orders.exceptions import InvalidInput, MessageRefused, NotFound
from orders.messaging.channels import message_route
from orders.messaging.links import buyer_link_issue, buyer_link_url
from orders.messaging.models import (
    REPEATABLE_KINDS,
    RESENDABLE_TEMPLATES,
    Message,
    MessageKind,
    MessageStatus,
    MessageTemplate,
)
from orders.messaging.policies import LinePolicy, order_lines_with_policies, reminder_due_at
from orders.messaging.rendering import (
    Rendered,
    confirmation_render,
    message_language,
    reminder_render,
    shipped_render,
)
from orders.models import Order
from orders.services.locking import order_lock
from orders.shop_config import shop_config
from orders.tasks.messaging import message_send
from orders.text import REASON


def message_sends_publish(message_ids: Iterable[int]) -> None:
    """Publish the send tasks once the transaction commits. ``robust``: a broker that is down must
    not fail the caller's request after its data is committed; the sweeper publishes later."""
    ids = list(message_ids)
    if not ids:
        return

    def publish_message_sends() -> None:
        for message_id in ids:
            message_send.delay(message_id)

    transaction.on_commit(publish_message_sends, robust=True)


def message_create(
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
    events_record(
        message_queued_event(message=message, actor=actor)
        if route
        else message_failed_event(message=message, actor=actor, error=message.last_error, queued=True)
    )
    if publish:
        message_sends_publish([message.pk])
    return message, True


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


def message_queue_now(
    *, order: Order, kind: MessageKind, content: Callable[..., Rendered], actor: Actor | None = None
) -> tuple[Message, bool]:
    """A message of ``kind`` (its own template) due now, sent after the transaction commits; returns
    ``(message, created)``. A kind sent once per order returns the row it already has: sending it again
    is an agent's deliberate resend. ``content(order=…, language=…)`` renders it in the buyer's language."""
    if kind not in REPEATABLE_KINDS:
        existing = Message.objects.filter(order=order, kind=kind).first()
        if existing is not None:
            return existing, False
    language = message_language(order.customer.language)
    return message_create(
        order=order,
        kind=kind,
        template=MessageTemplate(kind.value),
        language=language,
        render=partial(content, order=order, language=language),
        due_at=timezone.now(),
        actor=actor or Actor.system(),
    )


@transaction.atomic
def confirmation_message_queue(*, order: Order, actor: Actor | None = None) -> Message:
    """The confirmation summary for a just-confirmed order, sent after the transaction commits.

    Called by ``order_confirm`` and ``order_auto_confirm`` inside their transaction. Confirming the
    same order again (after a change) sends nothing new: an agent resends deliberately."""
    return message_queue_now(order=order, kind=MessageKind.CONFIRMATION, content=_confirmation_content, actor=actor)[0]


def _shipped_content(order: Order, language: str) -> Rendered:
    return shipped_render(order=order, policies=order_lines_with_policies(order), language=language)


@transaction.atomic
def shipped_message_queue(*, order: Order, actor: Actor | None = None) -> Message:
    """The courier and tracking number for a just-shipped order, sent after the transaction commits.

    Called by ``order_ship`` inside its transaction; one per order (the unique constraint), so a
    tracking number corrected later is told by an agent's resend, never by a second ``shipped``."""
    return message_queue_now(order=order, kind=MessageKind.SHIPPED, content=_shipped_content, actor=actor)[0]


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
    message, _created = message_create(
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
    if template not in RESENDABLE_TEMPLATES:
        raise InvalidInput(fields={"kind": [_("Choose one of: %s.") % ", ".join(RESENDABLE_TEMPLATES)]})
    order = order_lock(order_id=order_id)
    language = message_language(order.customer.language)
    if template == MessageTemplate.CONFIRMATION:
        render = partial(_confirmation_content, order, language)
    elif template == MessageTemplate.SHIPPED:
        if order.shipped_at is None:
            raise MessageRefused(_("The order has not shipped yet."))
        render = partial(_shipped_content, order, language)
    else:
        if order.delivered_at is None:
            raise MessageRefused(_("The order has not been delivered yet."))
        render = partial(_reminder_content, order, language, order_lines_with_policies(order))
    message, _created = message_create(
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
    events_record(message_queued_event(message=message, actor=actor, retry=True))
    message_sends_publish([message.pk])
    return message
