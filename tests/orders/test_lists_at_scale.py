"""Lists at scale (bench/scale.py times them at a million orders): a fixed number of queries whatever the
number of rows, no exact count of huge lists, colour counts from a short-lived cache."""

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.admin import paginator as paginator_module
from orders.admin.paginator import EstimatedCountPaginator
from orders.models import Order
from tests.factories import order_payload

pytestmark = pytest.mark.django_db

# A named courier (red flag) and an SKU the catalogue does not know (a blocker: an abnormal order).
FLAGGED_AND_ABNORMAL = {
    "lines": [{"sku": "NOT-IN-CATALOGUE", "quantity": 1, "unit_price": "10.00", "product_name": "帽子"}],
    "special_requests": {"courier": "SF"},
}


def _orders(api, first: int, count: int, **overrides) -> None:
    for n in range(first, first + count):
        body = order_payload(customer={"external_id": f"buyer-{n}"}, **overrides)
        response = api.post("/api/v1/orders/", data=json.dumps(body), content_type="application/json")
        assert response.status_code == 201, response.content


def _get(client, url: str):
    cache.clear()  # the worst case: the colour counts are not cached
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return response, len(captured)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/orders/?flag=red",
        "/api/v1/orders/abnormal/",
        "/api/v1/orders/?status=pending_confirmation&has_blockers=true",
    ],
)
def test_rest_list_queries_do_not_grow_with_rows(agent_api, api, catalogue, url):
    _orders(api, 0, 2, **FLAGGED_AND_ABNORMAL)
    _response, few = _get(agent_api, url)
    _orders(api, 2, 10, **FLAGGED_AND_ABNORMAL)
    _orders(api, 12, 3)  # clean orders: not in these lists

    response, many = _get(agent_api, url)

    assert len(response.json()["results"]) == 12
    # The token, the agent's permissions (user and groups), the page, its open flags.
    assert many == few <= 5


def test_admin_order_list_filters_by_flag_colour_in_bounded_queries(client, staff_user, api, catalogue):
    client.force_login(staff_user("warehouse"))
    _orders(api, 0, 2, **FLAGGED_AND_ABNORMAL)
    _response, few = _get(client, "/admin/orders/order/?flag=red")
    _orders(api, 2, 10, **FLAGGED_AND_ABNORMAL)
    _orders(api, 12, 1, external_id="CLEAN-ONE")

    response, many = _get(client, "/admin/orders/order/?flag=red")

    content = response.content.decode()
    assert response.context["cl"].result_count == 12
    assert "CLEAN-ONE" not in content
    assert many == few <= 12


def test_colour_filter_lists_every_colour_with_counts_a_minute_old_at_most(client, staff_user, api, catalogue):
    cache.clear()
    client.force_login(staff_user("warehouse"))
    _orders(api, 0, 2, **FLAGGED_AND_ABNORMAL)
    first = client.get("/admin/orders/order/", headers={"Accept-Language": "en"}).content.decode()
    _orders(api, 2, 1, **FLAGGED_AND_ABNORMAL)

    again = client.get("/admin/orders/order/", headers={"Accept-Language": "en"}).content.decode()
    filtered = client.get("/admin/orders/order/?flag=red")

    assert "Red (2)" in first
    assert "Purple (0)" in first  # listed, so a colour flagged since the count can be filtered on
    assert "Red (2)" in again  # the cached count
    assert filtered.context["cl"].result_count == 3  # the list itself is never stale


def test_paginator_counts_short_lists_exactly(api, catalogue):
    _orders(api, 0, 3)

    assert EstimatedCountPaginator(Order.objects.order_by("-id"), 50).count == 3


def test_paginator_estimates_long_lists_instead_of_counting_them(api, catalogue, monkeypatch):
    monkeypatch.setattr(paginator_module, "EXACT_COUNT_UP_TO", 2)
    _orders(api, 0, 5)

    with CaptureQueriesContext(connection) as captured:
        count = EstimatedCountPaginator(Order.objects.order_by("-id"), 50).count

    assert count >= 3  # more than it counted exactly: the planner's estimate on PostgreSQL, a count elsewhere
    assert "LIMIT 3" in captured.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert captured.captured_queries[1]["sql"].startswith("EXPLAIN")
