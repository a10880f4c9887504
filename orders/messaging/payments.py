"""The buyer's money messages: a balance due after an edit (补差价), a refund issued, and the reminder of
an unpaid order (待付款订单提醒). Rows in the outbox like every message, sent after the transaction commits.

A balance due and a refund are news each time (their kinds repeat); the payment reminder is sent once
per order (the outbox's unique kind), by the periodic ``payment_reminders_queue_due``.
"""

from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone

from orders.events import Actor
from orders.messaging.models import Message, MessageKind, MessageTemplate
from orders.messaging.queue import message_queue_now
from orders.messaging.rendering import Rendered, money_text, template_render
from orders.models import ACTIVE_STATUSES, Order, PaymentRecord, PaymentStatus
from orders.services.locking import order_lock
from orders.shop_config import shop_config


def _money_context(order: Order, language: str, **amounts: Decimal) -> dict:
    def money(amount: Decimal) -> str:
        return money_text(amount, order.currency, language)

    return {
        "shop": order.storefront.name,
        "order": order,
        "customer_name": order.customer.name,
        "total": money(order.total),
        "paid": money(order.amount_paid),
        "balance": money(order.balance_due),
        "refund_due": money(order.refund_due),
        **{name: money(amount) for name, amount in amounts.items()},
    }


def balance_due_render(*, order: Order, amount: Decimal, reason: str, language: str) -> Rendered:
    """What the edit added to the balance and why, what is owed now, and how to pay it on the storefront."""
    context = {**_money_context(order, language, amount=amount), "reason": reason}
    return template_render(MessageTemplate.BALANCE_DUE, language, context)


def refund_issued_render(*, order: Order, record: PaymentRecord, language: str) -> Rendered:
    context = {
        **_money_context(order, language, amount=record.amount),
        "reason": record.reason,
        "reference": record.reference,
    }
    return template_render(MessageTemplate.REFUND_ISSUED, language, context)


def payment_reminder_render(*, order: Order, language: str) -> Rendered:
    return template_render(MessageTemplate.PAYMENT_REMINDER, language, _money_context(order, language))


def balance_due_message_queue(*, order: Order, amount: Decimal, reason: str, actor: Actor) -> Message:
    """Ask the buyer to pay ``amount`` more (the order's whole balance is in the text too). Called in
    the transaction of the edit that raised the balance: a rolled-back edit sends nothing."""
    render = partial(balance_due_render, amount=amount, reason=reason)
    return message_queue_now(order=order, kind=MessageKind.BALANCE_DUE, content=render, actor=actor)[0]


def refund_issued_message_queue(*, order: Order, record: PaymentRecord, actor: Actor) -> Message:
    """Tell the buyer a refund was recorded: the amount, the reason, the reference."""
    render = partial(refund_issued_render, record=record)
    return message_queue_now(order=order, kind=MessageKind.REFUND_ISSUED, content=render, actor=actor)[0]


def _reminder_candidates(cutoff: datetime):
    reminded = Message.objects.filter(order_id=OuterRef("pk"), kind=MessageKind.PAYMENT_REMINDER)
    return (
        Order.objects.filter(payment_status=PaymentStatus.UNPAID, status__in=ACTIVE_STATUSES)
        .alias(ordered_at=Coalesce("placed_at", "created_at"))
        .filter(ordered_at__lte=cutoff)
        .exclude(Exists(reminded))
    )


def payment_reminders_queue_due(*, now: datetime | None = None, limit: int = 200) -> int:
    """Periodic (beat): remind the buyers of orders unpaid ``payment_reminder_hours`` after they were
    placed, once per order. Each order is locked and looked at again in its own transaction (it may
    have been paid meanwhile); the outbox's unique kind makes a second reminder impossible even when
    two runs overlap. Only active orders (neither shipped nor closed) are reminded. Returns how many
    reminders this run queued."""
    hours = shop_config().settings.payment_reminder_hours
    if not hours:
        return 0
    cutoff = (now or timezone.now()) - timedelta(hours=hours)
    queued = 0
    for order_id in list(_reminder_candidates(cutoff).order_by("id").values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            order = order_lock(order_id=order_id)
            if order.payment_status != PaymentStatus.UNPAID or order.status not in ACTIVE_STATUSES:
                continue
            kind = MessageKind.PAYMENT_REMINDER
            _message, created = message_queue_now(order=order, kind=kind, content=payment_reminder_render)
            queued += created
    return queued
