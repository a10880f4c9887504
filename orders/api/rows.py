"""The order lists' rows, written out from plain values.

A list page is 50 orders of about sixty columns with their buyers and open flags. Built as model
instances and rendered by ``OrderListSerializer``, three quarters of the page's time went to the ORM
building some 250 instances and to DRF walking a hundred fields per row; the SQL took a few
milliseconds. Here the orders and their flags are fetched as value rows (only the columns a row
shows) and each row is one dict built by hand, formatting the money and the times exactly as DRF's
fields do (without their per-value costs: a copied decimal context, a time-zone lookup). ``OrderListSerializer`` and
``AbnormalOrderSerializer`` still describe the rows in the OpenAPI schema, and a test holds the two
representations equal.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, tzinfo
from decimal import Context, Decimal

from django.db.models import QuerySet
from django.utils import timezone

from flags.models import flag_author_name
from flags.selectors import open_flag_rows
from orders.addresses import Address, mask_name
from orders.models import Order
from orders.selectors import ABNORMAL_REASONS, abnormal_field

_ADDRESS = Address.field_names()
_ORDER_COLUMNS = (
    "id",
    "external_id",
    "status",
    "payment_status",
    "currency",
    "version",
    "customer__external_id",
    "customer__name",
    "items_total",
    "adjustment",
    "shipping_fee",
    "total",
    "open_blockers",
    "open_warnings",
    "placed_at",
    "created_at",
    "updated_at",
    *(f"ship_{name}" for name in _ADDRESS),
)
_CENT = Decimal("0.01")
_MONEY_CONTEXT = Context(prec=12)  # DRF's DecimalField(max_digits=12): the default context, 12 digits


def money(value: Decimal) -> str:
    """``serializers.DecimalField(max_digits=12, decimal_places=2).to_representation`` for the stored
    amounts (never null): the same quantize and format, without DRF copying the decimal context for
    each of the 200 amounts of a page."""
    return f"{value.quantize(_CENT, context=_MONEY_CONTEXT):f}"


def _when(value: datetime | None, zone: tzinfo) -> str | None:
    """``serializers.DateTimeField().to_representation`` for aware datetimes, with the zone looked up
    once per page instead of once per value (DRF's lookup is most of its cost)."""
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def order_list_values(queryset: QuerySet[Order], *extra: str) -> QuerySet:
    """The list's orders as value rows: the columns of ``_ORDER_COLUMNS`` and ``extra`` (annotations)."""
    return queryset.values(*_ORDER_COLUMNS, *extra)


def _open_flags(order_ids: list[int], zone: tzinfo) -> dict[int, list[dict]]:
    by_order: dict[int, list[dict]] = defaultdict(list)
    for flag_id, order_id, colour, category, note, source, username, label, created_at in open_flag_rows(order_ids):
        by_order[order_id].append(
            {
                "id": flag_id,
                "colour": colour,
                "category": category,
                "note": note,
                "source": source,
                "author": flag_author_name(username or "", label),
                "created_at": _when(created_at, zone),
            }
        )
    return by_order


def _row(order: dict, flags: list[dict], zone: tzinfo) -> dict:
    return {
        "id": order["id"],
        "external_id": order["external_id"],
        "status": order["status"],
        "payment_status": order["payment_status"],
        "currency": order["currency"],
        "version": order["version"],
        "customer": {"external_id": order["customer__external_id"], "name": mask_name(order["customer__name"])},
        "totals": {
            "items": money(order["items_total"]),
            "adjustment": money(order["adjustment"]),
            "shipping": money(order["shipping_fee"]),
            "total": money(order["total"]),
        },
        "open_blockers": order["open_blockers"],
        "open_warnings": order["open_warnings"],
        "flags": flags,
        # Lists always mask (``OrderListSerializer``): whoever asks, a list is not where PII is read.
        "shipping_address": Address(**{name: order[f"ship_{name}"] or "" for name in _ADDRESS}).as_public_dict(
            masked=True
        ),
        "placed_at": _when(order["placed_at"], zone),
        "created_at": _when(order["created_at"], zone),
        "updated_at": _when(order["updated_at"], zone),
    }


def order_list_rows(orders: Iterable[dict]) -> list[dict]:
    """The rows of ``OrderListSerializer`` for value rows from ``order_list_values``: one more query, for the flags."""
    orders = list(orders)
    zone = timezone.get_current_timezone()
    flags = _open_flags([order["id"] for order in orders], zone)
    return [_row(order, flags.get(order["id"], []), zone) for order in orders]


ABNORMAL_EXTRA = ("hold_reason", *(abnormal_field(name) for name in ABNORMAL_REASONS))


def abnormal_order_rows(orders: Iterable[dict]) -> list[dict]:
    """The rows of ``AbnormalOrderSerializer``, for value rows with ``ABNORMAL_EXTRA``."""
    orders = list(orders)
    rows = order_list_rows(orders)
    for row, order in zip(rows, orders, strict=True):
        row["reasons"] = [name for name in ABNORMAL_REASONS if order[abnormal_field(name)]]
        row["hold_reason"] = order["hold_reason"]
    return rows
