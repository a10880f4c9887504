"""Demo data of the free gifts (赠品), seed 003: 订单满3000元可以赠送您一个靠枕. The 靠枕 is in
``orders.demo.CATALOGUE``; ``manage.py seed_demo`` adds the rule, then an order that earns it."""

from decimal import Decimal

from orders.demo import ZHANG_HOME

# (name, gift SKU, threshold)
GIFT_RULES: list[tuple[str, str, Decimal]] = [("满3000送靠枕", "CUSHION-BEIGE", Decimal("3000.00"))]

GIFT_DEMO_ORDER: tuple[str, str, dict] = (
    "订单满3000送靠枕（赠品）",
    "zhang",
    {
        "shipping_address": ZHANG_HOME,
        "lines": [{"sku": "SOFA-GREY", "quantity": 1}, {"sku": "MUG-WHITE", "quantity": 1}],
        "shipping_fee": "0.00",
        "buyer_note": "客服说满3000送靠枕",
    },
)
