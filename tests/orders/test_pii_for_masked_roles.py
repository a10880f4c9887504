"""Staff who may not see buyers' personal data (no ``view_full_phone``: the warehouse) see the buyer's name
masked like the recipient, and cannot find an order by a phone, a name or an address in the admin."""

import pytest

from orders.roles import WAREHOUSE
from tests.factories import order_payload

pytestmark = pytest.mark.django_db

BUYER = {"external_id": "buyer-han", "name": "韩梅梅", "phone": "+8613900139000"}


@pytest.fixture
def order(api, catalogue) -> dict:
    response = api.post("/api/v1/orders/", order_payload(customer=BUYER), format="json")
    assert response.status_code == 201
    return response.json()


def test_rest_list_rows_mask_the_buyers_name(warehouse_api, agent_api, order):
    for client in (warehouse_api, agent_api):
        row = client.get("/api/v1/orders/").json()["results"][0]

        assert row["customer"] == {"external_id": "buyer-han", "name": "韩**"}
        assert row["shipping_address"]["recipient"] == "李*"


def test_rest_detail_masks_the_buyers_name_for_the_warehouse_only(warehouse_api, agent_api, order):
    url = f"/api/v1/orders/{order['id']}/"

    assert warehouse_api.get(url).json()["customer"]["name"] == "韩**"
    assert agent_api.get(url).json()["customer"]["name"] == "韩梅梅"


def test_admin_order_list_masks_the_buyers_name(client, staff_user, order):
    client.force_login(staff_user(WAREHOUSE))

    content = client.get("/admin/orders/order/").content.decode()

    assert order["external_id"] in content
    assert "韩**" in content
    assert "韩梅梅" not in content


@pytest.mark.parametrize("term", ["13800138000", "138 0013 8000", "+8613800138000", "李雷"])
def test_warehouse_cannot_search_the_admin_by_personal_data(client, staff_user, order, term):
    client.force_login(staff_user(WAREHOUSE))

    response = client.get("/admin/orders/order/", {"q": term})

    assert response.status_code == 200
    assert order["external_id"] not in response.content.decode()


@pytest.mark.parametrize("term", ["external_id", "customer"])
def test_warehouse_still_finds_an_order_by_its_number(client, staff_user, order, term):
    client.force_login(staff_user(WAREHOUSE))
    query = order["external_id"] if term == "external_id" else "buyer-han"

    content = client.get("/admin/orders/order/", {"q": query}).content.decode()

    assert order["external_id"] in content
