"""Address checks: complete, the buyer's usual address, the right place for the goods and the date."""

from collections.abc import Iterable
from datetime import date, timedelta

from django.utils import timezone

from orders.addresses import Address, AddressKind
from orders.checks.base import BLOCKER, INFO, WARNING, Finding, OrderSnapshot, check
from orders.geo import canonical_city, canonical_province, places_named_in
from orders.models import MERGEABLE_STATUSES
from orders.shop_config import Holiday
from orders.text import normalise_text

REQUIRED_FIELDS = ("recipient", "phone", "province", "city", "street")

WORK_KEYWORDS = ("公司", "大厦", "写字楼", "办公", "office", "科技园", "产业园", "工业园", "商务楼", "商务中心")
SCHOOL_KEYWORDS = ("大学", "学院", "学校", "校区", "宿舍", "university", "college")


def keyword_in(address: Address, keywords: tuple[str, ...]) -> str:
    """The first keyword found in the district or street (Simplified, Traditional and any case alike)."""
    text = normalise_text(f"{address.district} {address.street}")
    return next((keyword for keyword in keywords if keyword in text), "")


def _kind_or_keyword(address: Address, kind: str, keywords: tuple[str, ...]) -> dict | None:
    if address.kind == kind:
        return {"reason": "kind"}
    keyword = keyword_in(address, keywords)
    return {"reason": "keyword", "keyword": keyword} if keyword else None


@check("address.incomplete")
def address_incomplete(snapshot: OrderSnapshot) -> Iterable[Finding]:
    missing = [name for name in REQUIRED_FIELDS if not getattr(snapshot.shipping_address, name).strip()]
    if missing:
        yield Finding("address.incomplete", BLOCKER, {"missing": missing})


@check("address.not_default")
def address_not_default(snapshot: OrderSnapshot) -> Iterable[Finding]:
    default, shipping = snapshot.default_address, snapshot.shipping_address
    if default is None or default.is_empty or shipping.is_empty:
        return
    if default.comparison_key() != shipping.comparison_key():
        fields = ("province", "city", "district", "street")
        differing = [
            name
            for name, a, b in zip(fields, default.comparison_key(), shipping.comparison_key(), strict=True)
            if a != b
        ]
        yield Finding(
            "address.not_default",
            WARNING,
            {"default_kind": default.kind, "shipping_kind": shipping.kind, "differs": differing},
        )


@check("address.bulky_to_work")
def address_bulky_to_work(snapshot: OrderSnapshot) -> Iterable[Finding]:
    bulky = [line.sku for line in snapshot.lines if line.variant is not None and line.variant.bulky]
    if not bulky:
        return
    why = _kind_or_keyword(snapshot.shipping_address, AddressKind.WORK, WORK_KEYWORDS)
    if why is not None:
        yield Finding("address.bulky_to_work", WARNING, {"skus": bulky, **why})


def expected_delivery(snapshot: OrderSnapshot):
    """The local date the parcel should arrive: order time plus the province's days in transit."""
    days = snapshot.config.province(snapshot.shipping_address.province).transit_days
    return timezone.localtime(snapshot.at + timedelta(days=days)).date()


@check("address.school_in_holiday")
def address_school_in_holiday(snapshot: OrderSnapshot) -> Iterable[Finding]:
    why = _kind_or_keyword(snapshot.shipping_address, AddressKind.SCHOOL, SCHOOL_KEYWORDS)
    if why is None:
        return
    delivery = expected_delivery(snapshot)
    holiday = next((h for h in snapshot.config.holidays if h.contains(delivery.month, delivery.day)), None)
    if holiday is not None:
        yield Finding(
            "address.school_in_holiday",
            WARNING,
            {
                "delivery_date": delivery.isoformat(),
                "holiday": holiday.name,
                "term_starts": term_start(holiday, delivery).isoformat(),
                **why,
            },
        )


def term_start(holiday: Holiday, during: date) -> date:
    """The first day after ``holiday`` that contains ``during``: when students are back (the default
    end of a hold for a school parcel)."""
    month, day = holiday.end
    year = during.year if (month, day) >= (during.month, during.day) else during.year + 1
    try:
        last = date(year, month, day)
    except ValueError:  # 29 February in a common year
        last = date(year, month, 28)
    return last + timedelta(days=1)


@check("address.province_mismatch")
def address_province_mismatch(snapshot: OrderSnapshot) -> Iterable[Finding]:
    address = snapshot.shipping_address
    province, city = canonical_province(address.province), canonical_city(address.city)
    named: list[str] = []
    for named_province, named_city in places_named_in(address.street):
        other_province = named_province.name != province
        other_city = bool(named_city) and named_city != city and named_city + "市" != province
        if other_province or other_city:
            place = f"{named_city}市" if named_city else named_province.name
            if place not in named:
                named.append(place)
    if named:
        yield Finding(
            "address.province_mismatch",
            WARNING,
            {"named": "".join(named), "province": address.province, "city": address.city},
        )


@check("order.mergeable")
def order_mergeable(snapshot: OrderSnapshot) -> Iterable[Finding]:
    key = snapshot.shipping_address.comparison_key()
    mergeable = [o for o in snapshot.other_orders if o.status in MERGEABLE_STATUSES and o.address_key == key]
    if mergeable:
        yield Finding(
            "order.mergeable",
            INFO,
            {"orders": [o.id for o in mergeable], "external_ids": [o.external_id for o in mergeable]},
        )
