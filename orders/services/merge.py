"""Merging orders (合并订单): unshipped orders of one buyer to one address ship together and pay
shipping once; unmerging before shipping puts every original back exactly as it was.

A merge creates a new primary order (the goods of all originals, their adjustments, shipping by the
rules once) that enters the agents' queue with fresh checks. Each original stays addressable by its
own id with status ``merged`` and a link to the primary; its payment (amount paid, refund due)
travels to the primary, and the state to restore is kept on the ``OrderMerge`` record. Refused
merges say why, order by order, and change nothing.

The rules, and every refusal with its reason: ``orders.services.merge_rules``.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from orders.events import Actor, events_record, merged_event, transition_event
from orders.exceptions import NotFound
from orders.models import (
    CheckResult,
    CheckStatus,
    Order,
    OrderEventType,
    OrderLine,
    OrderMerge,
    OrderStatus,
)
from orders.money import ZERO, quantize
from orders.pricing import (
    merged_shipping_fee,
    order_shipping_quote,
    order_totals,
    payment_reconcile,
    totals_refresh,
)
from orders.services.checks import order_checks_refresh
from orders.services.gifts import gift_lines_data, gift_lines_topup
from orders.services.lifecycle import order_transition
from orders.services.locking import orders_lock
from orders.services.merge_rules import (
    Refusal,
    merge_refused,
    missing_refusals,
    not_merged_refusal,
    order_refusals,
    request_refusals,
    unmerge_refusal,
)
from orders.services.pipeline import order_after_intake, siblings_recheck_later
from orders.shop_config import shop_config
from orders.text import BUYER_NOTE, REASON, SELLER_MEMO

MERGEABLE_HINT = "order.mergeable"
# What a merge changes on an original (besides its status, link and version) and an unmerge restores.
MOVED_MONEY = ("amount_paid", "refund_due")


def _merged_external_id(first: Order) -> str:
    prefix = f"MERGE-{first.pk}-"
    count = Order.objects.filter(storefront_id=first.storefront_id, external_id__startswith=prefix).count()
    return f"{prefix}{count + 1}"


def _primary_build(originals: list[Order], lines: list[OrderLine]) -> Order:
    """The primary order, unsaved, with the originals' goods and money and shipping once by the rules."""
    first = originals[0]
    texts = {
        field: next((getattr(o, field) for o in originals if getattr(o, field)), "")
        for field in ("engraving_text", "card_message")
    }
    notes = list(dict.fromkeys(o.buyer_note for o in originals if o.buyer_note))
    memos = list(dict.fromkeys(o.seller_memo for o in originals if o.seller_memo))
    placed = [o.placed_at for o in originals if o.placed_at is not None]
    primary = Order(
        storefront_id=first.storefront_id,
        customer=first.customer,
        external_id=_merged_external_id(first),
        status=OrderStatus.PENDING_CONFIRMATION,
        payment_status=first.payment_status,
        placed_at=min(placed) if placed else None,
        currency=first.currency,
        requested_courier=first.requested_courier,
        gift_wrap=any(o.gift_wrap for o in originals),
        engraving_text=texts["engraving_text"],
        card_message=texts["card_message"],
        buyer_note="\n".join(notes)[: BUYER_NOTE.limit],
        seller_memo="\n".join(memos)[: SELLER_MEMO.limit],
        adjustment=quantize(sum((o.adjustment for o in originals), ZERO)),
        shipping_fee=ZERO,
    )
    first.shipping_address.to_model(primary, "ship_")
    totals_refresh(primary, lines)
    quote = order_shipping_quote(primary, config=shop_config())
    primary.shipping_fee = merged_shipping_fee(quote=quote, fees_charged=(o.shipping_fee for o in originals))
    totals_refresh(primary, lines)
    primary.amount_paid = quantize(sum((o.amount_paid for o in originals), ZERO))
    payment_reconcile(primary)
    return primary


def order_lines_copy(originals: list[Order]) -> list[OrderLine]:
    """The originals' lines in order (by order id, then position), renumbered, prices and edits kept."""
    rank = {order.pk: index for index, order in enumerate(originals)}
    source = sorted(
        OrderLine.objects.select_related("variant__product").filter(order_id__in=rank),
        key=lambda line: (rank[line.order_id], line.position, line.pk),
    )
    return [
        OrderLine(
            position=position,
            variant=line.variant,
            sku=line.sku,
            product_name=line.product_name,
            size=line.size,
            colour=line.colour,
            quantity=line.quantity,
            unit_price=line.unit_price,
            adjustment=line.adjustment,
            is_gift=line.is_gift,
            gift_rule_id=line.gift_rule_id,
        )
        for position, line in enumerate(source, start=1)
    ]


