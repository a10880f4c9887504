"""Agents fix what the checks found: the address, the lines (SKU, size, colour, quantity), the requests.

One service for all three so that one edit is one lock, one version bump and one check run.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from flags.rules import ADDRESS, PRODUCT
from flags.services import flag_raise
from orders.addresses import Address
from orders.catalogue_cache import catalogue_variants
from orders.events import Actor, address_changed_event, events_record, lines_changed_event, requests_changed_event
from orders.exceptions import InvalidInput, OrderNotEditable
from orders.models import Order, OrderEvent, OrderLine
from orders.pricing import payment_reconcile, totals_refresh
from orders.services.locking import order_lock
from orders.services.payments import balance_due_notify
from orders.services.pipeline import order_changed, siblings_recheck_later

REQUEST_FIELDS = {
    "courier": "requested_courier",
    "gift_wrap": "gift_wrap",
    "engraving": "engraving_text",
    "card_message": "card_message",
}


@dataclass(frozen=True)
class LineChange:
    line_id: int
    sku: str | None = None
    size: str | None = None
    colour: str | None = None
    quantity: int | None = None


@dataclass(frozen=True)
class OrderChanges:
    address: dict[str, str] = field(default_factory=dict)  # only the fields that change
    lines: tuple[LineChange, ...] = ()
    requests: dict = field(default_factory=dict)  # keys of REQUEST_FIELDS
    buyer_note: str | None = None
    seller_memo: str | None = None

    @property
    def is_empty(self) -> bool:
        notes = (self.buyer_note, self.seller_memo)
        return not (self.address or self.lines or self.requests or any(n is not None for n in notes))


@transaction.atomic
def order_edit(*, order_id: int, changes: OrderChanges, actor: Actor, expected_version: int | None = None) -> Order:
    """Apply an agent's corrections, record what changed (before and after) and re-run the checks."""
    if changes.is_empty:
        raise InvalidInput(_("Nothing to change."))
    order = order_lock(order_id=order_id, expected_version=expected_version)
    if not order.is_editable:
        raise OrderNotEditable()
    lines = list(order.lines.select_related("variant__product").order_by("position", "id"))
    events: list[OrderEvent] = []

    address_diff = _apply_address(order, changes.address)
    if address_diff:
        events.append(address_changed_event(order=order, actor=actor, **address_diff))
    line_diff = _apply_lines(lines, changes.lines, storefront_id=order.storefront_id)
    if line_diff:
        events.append(lines_changed_event(order=order, actor=actor, lines=line_diff))
    request_diff = _apply_requests(order, changes)
    if request_diff:
        events.append(requests_changed_event(order=order, actor=actor, **request_diff))
    if not events:
        return order

    balance_due_before = order.balance_due
    if line_diff:
        totals_refresh(order, lines)
        payment_reconcile(order)
        OrderLine.objects.bulk_update(
            lines, ["variant", "sku", "product_name", "size", "colour", "quantity", "line_total"]
        )
    order.version += 1
    order.save()
    events_record(*events)
    balance_due_notify(order=order, balance_before=balance_due_before, reason="", actor=actor)
    order_changed(order=order, actor=actor, lines=lines)
    if address_diff:
        _flag_address_change(order, address_diff["fields"], actor)
        siblings_recheck_later(order)
    if line_diff:
        _flag_lines_change(order, line_diff, actor)
    return order


def _flag_address_change(order: Order, fields: list[str], actor: Actor) -> None:
    """Tell the warehouse that the address, recipient or phone changed after the buyer ordered (yellow)."""
    with translation.override(settings.LANGUAGE_CODE):
        labels = {name: str(Order._meta.get_field(f"ship_{name}").verbose_name) for name in fields}
        note = _("Changed by %(who)s: %(fields)s. Use the address on this order.") % {
            "who": actor,
            "fields": "、".join(labels[name] for name in fields),
        }
    flag_raise(order=order, category_code=ADDRESS, cause="address_changed", note=note, actor=actor)


def _flag_lines_change(order: Order, diff: list[dict], actor: Actor) -> None:
    """Tell the warehouse that an agent changed what to pack, size, colour, SKU or quantity (green): the
    pick list shows the new line, and the flag says it was changed, so nobody packs what was first ordered."""
    names = ("sku", "size", "colour", "quantity")
    with translation.override(settings.LANGUAGE_CODE):
        changes = "；".join(f"#{row['line']} {_line_change(row, names)}" for row in diff)
        note = _("Changed by %(who)s: %(changes)s. Pack the lines as this order shows them now.") % {
            "who": actor,
            "changes": changes,
        }
    flag_raise(order=order, category_code=PRODUCT, cause="lines_changed", note=note, actor=actor)


def _line_change(row: dict, names: tuple[str, ...]) -> str:
    before, after = row["before"], row["after"]
    return "、".join(f"{before[name]} → {after[name]}" for name in names if before[name] != after[name])


def _apply_address(order: Order, values: dict[str, str]) -> dict:
    before = order.shipping_address
    after = Address(**{**before.as_dict(), **values})
    if after == before:
        return {}
    after.to_model(order, "ship_")
    names = [name for name in Address.field_names() if getattr(before, name) != getattr(after, name)]
    return {
        "fields": names,
        "before": {n: getattr(before, n) for n in names},
        "after": {n: getattr(after, n) for n in names},
    }


def _apply_lines(lines: list[OrderLine], changes: tuple[LineChange, ...], *, storefront_id: int) -> list[dict]:
    by_id = {line.pk: line for line in lines}
    unknown = [change.line_id for change in changes if change.line_id not in by_id]
    if unknown:
        raise InvalidInput(fields={"lines": [_("Line %s is not part of this order.") % line_id for line_id in unknown]})
    new_skus = {change.sku for change in changes if change.sku}
    variants = catalogue_variants(new_skus, storefront_id=storefront_id, fresh=True)
    diff = []
    for change in changes:
        line = by_id[change.line_id]
        before = {"sku": line.sku, "size": line.size, "colour": line.colour, "quantity": line.quantity}
        if change.sku and change.sku != line.sku:
            variant = variants.get(change.sku)
            line.sku, line.variant = change.sku, variant
            if variant is not None:
                line.product_name = variant.product.name
                line.size, line.colour = variant.size, variant.colour
        if change.size is not None:
            line.size = change.size
        if change.colour is not None:
            line.colour = change.colour
        if change.quantity is not None:
            line.quantity = change.quantity
        after = {"sku": line.sku, "size": line.size, "colour": line.colour, "quantity": line.quantity}
        if after != before:
            diff.append({"line": line.position, "before": before, "after": after})
    return diff


def _apply_requests(order: Order, changes: OrderChanges) -> dict:
    before = dict(order.special_requests)
    for key, value in changes.requests.items():
        setattr(order, REQUEST_FIELDS[key], value)
    after = dict(order.special_requests)
    diff = {}
    if after != before:
        diff.update(before=before, after=after)
    for name in ("buyer_note", "seller_memo"):
        value, note_before = getattr(changes, name), getattr(order, name)
        if value is not None and value != note_before:
            setattr(order, name, value)
            diff[name] = {"before": note_before, "after": value}
    return diff
