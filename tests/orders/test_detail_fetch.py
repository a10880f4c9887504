"""The order's detail loaded in one query (``order_detail_fetch``: its relations as JSON columns) renders
exactly what the ORM's own instances render: every relation filled (lines, checks resolved by a user, events
with their actors, price edits, open flags, merged originals, tracking news), times, money and JSON alike."""

import pytest

from flags.selectors import open_flags_prefetch
from orders.api.output import OrderDetailSerializer
from orders.api.reuse import render
from orders.models import Order
from orders.selectors import order_detail_fetch
from tests.factories import SHANGHAI_WORK
from tests.orders.helpers import act, create_order

pytestmark = pytest.mark.django_db

TEE = {"sku": "TEE-RED-M", "quantity": 1, "unit_price": "99.00"}
SHOE = {"sku": "SHOE-WHITE-40", "quantity": 1}
RELATIONS = ("lines", "checks", "events", "price_edits", "flags", "merged_orders", "tracking")


def _orm_detail(pk: int) -> dict:
    """The detail from plain ORM instances: the open flags as the serializer reads them, the rest lazily."""
    order = Order.objects.select_related("customer", "storefront").prefetch_related(open_flags_prefetch()).get(pk=pk)
    return render(OrderDetailSerializer, order, context={"mask_pii": False})


def _fetched_detail(pk: int) -> dict:
    return render(OrderDetailSerializer, order_detail_fetch(Order.objects.all(), pk), context={"mask_pii": False})


def _merged_and_edited(api, agent_api) -> int:
    pair = [create_order(api, lines=[TEE])["id"], create_order(api, lines=[SHOE])["id"]]
    merged = agent_api.post("/api/v1/orders/merge/", {"order_ids": pair, "reason": "合并发货"}, format="json")
    assert merged.status_code == 201, merged.content
    order = merged.json()
    assert act(agent_api, order, "adjust-price", {"amount": "-5.00", "reason": "老客户优惠"}).status_code == 200
    flagged = agent_api.post(
        f"/api/v1/orders/{order['id']}/flags/", {"category": "abnormal", "note": "外箱破损"}, format="json"
    )
    assert flagged.status_code == 201, flagged.content
    return order["id"]


def _shipped_with_news(api, agent_api, warehouse_api) -> int:
    order = create_order(api, customer={"default_address": SHANGHAI_WORK})
    assert act(agent_api, order, "checks/address.not_default/acknowledge", {"note": "已与买家核对"}).status_code == 200
    assert act(agent_api, order, "confirm").status_code == 200
    assert act(warehouse_api, order, "ship", {"courier": "ZTO", "tracking_number": "753456789012"}).status_code == 200
    news = {"status": "in_transit", "at": "2026-11-27T10:00:00+08:00", "location": "上海转运中心"}
    assert act(api, order, "tracking-events", news).status_code == 201
    return order["id"]


def test_the_one_query_detail_renders_what_the_orm_renders(api, agent_api, warehouse_api, catalogue):
    ids = [_merged_and_edited(api, agent_api), _shipped_with_news(api, agent_api, warehouse_api)]

    bodies = [(_fetched_detail(pk), _orm_detail(pk)) for pk in ids]

    for fetched, orm in bodies:
        assert fetched == orm
    # every relation was there to compare, in one order or the other
    filled = {name for fetched, _orm in bodies for name in RELATIONS if fetched.get(name)}
    assert filled == set(RELATIONS), sorted(set(RELATIONS) - filled)