def _check_state(row: CheckResult) -> dict:
    return {
        "status": row.status,
        "resolved_at": row.resolved_at.isoformat() if row.resolved_at else None,
        "resolved_by": row.resolved_by_id,
        "note": row.note,
    }


def _original_merge(*, order: Order, primary: Order, actor: Actor, reason: str) -> dict:
    """Move one original into the primary: its payment goes along, its mergeable hint is settled.
    Returns what an unmerge needs to restore it."""
    state = {
        "order": order.pk,
        "fields": {"status": order.status, **{name: str(getattr(order, name)) for name in MOVED_MONEY}},
        "checks": {},
    }
    hints = list(order.checks.filter(code=MERGEABLE_HINT).exclude(status=CheckStatus.RESOLVED))
    now = timezone.now()
    for row in hints:
        state["checks"][str(row.pk)] = _check_state(row)
        row.status, row.resolved_at, row.resolved_by = CheckStatus.RESOLVED, now, actor.user
        row.note = _("Merged into %s.") % primary.external_id
        row.updated_at = now
    CheckResult.objects.bulk_update(hints, ["status", "resolved_at", "resolved_by", "note", "updated_at"])

    order.merged_into = primary
    order.amount_paid = order.refund_due = ZERO
    order_transition(
        order=order,
        to=OrderStatus.MERGED,
        actor=actor,
        event_type=OrderEventType.MERGED,
        also_save=["merged_into", *MOVED_MONEY],
        into={"id": primary.pk, "external_id": primary.external_id},
        reason=reason,
    )
    return state


@dataclass(frozen=True)
class MergePlan:
    """What merging would do: the refusals, or else the primary order and its lines, unsaved."""

    originals: list[Order]
    refusals: list[Refusal]
    primary: Order | None
    lines: list[OrderLine]
    # The gift lines among ``lines`` that the merged goods earn beyond the originals' gifts.
    gifts_added: tuple[OrderLine, ...] = ()


def merge_plan(*, order_ids: Sequence[int], orders: Mapping[int, Order]) -> MergePlan:
    """Every rule of a merge, applied to ``orders`` (id → order, as loaded or locked by the caller)
    without saving anything: ``orders_merge`` carries the plan out, the admin shows it first."""
    refusals = request_refusals(order_ids) + missing_refusals(order_ids, orders)
    originals = [orders[order_id] for order_id in sorted(orders)]
    if originals:
        refusals.extend(order_refusals(originals))
    if refusals:
        return MergePlan(originals, refusals, None, [])
    lines = order_lines_copy(originals)
    primary = _primary_build(originals, lines)
    # Every original's gifts are kept; the merged goods may earn more, never the same gift twice.
    added = gift_lines_topup(order=primary, lines=lines, config=shop_config())
    return MergePlan(originals, [], primary, lines + added, tuple(added))


def orders_merge_preview(*, order_ids: Sequence[int]) -> MergePlan:
    """The plan of merging ``order_ids`` as the orders are now; nothing is locked or saved."""
    orders = Order.objects.select_related("customer").in_bulk(set(order_ids))
    return merge_plan(order_ids=order_ids, orders=orders)


