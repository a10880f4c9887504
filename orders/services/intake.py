"""Order intake from storefronts: idempotent by (storefront, external_id), all-or-nothing."""

import functools
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Field
from django.utils import timezone

from flags.services import flags_build_for_intake
from orders.addresses import Address
from orders.catalogue_cache import catalogue_variants
from orders.checks import Finding, checks_run
from orders.checks.snapshot import order_snapshot
from orders.events import Actor, received_event
from orders.exceptions import ExternalIdConflict
from orders.models import (
    CheckResult,
    Customer,
    Order,
    OrderLine,
    OrderStatus,
    PaymentStatus,
    Severity,
    Variant,
)
from orders.money import ZERO, quantize
from orders.pricing import order_totals, shipping_quote, totals_refresh
from orders.raw_sql import prepared
from orders.selectors import order_detail_attach, order_detail_forget
from orders.services.gifts import gift_day, gift_lines_build, gift_lines_data, gift_skus
from orders.services.intake_rows import intake_rows_insert
from orders.services.pipeline import order_after_intake
from orders.shop_config import shop_config


def intake_findings_build(*, order: Order, findings: list[Finding]) -> list[CheckResult]:
    """A new order's findings as unsaved check results (intake writes them with the order's other rows)."""
    return [CheckResult(order=order, code=f.code, key=f.key, severity=f.severity, data=f.data) for f in findings]


def intake_open_counts(findings: list[Finding]) -> tuple[int, int]:
    blockers = sum(1 for f in findings if f.severity == Severity.BLOCKER)
    warnings = sum(1 for f in findings if f.severity == Severity.WARNING)
    return blockers, warnings


@dataclass(frozen=True)
class CustomerInput:
    external_id: str
    name: str = ""
    phone: str = ""
    default_address: Address | None = None
    language: str = ""
    email: str = ""


@dataclass(frozen=True)
class LineInput:
    sku: str
    quantity: int
    size: str | None = None
    colour: str | None = None
    unit_price: Decimal | None = None
    product_name: str | None = None


@dataclass(frozen=True)
class OrderInput:
    external_id: str
    customer: CustomerInput
    shipping_address: Address
    lines: tuple[LineInput, ...]
    placed_at: datetime | None = None
    payment_status: str = PaymentStatus.UNPAID
    shipping_fee: Decimal | None = None
    courier: str = ""
    gift_wrap: bool = False
    engraving: str = ""
    card_message: str = ""
    buyer_note: str = ""
    seller_memo: str = ""


def order_create(*, storefront, data: OrderInput, intake_hash: str) -> tuple[Order, bool]:
    """Create the order, or return the one already stored for this external_id.

    Returns ``(order, created)``. The same body again is a replay (``created`` is False); the same
    external_id with another body raises ``ExternalIdConflict``. Concurrent duplicates meet at the
    unique constraint: the loser's transaction rolls back whole and it returns the winner's order.
    Replays are rare, so there is no look-up first: the unique constraint is the look-up.
    """
    try:
        with transaction.atomic():
            order = _create(storefront=storefront, data=data, intake_hash=intake_hash)
    except IntegrityError:
        existing = _stored(storefront, data.external_id)
        if existing is None:
            raise
        return _replay(existing, intake_hash), False
    return order, True


def _stored(storefront, external_id: str) -> Order | None:
    return Order.objects.filter(storefront=storefront, external_id=external_id).first()


def _replay(order: Order, intake_hash: str) -> Order:
    if order.intake_hash != intake_hash:
        raise ExternalIdConflict(data={"id": order.pk, "external_id": order.external_id})
    return order


def customer_upsert(*, storefront, data: CustomerInput) -> tuple[Customer, bool]:
    """Find the customer by external id and update it from the latest order; ``(customer, created)``."""
    values: dict = {"name": data.name, "phone": data.phone}
    if data.language:
        values["language"] = data.language
    if data.email:
        values["email"] = data.email
    if data.default_address is not None:
        values.update({f"default_{k}": v for k, v in data.default_address.as_dict().items()})
    if connection.vendor == "postgresql":
        return _customer_upsert_postgresql(storefront.pk, data.external_id, values)
    customer, created = Customer.objects.get_or_create(
        storefront=storefront, external_id=data.external_id, defaults=values
    )
    if not created:
        changed = [name for name, value in values.items() if value and getattr(customer, name) != value]
        if changed:
            for name in changed:
                setattr(customer, name, values[name])
            customer.save(update_fields=[*changed, "updated_at"])
    return customer, created


def _customer_upsert_postgresql(storefront_id: int, external_id: str, values: dict) -> tuple[Customer, bool]:
    """``get_or_create`` and the update in one statement: INSERT … ON CONFLICT DO UPDATE, the same
    rule (a value sent replaces the stored one, an empty one keeps it), one round trip instead of
    four for a new buyer, and no savepoint: the conflict clause settles concurrent first orders."""
    fields = _customer_fields()
    now = timezone.now()
    row_values = {"storefront_id": storefront_id, "external_id": external_id, "created_at": now, "updated_at": now}
    insert = [(f.column, values.get(f.attname, row_values.get(f.attname, f.get_default()))) for f in fields]
    sql = _customer_upsert_sql(tuple(values))
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for _column, value in insert])
        row = cursor.fetchone()
    customer = Customer.from_db(connection.alias, ["id", *(f.attname for f in fields)], row[:-1])
    return customer, bool(row[-1])


