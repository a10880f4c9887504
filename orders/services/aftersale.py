"""What a case's resolution does on the order besides recording the outcome (issue 16 item 4).

``resent`` (补发): the lost or damaged parcel goes out again as a new order for the warehouse, the same buyer,
address and lines (gifts too) at 0.00, paid (nothing to pay), confirmed (on the pick list), linked to the
case and flagged purple (other/abnormal, PRODUCT.md: not a gift nor a customisation, and the warehouse must
not mistake it for a new sale). ``returned`` (退货): the lines the return policies still allow are accepted,
one event naming them and their policies; none allowed is a refusal.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from flags.rules import ABNORMAL
from flags.services import flag_raise
from orders.events import (
    Actor,
    events_record,
    replacement_created_event,
    resent_event,
    return_accepted_event,
    transition_event,
)
from orders.exceptions import OrderNotShipped, ReturnNotAllowed
from orders.models import SHIPPED_STATUSES, Case, Order, OrderEventType, OrderLine, OrderStatus, PaymentStatus
from orders.money import ZERO
from orders.pricing import totals_refresh
from orders.returns import ReturnPolicies, line_return_policy
from orders.services.locking import order_lock
from orders.services.merge import order_lines_copy
from orders.text import FLAG_NOTE


def replacement_external_id(original: Order) -> str:
    """``<external_id>-R<n>``: the next number free in the original's storefront (the original's id cut
    short when the whole would not fit the field)."""
    limit = Order._meta.get_field("external_id").max_length
    stem = original.external_id[: limit - 6]  # room for "-R9999"

    def candidate(number: int) -> str:
        suffix = f"-R{number}"
        return original.external_id[: limit - len(suffix)] + suffix

    taken = set(
        Order.objects.filter(storefront_id=original.storefront_id, external_id__startswith=stem).values_list(
            "external_id", flat=True
        )
    )
    number = 1
    while candidate(number) in taken:
        number += 1
    return candidate(number)


def order_resend(*, case: Case, actor: Actor) -> Order:
    """A replacement order for the case's shipped order; the case links to it. Runs in the caller's
    transaction (``case_resolve``); refuses an order that has not shipped (``order_not_shipped``)."""
    original = order_lock(order_id=case.order_id)
    if original.status not in SHIPPED_STATUSES:
        raise OrderNotShipped()
    lines = order_lines_copy([original])
    for line in lines:
        line.unit_price = ZERO
        line.adjustment = ZERO
    now = timezone.now()
    replacement = Order(
        storefront_id=original.storefront_id,
        customer_id=original.customer_id,
        external_id=replacement_external_id(original),
        status=OrderStatus.CONFIRMED,
        payment_status=PaymentStatus.PAID,
        placed_at=now,
        currency=original.currency,
        requested_courier=original.requested_courier,
        gift_wrap=original.gift_wrap,
        engraving_text=original.engraving_text,
        card_message=original.card_message,
        shipping_fee=ZERO,
        confirmed_at=now,
        confirmed_by=actor.user,
    )
    original.shipping_address.to_model(replacement, "ship_")
    totals_refresh(replacement, lines)
    replacement.amount_paid = ZERO
    replacement.save(force_insert=True)
    for line in lines:
        line.order = replacement
    OrderLine.objects.bulk_create(lines)
    case.replacement = replacement
    events_record(
        replacement_created_event(case=case, replacement=replacement, original=original, actor=actor),
        transition_event(
            order=replacement,
            type=OrderEventType.STATUS_CHANGED,
            actor=actor,
            before=OrderStatus.RECEIVED,
            after=OrderStatus.CONFIRMED,
        ),
        resent_event(case=case, replacement=replacement, actor=actor),
    )
    with translation.override(settings.LANGUAGE_CODE):  # flag notes are in the shop's language
        note = _("Replaces the lost or damaged parcel of order %(external_id)s (case #%(case)s).") % {
            "external_id": original.external_id,
            "case": case.pk,
        }
    flag_raise(
        order=replacement,
        category_code=ABNORMAL,
        cause=f"replaces:{original.pk}",
        note=note[: FLAG_NOTE.limit],
        actor=actor,
    )
    return replacement


def return_accept(*, case: Case, actor: Actor) -> list[dict]:
    """Accept the return of the lines the policies still allow (the window counts from ``delivered_at``;
    engraved goods, ``custom-none``, never); refuses when none may go back (``return_not_allowed``)."""
    order = order_lock(order_id=case.order_id)
    if order.status not in SHIPPED_STATUSES:
        raise OrderNotShipped()
    policies = ReturnPolicies.load()
    now = timezone.now()
    accepted, refused = [], []
    for line in order.lines.select_related("variant__product").order_by("position", "id"):
        policy = line_return_policy(line, order, policies)
        entry = {"line": line.pk, "sku": line.sku, "quantity": line.quantity, "policy": policy.code if policy else None}
        if policy is None or policy.return_days <= 0:
            refused.append({**entry, "why": "not_returnable"})
        elif order.delivered_at is not None and now > order.delivered_at + timedelta(days=policy.return_days):
            refused.append({**entry, "why": "window_closed"})
        else:
            accepted.append(entry)
    if not accepted:
        raise ReturnNotAllowed(data={"lines": refused})
    events_record(return_accepted_event(case=case, actor=actor, lines=accepted, refused=refused))
    return accepted