@transaction.atomic
def orders_merge(
    *,
    order_ids: Sequence[int],
    actor: Actor,
    reason: str = "",
    expected_versions: Mapping[int, int] | None = None,
) -> Order:
    """Merge the orders into a new primary order and return it (the rules are in the module's doc).

    Locks every order in ascending id order; ``expected_versions`` (id → version) gets a 412 when
    any order changed since the caller looked. Refusals raise ``MergeRefused`` with every reason."""
    reason = REASON.optional(reason)
    # A malformed request is refused before any lock is taken.
    refusals = request_refusals(order_ids)
    if refusals:
        raise merge_refused(refusals)
    locked = orders_lock(order_ids=order_ids, expected_versions=expected_versions)
    plan = merge_plan(order_ids=order_ids, orders=locked)
    if plan.refusals:
        raise merge_refused(plan.refusals)

    originals, primary, lines = plan.originals, plan.primary, plan.lines
    primary.save(force_insert=True)
    for line in lines:
        line.order = primary
    OrderLine.objects.bulk_create(lines)
    quote = order_shipping_quote(primary, config=shop_config())
    events_record(
        merged_event(
            order=primary,
            actor=actor,
            orders=[
                {"id": o.pk, "external_id": o.external_id, "totals": order_totals(o).as_strings()} for o in originals
            ],
            totals=order_totals(primary).as_strings(),
            shipping={
                "rules_fee": str(quote.fee),
                "charged": str(primary.shipping_fee),
                "charged_before": str(sum((o.shipping_fee for o in originals), ZERO)),
            },
            reason=reason,
            gifts=gift_lines_data(lines),
            gifts_added=gift_lines_data(plan.gifts_added),
        ),
        transition_event(
            order=primary,
            type=OrderEventType.STATUS_CHANGED,
            actor=actor,
            before=OrderStatus.RECEIVED,
            after=OrderStatus.PENDING_CONFIRMATION,
        ),
    )
    states = [_original_merge(order=o, primary=primary, actor=actor, reason=reason) for o in originals]
    OrderMerge.objects.create(primary=primary, originals=states, reason=reason, created_by=actor.user)

    # The originals are merged now: the primary's checks see neither them nor their goods twice.
    config = shop_config()
    diff = order_checks_refresh(order=primary, actor=actor, lines=lines, config=config, existing=[])
    order_after_intake(order=primary, findings=diff.findings, actor=actor, config=config)
    return primary


def _original_restore(*, order: Order, state: dict, primary: Order, actor: Actor, reason: str) -> None:
    fields = state["fields"]
    for name in MOVED_MONEY:
        setattr(order, name, Decimal(fields[name]))
    order.merged_into = None
    order_transition(
        order=order,
        to=fields["status"],
        actor=actor,
        event_type=OrderEventType.UNMERGED,
        also_save=["merged_into", *MOVED_MONEY],
        primary={"id": primary.pk, "external_id": primary.external_id},
        reason=reason,
    )
    rows = list(CheckResult.objects.filter(order=order, pk__in=[int(pk) for pk in state["checks"]]))
    for row in rows:
        saved = state["checks"][str(row.pk)]
        row.status, row.resolved_by_id, row.note = saved["status"], saved["resolved_by"], saved["note"]
        row.resolved_at = parse_datetime(saved["resolved_at"]) if saved["resolved_at"] else None
        row.updated_at = timezone.now()
    CheckResult.objects.bulk_update(rows, ["status", "resolved_at", "resolved_by", "note", "updated_at"])


@transaction.atomic
def order_unmerge(*, order_id: int, actor: Actor, reason: str = "", expected_version: int | None = None) -> Order:
    """Undo a merge before the primary ships: every original gets back its status and payment exactly,
    the primary is cancelled (its payment returns to the originals). Returns the primary.

    Price edits made on the primary after the merge are not carried back; the event lists them."""
    reason = REASON.optional(reason)
    record = OrderMerge.objects.filter(primary_id=order_id, unmerged_at__isnull=True).first()
    if record is None:
        if not Order.objects.filter(pk=order_id).exists():
            raise NotFound()
        raise merge_refused([not_merged_refusal(order_id)])
    versions = {order_id: expected_version} if expected_version is not None else None
    locked = orders_lock(order_ids=[order_id, *record.original_ids], expected_versions=versions)
    # Another unmerge may have finished while this one waited for the locks.
    record = OrderMerge.objects.get(pk=record.pk)
    primary = locked[order_id]
    refusal = unmerge_refusal(primary) if record.unmerged_at is None else not_merged_refusal(order_id)
    if refusal is not None:
        raise merge_refused([refusal])

    for state in record.originals:
        _original_restore(order=locked[state["order"]], state=state, primary=primary, actor=actor, reason=reason)
    dropped = [edit.pk for edit in primary.price_edits.all()]
    primary.amount_paid = primary.refund_due = ZERO
    order_transition(
        order=primary,
        to=OrderStatus.CANCELLED,
        actor=actor,
        event_type=OrderEventType.UNMERGED,
        also_save=list(MOVED_MONEY),
        orders=record.original_ids,
        dropped_price_edits=dropped,
        reason=reason,
    )
    record.unmerged_at, record.unmerged_by = timezone.now(), actor.user
    record.save(update_fields=["unmerged_at", "unmerged_by"])
    siblings_recheck_later(primary)
    return primary
