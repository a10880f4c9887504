"""Shipping and delivery: the courier's tracking format, the promised courier, corrections as events."""

import re
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from orders.events import Actor, courier_overridden_event, events_record, tracking_corrected_event
from orders.exceptions import InvalidInput, PermissionDeniedError, ShippingRefused
from orders.messaging.queue import return_reminder_schedule, shipped_message_queue
from orders.models import SHIPPED_STATUSES, Order, OrderEventType, OrderStatus
from orders.services.lifecycle import order_transition
from orders.services.locking import order_lock
from orders.services.payments import payment_ship_guard
from orders.services.pipeline import siblings_recheck_later
from orders.shop_config import CourierFacts, shop_config
from orders.text import OVERRIDE_REASON, REASON

_SEPARATORS = re.compile(r"[\s\-_/]+")


def tracking_normalise(number: str) -> str:
    """Couriers print numbers with spaces and dashes and buyers type them in lower case."""
    return _SEPARATORS.sub("", number or "").upper()


def _courier(code: str) -> CourierFacts:
    courier = shop_config().couriers.get((code or "").strip().upper())
    if courier is None:
        known = ", ".join(sorted(shop_config().couriers))
        raise InvalidInput(fields={"courier": [_("Unknown courier; use one of: %s.") % known]})
    return courier


def _tracking(courier: CourierFacts, number: str) -> str:
    normalised = tracking_normalise(number)
    if not normalised:
        raise InvalidInput(fields={"tracking_number": [_("This field is required.")]})
    if not courier.tracking_matches(normalised):
        raise InvalidInput(
            fields={
                "tracking_number": [
                    _("“%(number)s” is not a %(courier)s tracking number.")
                    % {"number": number, "courier": courier.code}
                ]
            }
        )
    return normalised


def _may_override(actor: Actor) -> bool:
    return actor.user is not None and actor.user.has_perm("orders.override_courier")


def stalled_after(*, order: Order, news_at: datetime) -> datetime:
    """When a parcel with its last news (or its shipping) at ``news_at`` counts as stalled: the shop's
    limit for the order's province later. Kept on the order (``Order.stalled_after``) so that the
    abnormal orders find the stalled ones in a range of an index, never by reading every shipment."""
    return news_at + timedelta(days=shop_config().stalled_after_days(order.ship_province))


def ship_courier_default(*, order: Order) -> str | None:
    """The courier the ship form starts from: one that ``order_ship`` takes without an override. The one
    promised to the buyer; none when the shop has since switched it off (any courier then breaks the
    promise, and a supervisor decides); with no promise, the shop's first default."""
    config = shop_config()
    if order.requested_courier:
        promised = config.couriers.get(order.requested_courier)
        return promised.code if promised is not None and promised.in_use else None
    return next(iter(config.default_couriers), None)


@transaction.atomic
def order_ship(
    *,
    order_id: int,
    courier: str,
    tracking_number: str,
    actor: Actor,
    override_reason: str = "",
    expected_version: int | None = None,
) -> Order:
    """Hand a confirmed order to the courier. A courier other than the one promised to the buyer is
    refused (违背承诺 is penalised) unless a supervisor overrides it with a reason. Nothing unpaid or
    with a balance due ships (409 ``payment_due``). The buyer gets the ``shipped`` message (courier,
    tracking number, goods) once the transaction commits."""
    facts = _courier(courier)
    number = _tracking(facts, tracking_number)
    order = order_lock(order_id=order_id, expected_version=expected_version)
    if order.status != OrderStatus.CONFIRMED:
        raise ShippingRefused(
            _("Only confirmed orders can ship; this one is %s.") % order.get_status_display(),
            data={"status": order.status},
        )
    payment_ship_guard(order)
    promised = order.requested_courier
    override_reason = OVERRIDE_REASON.optional(override_reason)
    broken_promise = bool(promised) and promised != facts.code
    if broken_promise or not facts.in_use:
        if not override_reason:
            if broken_promise:
                raise ShippingRefused(
                    _("The buyer was promised %(promised)s; shipping with %(courier)s breaks that promise.")
                    % {"promised": promised, "courier": facts.code},
                    data={"promised": promised, "courier": facts.code},
                )
            raise ShippingRefused(_("The shop does not use %s.") % facts.code, data={"courier": facts.code})
        if not _may_override(actor):
            raise PermissionDeniedError(_("Only a supervisor may override the promised or usual courier."))

    order.shipped_courier = facts.code
    order.tracking_number = number
    order.shipped_at = timezone.now()
    order.stalled_after = stalled_after(order=order, news_at=order.shipped_at)
    if broken_promise or not facts.in_use:
        events_record(
            courier_overridden_event(
                order=order, actor=actor, promised=promised, courier=facts.code, reason=override_reason
            )
        )
    order_transition(
        order=order,
        to=OrderStatus.SHIPPED,
        actor=actor,
        event_type=OrderEventType.SHIPPED,
        also_save=["shipped_courier", "tracking_number", "shipped_at", "stalled_after"],
        courier=facts.code,
        tracking_number=number,
    )
    shipped_message_queue(order=order, actor=actor)
    siblings_recheck_later(order)
    return order


@transaction.atomic
def order_tracking_correct(
    *,
    order_id: int,
    tracking_number: str,
    reason: str,
    actor: Actor,
    courier: str | None = None,
    expected_version: int | None = None,
) -> Order:
    """Fix a mistyped tracking number after shipping; the old and new numbers stay in the history."""
    reason = REASON.required(reason)
    order = order_lock(order_id=order_id, expected_version=expected_version)
    if order.status not in SHIPPED_STATUSES:
        raise ShippingRefused(_("Only a shipped order has a tracking number to correct."))
    code = (courier or order.shipped_courier).strip().upper()
    if code != order.shipped_courier and order.requested_courier and code != order.requested_courier:
        raise ShippingRefused(_("The buyer was promised %s.") % order.requested_courier)
    facts = _courier(code)
    number = _tracking(facts, tracking_number)
    before = {"courier": order.shipped_courier, "tracking_number": order.tracking_number}
    order.shipped_courier, order.tracking_number = facts.code, number
    order.version += 1
    order.save(update_fields=["shipped_courier", "tracking_number", "version", "updated_at"])
    events_record(
        tracking_corrected_event(
            order=order,
            actor=actor,
            before=before,
            after={"courier": facts.code, "tracking_number": number},
            reason=reason,
        )
    )
    return order


@transaction.atomic
def order_deliver(
    *, order_id: int, actor: Actor, delivered_at: datetime | None = None, expected_version: int | None = None
) -> Order:
    """The buyer has the parcel: the return window starts now (or at ``delivered_at``)."""
    now = timezone.now()
    delivered_at = delivered_at or now
    order = order_lock(order_id=order_id, expected_version=expected_version)
    if delivered_at > now:
        raise InvalidInput(fields={"delivered_at": [_("Cannot be in the future.")]})
    if order.shipped_at and delivered_at < order.shipped_at:
        raise InvalidInput(fields={"delivered_at": [_("Cannot be before the order shipped.")]})
    order.delivered_at, order.stalled_after = delivered_at, None
    order_transition(
        order=order,
        to=OrderStatus.DELIVERED,
        actor=actor,
        event_type=OrderEventType.DELIVERED,
        also_save=["delivered_at", "stalled_after"],
        delivered_at=delivered_at.isoformat(),
    )
    return_reminder_schedule(order=order, actor=actor)
    return order