@functools.cache
def _customer_fields() -> tuple[Field, ...]:
    return tuple(f for f in Customer._meta.concrete_fields if not f.primary_key)


@functools.cache
def _customer_upsert_sql(updated: tuple[str, ...]) -> str:
    """The upsert updating the ``updated`` fields (those the order sent), built once per combination."""
    fields = _customer_fields()
    quote = connection.ops.quote_name
    table = quote(Customer._meta.db_table)
    updates = ", ".join(
        [f"{quote(name)} = COALESCE(NULLIF(EXCLUDED.{quote(name)}, ''), {table}.{quote(name)})" for name in updated]
        + [f"{quote('updated_at')} = EXCLUDED.{quote('updated_at')}"]
    )
    columns = [quote("id"), *(quote(f.column) for f in fields)]
    # Only the model's own column names are interpolated; every value is a query parameter.
    return prepared(
        f"INSERT INTO {table} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT ({quote('storefront_id')}, {quote('external_id')}) DO UPDATE SET {updates} "
        f"RETURNING {', '.join(columns)}, (xmax = 0)"
    )


def _create(*, storefront, data: OrderInput, intake_hash: str) -> Order:
    config = shop_config()
    customer, new_customer = customer_upsert(storefront=storefront, data=data.customer)
    # The gifts the rules may give are read with the order's own SKUs: one look-up.
    variants = catalogue_variants({line.sku for line in data.lines} | gift_skus(config), storefront_id=storefront.pk)

    order = Order(
        storefront=storefront,
        external_id=data.external_id,
        customer=customer,
        payment_status=data.payment_status,
        placed_at=data.placed_at,
        currency=settings.ORDERDESK["CURRENCY"],
        requested_courier=data.courier,
        gift_wrap=data.gift_wrap,
        engraving_text=data.engraving,
        card_message=data.card_message,
        buyer_note=data.buyer_note,
        seller_memo=data.seller_memo,
        intake_hash=intake_hash,
    )
    data.shipping_address.to_model(order, "ship_")
    lines = [_line(position, line, variants.get(line.sku)) for position, line in enumerate(data.lines, start=1)]

    totals_refresh(order, lines)
    lines += gift_lines_build(
        config=config, lines=lines, items_total=order.items_total, day=gift_day(order.placed_at), variants=variants
    )
    if data.shipping_fee is not None:
        order.shipping_fee = quantize(data.shipping_fee)
    else:
        order.shipping_fee = shipping_quote(
            config=config, province=order.ship_province, items_total=order.items_total, courier=order.requested_courier
        ).fee
    totals_refresh(order, lines)
    if order.payment_status == PaymentStatus.PAID:
        order.amount_paid = order.total

    # The checks run before the first write, on the order as it will be stored: one insert per table.
    # A new buyer has no other orders: the history query is skipped.
    snapshot = order_snapshot(order, lines=lines, config=config, history=not new_customer)
    findings = checks_run(snapshot)
    order.status = OrderStatus.PENDING_CONFIRMATION
    order.open_blockers, order.open_warnings = intake_open_counts(findings)
    actor = Actor.storefront(storefront)
    flags = flags_build_for_intake(order=order, findings=findings, actor=actor)
    checks = intake_findings_build(order=order, findings=findings)
    # The arrival is one change, so one event: the order as received, the status it entered the
    # queue with, the checks it raised and the flags it got (later changes each have their own).
    event = received_event(
        order=order,
        actor=actor,
        totals=order_totals(order).as_strings(),
        checks=[f.code for f in findings],
        flags=[f"{flag.colour}:{flag.category.code}" for flag in flags],
        gifts=gift_lines_data(lines),
    )
    events = [event]
    intake_rows_insert(order=order, lines=lines, flags=flags, checks=checks, events=events)
    order_detail_attach(order, lines=lines, checks=checks, flags=flags, events=events)
    order_after_intake(order=order, snapshot=snapshot, findings=findings, actor=actor, config=config)
    if order.status != OrderStatus.PENDING_CONFIRMATION:
        order_detail_forget(order)  # auto-confirmed: more events than intake wrote
    return order


def _line(position: int, data: LineInput, variant: Variant | None) -> OrderLine:
    if variant is not None:
        unit_price = data.unit_price if data.unit_price is not None else variant.price
        size = data.size if data.size is not None else variant.size
        colour = data.colour if data.colour is not None else variant.colour
        name = data.product_name or variant.product.name
    else:
        unit_price = data.unit_price if data.unit_price is not None else ZERO
        size, colour, name = data.size or "", data.colour or "", data.product_name or ""
    return OrderLine(
        position=position,
        variant=variant,
        sku=data.sku,
        product_name=name,
        size=size,
        colour=colour,
        quantity=data.quantity,
        unit_price=quantize(unit_price),
    )
