"""What happens to every order once it is stored or changed: checks, flags, the agents' queue."""

from collections.abc import Collection

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from flags.services import flags_sync
from orders.checks import Finding, OrderSnapshot
from orders.events import Actor
from orders.messaging.queue import confirmation_message_queue
from orders.models import MERGEABLE_STATUSES, Order, OrderEventType, OrderLine, OrderStatus
from orders.services.checks import checks_acknowledge, order_checks_refresh
from orders.services.lifecycle import order_transition
from orders.shop_config import ShopConfig
from orders.tasks.checks import orders_recheck


def order_auto_confirm(*, order: Order) -> bool:
    """Confirm a clean order without an agent when the shop switched that on. True when it did.

    An order with a note is never clean enough: an agent reads what the buyer wrote, whatever the
    note reader found in it; so is one with a seller's memo (the shop wrote it for somebody to read)."""
    if order.open_blockers or order.open_warnings or order.status != OrderStatus.PENDING_CONFIRMATION:
        return False
    if order.buyer_note.strip() or order.seller_memo.strip():
        return False
    order.confirmed_at = timezone.now()
    order_transition(
        order=order,
        to=OrderStatus.CONFIRMED,
        actor=Actor.system(),
        event_type=OrderEventType.AUTO_CONFIRMED,
        also_save=["confirmed_at"],
    )
    confirmation_message_queue(order=order)
    return True


def order_after_intake(
    *,
    order: Order,
    findings: list[Finding],
    actor: Actor,
    config: ShopConfig,
    snapshot: OrderSnapshot | None = None,
) -> None:
    """A new order with its checks stored: confirm it when the shop allows and it is clean, and give
    the buyer's other orders to the same address the mergeable hint once this one is committed.
    Those that already carry the hint keep it as it is (its list of orders catches up at their next
    re-check): on a sale day a buyer's third order need not re-check the first two."""
    if config.settings.auto_confirm:
        order_auto_confirm(order=order)
    hinted = {other.id for other in snapshot.other_orders if other.merge_hint} if snapshot else set()
    _recheck_siblings_later([i for i in _mergeable_ids(findings) if i not in hinted])


def order_changed(
    *,
    order: Order,
    actor: Actor,
    lines: list[OrderLine] | None = None,
    decided: Collection[str] = (),
    reason: str = "",
) -> None:
    """After an edit of a locked order: re-run the checks; a confirmed order with new problems goes
    back to the agents' queue. (A change of address or status also calls ``siblings_recheck_later``;
    a plain re-check must not, or two mergeable orders would re-check each other for ever.)

    ``decided``: warnings the edit settles on purpose (a fee set against the rules): found again,
    they are acknowledged by ``actor`` with the edit's ``reason`` before the queue is decided."""
    diff = order_checks_refresh(order=order, actor=actor, lines=lines)
    for code in sorted({f.code for f in diff.findings} & set(decided)):
        rows = [row for row in order.checks.all() if row.code == code]
        checks_acknowledge(order=order, code=code, rows=rows, actor=actor, note=reason)
    flags_sync(order=order, findings=diff.findings, actor=actor)
    if diff.changed:
        order.version += 1
        order.save(update_fields=["version", "updated_at"])
    if order.status == OrderStatus.CONFIRMED and (order.open_blockers or order.open_warnings):
        order_transition(order=order, to=OrderStatus.PENDING_CONFIRMATION, actor=actor, reason="checks_reopened")


def siblings_recheck_later(order: Order) -> None:
    """The buyer's other open orders may gain or lose the mergeable hint when this one changes."""
    sibling_ids = list(
        Order.objects.filter(customer_id=order.customer_id, status__in=MERGEABLE_STATUSES)
        .exclude(pk=order.pk)
        .values_list("id", flat=True)[:50]
    )
    _recheck_siblings_later(sibling_ids)


def _mergeable_ids(findings: list[Finding]) -> set[int]:
    return {i for f in findings if f.code == "order.mergeable" for i in f.data.get("orders", [])}


# A re-check queued and not started yet reads the orders as they are when it runs: a second one for
# the same order would find nothing the first does not. So an order's re-check is published once until
# its task starts (``recheck_started``). The mark expires in case the task is lost (a purged queue).
RECHECK_QUEUED_SECONDS = 600


def _queued_key(order_id: int) -> str:
    return f"orders:recheck-queued:{order_id}"


def _recheck_siblings_later(order_ids) -> None:
    sibling_ids = sorted(order_ids)
    if sibling_ids:
        transaction.on_commit(lambda: _recheck_publish(sibling_ids))


def _recheck_publish(order_ids: list[int]) -> None:
    """Publish one re-check of those of ``order_ids`` that have none queued (a burst of one buyer's
    orders publishes one task per sibling, not one per new order): one cache read, and when something
    is published, one write."""
    keys = {order_id: _queued_key(order_id) for order_id in order_ids}
    queued = cache.get_many(keys.values())
    due = [order_id for order_id, key in keys.items() if key not in queued]
    if not due:
        return
    cache.set_many({keys[order_id]: 1 for order_id in due}, timeout=RECHECK_QUEUED_SECONDS)
    orders_recheck.delay(due)


def recheck_started(order_ids: list[int]) -> None:
    """The re-check task of ``order_ids`` is starting: a change from now on publishes another. Called
    before the orders are read, so no change falls between the read and the mark."""
    cache.delete_many([_queued_key(order_id) for order_id in order_ids])
