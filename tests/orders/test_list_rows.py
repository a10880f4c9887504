"""The lists render their rows from value rows (orders.api.rows); the serializers that document them in
the schema must give exactly the same JSON, value for value, for every kind of order."""

import json
from decimal import Decimal

import pytest
from django.test import RequestFactory
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from flags.selectors import open_flags_prefetch
from flags.services import flag_add
from orders.api import rows
from orders.api.output import AbnormalOrderSerializer, OrderListSerializer
from orders.events import Actor
from orders.models import Order
from orders.selectors import abnormal_orders
from orders.services.workflow import order_hold
from tests.conftest import make_staff
from tests.factories import order_payload

pytestmark = pytest.mark.django_db


def _post(api, **overrides) -> int:
    body = order_payload(**overrides)
    response = api.post("/api/v1/orders/", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


@pytest.fixture
def varied_orders(api, catalogue) -> list[int]:
    clean = _post(api, customer={"external_id": "buyer-clean"})
    courier = _post(api, customer={"external_id": "buyer-courier"}, special_requests={"courier": "SF"})
    unknown_sku = _post(
        api,
        customer={"external_id": "buyer-unknown"},
        lines=[{"sku": "NOT-IN-CATALOGUE", "quantity": 2, "unit_price": "10.50", "product_name": "帽子"}],
        special_requests={"gift_wrap": True, "card_message": "生日快乐"},
    )
    held = _post(api, customer={"external_id": "buyer-held"})
    agent = make_staff("agents", "agent-li")
    flag_add(order_id=clean, category_code="abnormal", note="buyer asked to change the size", actor=Actor(user=agent))
    flag_add(order_id=courier, category_code="abnormal", note="from the storefront", actor=Actor(label="shop-a"))
    order_hold(order_id=held, reason="waiting for the buyer", actor=Actor(user=agent))
    return [clean, courier, unknown_sku, held]


def _through_json(data) -> object:
    return json.loads(JSONRenderer().render(data))


def test_list_rows_equal_the_list_serializer(agent_api, varied_orders):
    response = agent_api.get("/api/v1/orders/")
    assert response.status_code == 200

    orders = Order.objects.select_related("customer").prefetch_related(open_flags_prefetch()).order_by("-id")
    expected = OrderListSerializer(orders, many=True, context={"mask_pii": False}).data
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == sorted(varied_orders, reverse=True)
    assert rows == _through_json(expected)
    # What the comparison covers: masked PII, flags by a user and by a label, money with two places.
    assert any(len(row["flags"]) >= 2 for row in rows)
    assert {flag["author"] for row in rows for flag in row["flags"]} >= {"agent-li", "shop-a", "storefront:shop-a"}
    assert all("*" in row["shipping_address"]["phone"] for row in rows)


def test_abnormal_rows_equal_the_abnormal_serializer(agent_api, varied_orders):
    response = agent_api.get("/api/v1/orders/abnormal/")
    assert response.status_code == 200

    orders = abnormal_orders().prefetch_related(open_flags_prefetch())
    expected = AbnormalOrderSerializer(orders, many=True, context={"request": RequestFactory().get("/")}).data
    rows = response.json()["results"]
    assert len(rows) >= 3  # the purple flags, the blocker, the hold
    assert rows == _through_json(expected)
    assert any("on_hold" in row["reasons"] and row["hold_reason"] for row in rows)


@pytest.mark.parametrize("amount", ["0.00", "-5.50", "12.345", "12.355", "9999999999.99", "1E+2", "0.1"])
def test_money_is_formatted_as_drfs_decimal_field(amount):
    drf = serializers.DecimalField(max_digits=12, decimal_places=2)
    assert rows.money(Decimal(amount)) == drf.to_representation(Decimal(amount))
