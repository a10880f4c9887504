"""Input the schema allows in form but the service cannot keep: refused with a field error, nothing stored.
(The API fuzzer found each: a year-220 time rendered with the shop zone's 1900s offset in seconds, which no
RFC 3339 client can read; JSON 0 read as false; a page past the end answered with an undocumented 404.)"""

import json

import pytest

from orders.models import Case, Order
from tests.orders.helpers import act, create_order


def test_a_time_before_2000_is_refused(api, catalogue):
    body = {"placed_at": "0220-03-29T10:47:51Z"}
    from tests.factories import order_payload

    response = api.post("/api/v1/orders/", data=json.dumps(order_payload(**body)), content_type="application/json")

    assert response.status_code == 400
    assert "placed_at" in response.json()["fields"]
    assert not Order.objects.exists()


@pytest.mark.parametrize("urgent", [0, 1, "true", "yes"])
def test_a_boolean_is_json_true_or_false_only(api, catalogue, urgent):
    order = create_order(api)

    response = act(api, order, "cases", {"kind": "logistics", "description": "没收到", "urgent": urgent})

    assert response.status_code == 400
    assert "urgent" in response.json()["fields"]
    assert not Case.objects.exists()


@pytest.mark.parametrize("page", ["0", "99", "x"])
def test_a_page_of_the_cases_that_does_not_exist_is_a_400_on_page(agent_api, api, catalogue, page):
    create_order(api)

    response = agent_api.get(f"/api/v1/cases/?page={page}")

    assert (response.status_code, list(response.json()["fields"])) == (400, ["page"])
