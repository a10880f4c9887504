"""Which return policy applies to a line: the product's own, or the custom one for engraved goods."""

import pytest

from orders.models import Order, ReturnPolicy
from orders.returns import CUSTOM_POLICY_CODE, ReturnPolicies, line_return_policy
from tests.orders.helpers import create_order

pytestmark = pytest.mark.django_db

RING = {"sku": "RING-SILVER-12", "quantity": 1}
TEE = {"sku": "TEE-RED-M", "quantity": 1}


def _policies_by_sku(order_id: int) -> dict[str, str | None]:
    order = Order.objects.get(pk=order_id)
    policies = ReturnPolicies.load()
    return {
        line.sku: getattr(line_return_policy(line, order, policies), "code", None)
        for line in order.lines.select_related("variant__product")
    }


def test_engravable_goods_with_an_engraving_are_custom(api, catalogue):
    order = create_order(api, lines=[RING, TEE], special_requests={"engraving": "致韩梅梅"})

    assert _policies_by_sku(order["id"]) == {"RING-SILVER-12": CUSTOM_POLICY_CODE, "TEE-RED-M": "apparel-7d"}


def test_engravable_goods_without_an_engraving_keep_their_policy(api, catalogue):
    order = create_order(api, lines=[RING])

    assert _policies_by_sku(order["id"]) == {"RING-SILVER-12": "jewellery-30d"}


def test_a_line_outside_the_catalogue_has_no_policy(api, catalogue):
    order = create_order(api, lines=[{"sku": "NOPE-1", "quantity": 1, "unit_price": "1.00"}])

    assert _policies_by_sku(order["id"]) == {"NOPE-1": None}


def test_policies_load_in_one_query_for_any_number_of_lines(api, catalogue, django_assert_num_queries):
    order = create_order(api, lines=[RING, TEE, {"sku": "SHOE-WHITE-40", "quantity": 1}])
    order_row = Order.objects.get(pk=order["id"])
    lines = list(order_row.lines.select_related("variant__product"))

    with django_assert_num_queries(1):
        policies = ReturnPolicies.load()
        found = [line_return_policy(line, order_row, policies) for line in lines]

    assert all(isinstance(policy, ReturnPolicy) for policy in found)


def test_conditions_read_in_the_requested_language(db):
    policy = ReturnPolicy.objects.get(code=CUSTOM_POLICY_CODE)

    assert "定制" in policy.conditions("zh-hans")
    assert "engraved" in policy.conditions("en")
