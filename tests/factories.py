"""Test data builders: a small catalogue and valid order payloads to vary."""

import copy
import itertools
from decimal import Decimal
from typing import Any

from orders.services.catalog import VariantRow, catalog_upsert

_counter = itertools.count(1)


def variant(sku: str, product_code: str, **values: Any) -> VariantRow:
    defaults = {
        "product_name": product_code.title(),
        "category": "apparel",
        "price": Decimal("99.00"),
        "stock": 50,
        "return_policy": "apparel-7d",
    }
    defaults.update(values)
    return VariantRow(sku=sku, product_code=product_code, **defaults)


CATALOGUE = [
    variant("TEE-RED-M", "TEE", product_name="纯棉T恤", size="M", colour="红色"),
    variant("TEE-RED-L", "TEE", product_name="纯棉T恤", size="L", colour="红色"),
    variant("TEE-WHITE-M", "TEE", product_name="纯棉T恤", size="M", colour="白色"),
    variant(
        "SHOE-WHITE-40",
        "SHOE",
        product_name="小白鞋",
        category="shoes",
        size="40",
        colour="白色",
        price=Decimal("259.00"),
        return_policy="shoes-7d",
    ),
    variant(
        "SHOE-WHITE-42",
        "SHOE",
        product_name="小白鞋",
        category="shoes",
        size="42",
        colour="白色",
        price=Decimal("259.00"),
        return_policy="shoes-7d",
    ),
    variant(
        "SOFA-GREY",
        "SOFA",
        product_name="三人布艺沙发",
        category="furniture",
        colour="灰色",
        price=Decimal("2999.00"),
        bulky=True,
        stock=3,
        return_policy="furniture-15d",
    ),
    variant(
        "RING-SILVER-12",
        "RING",
        product_name="925银戒指",
        category="jewellery",
        size="12",
        colour="银色",
        price=Decimal("199.00"),
        engravable=True,
        max_engraving_chars=6,
        return_policy="jewellery-30d",
    ),
    variant(
        "EARBUDS-BLACK",
        "EARBUDS",
        product_name="蓝牙耳机",
        category="electronics",
        colour="黑色",
        price=Decimal("399.00"),
        return_policy="electronics-7d",
    ),
    variant("DRESS-RED-S", "DRESS", product_name="连衣裙", size="S", colour="红色", price=Decimal("299.00"), stock=1),
]


def catalogue_load() -> None:
    catalog_upsert(rows=CATALOGUE)


BEIJING_SCHOOL = {
    "recipient": "韩梅梅",
    "phone": "13900139000",
    "province": "北京市",
    "city": "北京市",
    "district": "海淀区",
    "street": "颐和园路5号 北京大学学生宿舍36楼302",
    "postcode": "100871",
    "kind": "school",
}
SHANGHAI_WORK = {
    "recipient": "李雷",
    "phone": "13800138000",
    "province": "上海市",
    "city": "上海市",
    "district": "浦东新区",
    "street": "世纪大道100号 8楼",
    "postcode": "200120",
    "kind": "work",
}
SHANGHAI_HOME = {
    "recipient": "李雷",
    "phone": "13800138000",
    "province": "上海市",
    "city": "上海市",
    "district": "徐汇区",
    "street": "漕溪北路 88 弄 3 号 502",
    "postcode": "200030",
    "kind": "home",
}


def deep_merge(base: dict, overrides: dict) -> dict:
    result = copy.deepcopy(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = deep_merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def order_payload(**overrides: Any) -> dict:
    """A valid order body (API.md's example, shipping home), with a fresh external id."""
    base = {
        "external_id": f"TB{next(_counter):012d}",
        "placed_at": "2026-11-22T10:00:00+08:00",
        "payment_status": "paid",
        "customer": {
            "external_id": "buyer-42",
            "name": "李雷",
            "phone": "+8613800138000",
            "default_address": SHANGHAI_HOME,
        },
        "shipping_address": SHANGHAI_HOME,
        "lines": [{"sku": "TEE-RED-M", "size": "M", "colour": "红色", "quantity": 1, "unit_price": "99.00"}],
        "shipping_fee": "6.00",  # the shop's rule for Shanghai (API.md's example charges 10.00: above the rule)
        "buyer_note": "请尽快发货",
    }
    return deep_merge(base, overrides)
