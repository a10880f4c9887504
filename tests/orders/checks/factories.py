"""Snapshots for the pure check functions, with the shop's default settings and no database."""

import re
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from orders.addresses import Address
from orders.checks.base import LineFacts, OrderSnapshot, OtherOrder, VariantFacts
from orders.defaults import COURIERS, OVERSEAS_REGIONS, PROVINCE_ZONES, SCHOOL_HOLIDAYS
from orders.models import ShopSettings
from orders.shop_config import CourierFacts, Holiday, ProvinceFacts, ShopConfig


def default_config(**settings: Any) -> ShopConfig:
    provinces = {}
    sf_rules = {}
    for names, fee, remote, days, sf in PROVINCE_ZONES:
        for name in names:
            provinces[name] = ProvinceFacts(province=name, base_fee=Decimal(fee), remote=remote, transit_days=days)
            sf_rules[name] = (Decimal(sf), True)
    couriers = {}
    for code, name, pattern, in_use, is_default, surcharge in COURIERS:
        rules = (
            sf_rules
            if code == "SF"
            else ({} if code == "EMS" else {region: (Decimal("0"), False) for region in OVERSEAS_REGIONS})
        )
        couriers[code] = CourierFacts(
            code=code,
            name=name,
            in_use=in_use,
            is_default=is_default,
            default_surcharge=Decimal(surcharge),
            tracking_pattern=re.compile(pattern),
            provinces=rules,
        )
    holidays = tuple(Holiday(name=n, start=(sm, sd), end=(em, ed)) for n, sm, sd, em, ed in SCHOOL_HOLIDAYS)
    return ShopConfig(settings=ShopSettings(**settings), provinces=provinces, couriers=couriers, holidays=holidays)


CONFIG = default_config()

HOME = Address(
    recipient="李雷",
    phone="+8613800138000",
    province="上海市",
    city="上海市",
    district="徐汇区",
    street="漕溪北路88弄3号502",
    postcode="200030",
    kind="home",
)
WORK = Address(
    recipient="李雷",
    phone="+8613800138000",
    province="上海市",
    city="上海市",
    district="浦东新区",
    street="世纪大道100号 环球金融中心8楼",
    postcode="200120",
    kind="work",
)


def product(sku: str = "TEE-RED-M", **values: Any) -> VariantFacts:
    defaults = {
        "sku": sku,
        "size": "M",
        "colour": "红色",
        "price": Decimal("99.00"),
        "stock": 50,
        "product_code": "TEE",
        "product_name": "纯棉T恤",
        "category": "apparel",
        "bulky": False,
        "engravable": False,
        "max_engraving_chars": 0,
        "usual_max_quantity": None,
    }
    defaults.update(values)
    return VariantFacts(**defaults)


SOFA = product(
    "SOFA-GREY",
    size="",
    colour="灰色",
    price=Decimal("2999.00"),
    stock=3,
    product_code="SOFA",
    product_name="沙发",
    category="furniture",
    bulky=True,
    usual_max_quantity=1,
)
RING = product(
    "RING-12",
    size="12",
    colour="银色",
    price=Decimal("199.00"),
    product_code="RING",
    product_name="戒指",
    category="jewellery",
    engravable=True,
    max_engraving_chars=8,
)
SHOE_40 = product(
    "SHOE-40",
    size="40",
    colour="白色",
    price=Decimal("259.00"),
    product_code="SHOE",
    product_name="小白鞋",
    category="shoes",
)


def line(
    variant: VariantFacts | None = None,
    *,
    position: int = 1,
    quantity: int = 1,
    sku: str | None = None,
    size: str | None = None,
    colour: str | None = None,
    unit_price: str | None = None,
) -> LineFacts:
    variant = product() if variant is None and sku is None else variant
    return LineFacts(
        position=position,
        sku=sku or variant.sku,
        quantity=quantity,
        size=size if size is not None else (variant.size if variant else ""),
        colour=colour if colour is not None else (variant.colour if variant else ""),
        unit_price=Decimal(unit_price) if unit_price is not None else (variant.price if variant else Decimal("0")),
        variant=variant,
    )


NOV_22 = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


def snapshot(**overrides: Any) -> OrderSnapshot:
    base = OrderSnapshot(
        order_id=10,
        at=NOV_22,
        shipping_address=HOME,
        default_address=HOME,
        lines=(line(),),
        courier="",
        gift_wrap=False,
        engraving="",
        card_message="",
        shipping_fee=Decimal("10.00"),
        items_total=Decimal("99.00"),
        config=CONFIG,
        other_orders=(),
    )
    return replace(base, **overrides)


def other_order(
    order_id: int = 5,
    *,
    at: datetime = NOV_22,
    address: Address = HOME,
    skus=("TEE-RED-M",),
    status: str = "pending_confirmation",
    sizes=(),
) -> OtherOrder:
    return OtherOrder(
        id=order_id,
        external_id=f"EXT-{order_id}",
        status=status,
        at=at,
        address_key=address.comparison_key(),
        skus=frozenset(skus),
        sizes=tuple(sizes),
    )


def codes(findings) -> list[str]:
    return sorted(f.code for f in findings)
