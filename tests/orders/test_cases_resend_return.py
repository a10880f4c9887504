"""Resolving a case does the real thing (issue 16 item 4): ``resent`` sends the goods again as a replacement
order the warehouse packs, ``returned`` accepts the return of the lines their return policies allow."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from flags.models import Flag
from orders.models import Case, Order, OrderEvent, OrderLine, PaymentRecord
from tests.orders.helpers import act, create_confirmed_order, create_order
from tests.orders.test_cases_api import case_post, open_case

pytestmark = pytest.mark.django_db


def _shipped(api, agent_api, warehouse_api, *, deliver: bool = True, **overrides) -> dict:
    order = create_confirmed_order(api, agent_api, **overrides)
    shipped = act(warehouse_api, order, "ship", {"courier": "ZTO", "tracking_number": "753456789012"})
    assert shipped.status_code == 200, shipped.content
    if deliver:
        assert act(warehouse_api, order, "deliver", {}).status_code == 200
    return order


def test_resent_creates_a_free_confirmed_replacement_order_for_the_warehouse(
    api, agent_api, warehouse_api, warehouse_client, catalogue
):
    order = _shipped(api, agent_api, warehouse_api)
    original = Order.objects.get(pk=order["id"])
    OrderLine.objects.create(
        order=original, position=2, sku="SOCKS-GIFT", product_name="袜子", quantity=1, unit_price=0, is_gift=True
    )
    case = open_case(api, order, "logistics", description="快递丢件").json()

    response = case_post(agent_api, case["id"], "resolve", {"outcome": "resent", "note": "补发"})

    assert response.status_code == 200, response.content
    body = response.json()
    replacement = Order.objects.get(pk=body["replacement"])
    assert body["replacement_external_id"] == replacement.external_id == f"{original.external_id}-R1"
    assert Case.objects.get(pk=case["id"]).replacement_id == replacement.pk
    assert (replacement.status, replacement.payment_status) == ("confirmed", "paid")
    assert (replacement.total, replacement.amount_paid, replacement.shipping_fee) == (0, 0, 0)
    assert (replacement.customer_id, replacement.storefront_id) == (original.customer_id, original.storefront_id)
    assert replacement.shipping_address == original.shipping_address
    lines = list(replacement.lines.order_by("position").values_list("sku", "quantity", "unit_price", "is_gift"))
    assert lines == [("TEE-RED-M", 1, Decimal("0.00"), False), ("SOCKS-GIFT", 1, Decimal("0.00"), True)]
    assert OrderEvent.objects.filter(order=original, type="resent", data__replacement=replacement.pk).exists()
    assert OrderEvent.objects.filter(
        order=replacement, type="replacement_created", data__original=original.pk, data__case=case["id"]
    ).exists()
    flag = Flag.objects.get(order=replacement, cleared_at__isnull=True)
    assert (flag.colour, original.external_id in flag.note) == ("purple", True)
    # The warehouse packs it: it is on the pick list.
    page = warehouse_client.get(f"/admin/warehouse/pick-list/?ids={replacement.pk}")
    assert page.status_code == 200
    assert replacement.external_id in page.content.decode()
    assert not PaymentRecord.objects.filter(order=replacement).exists()


def test_a_second_replacement_gets_the_next_number(api, agent_api, warehouse_api, catalogue):
    order = _shipped(api, agent_api, warehouse_api, deliver=False)
    first = open_case(api, order, "logistics").json()
    second = open_case(api, order, "quality").json()

    assert case_post(agent_api, first["id"], "resolve", {"outcome": "resent"}).status_code == 200
    body = case_post(agent_api, second["id"], "resolve", {"outcome": "resent"}).json()

    assert body["replacement_external_id"].endswith("-R2")


def test_resent_on_an_order_that_has_not_shipped_is_refused(api, agent_api, catalogue):
    order = create_order(api)
    case = open_case(api, order, "logistics").json()

    response = case_post(agent_api, case["id"], "resolve", {"outcome": "resent"})

    assert (response.status_code, response.json()["code"]) == (409, "order_not_shipped")
    assert Case.objects.get(pk=case["id"]).status == "open"
    assert Order.objects.count() == 1


def test_returned_accepts_the_lines_in_their_window(api, agent_api, warehouse_api, catalogue):
    order = _shipped(api, agent_api, warehouse_api)
    case = open_case(api, order, "return").json()

    response = case_post(agent_api, case["id"], "resolve", {"outcome": "returned", "note": "七天无理由"})

    assert response.status_code == 200, response.content
    assert response.json()["outcome"] == "returned"
    event = OrderEvent.objects.get(order_id=order["id"], type="return_accepted")
    assert event.data["case"] == case["id"]
    assert [(line["sku"], line["policy"]) for line in event.data["lines"]] == [("TEE-RED-M", "apparel-7d")]


def test_returned_while_the_parcel_travels_is_accepted(api, agent_api, warehouse_api, catalogue):
    order = _shipped(api, agent_api, warehouse_api, deliver=False)
    case = open_case(api, order, "return").json()

    assert case_post(agent_api, case["id"], "resolve", {"outcome": "returned"}).status_code == 200


def test_returned_after_the_window_is_refused(api, agent_api, warehouse_api, catalogue):
    order = _shipped(api, agent_api, warehouse_api)
    Order.objects.filter(pk=order["id"]).update(delivered_at=timezone.now() - timedelta(days=8))
    case = open_case(api, order, "return").json()

    response = case_post(agent_api, case["id"], "resolve", {"outcome": "returned"})

    assert (response.status_code, response.json()["code"]) == (409, "return_not_allowed")
    assert [line["why"] for line in response.json()["data"]["lines"]] == ["window_closed"]
    assert Case.objects.get(pk=case["id"]).status == "open"
    assert not OrderEvent.objects.filter(order_id=order["id"], type="return_accepted").exists()


def test_engraved_goods_are_not_returnable(api, agent_api, warehouse_api, catalogue):
    lines = [{"sku": "RING-SILVER-12", "quantity": 1, "unit_price": "199.00"}]
    order = _shipped(api, agent_api, warehouse_api, lines=lines, special_requests={"engraving": "LOVE"})
    case = open_case(api, order, "return").json()

    response = case_post(agent_api, case["id"], "resolve", {"outcome": "returned"})

    assert (response.status_code, response.json()["code"]) == (409, "return_not_allowed")
    assert response.json()["data"]["lines"][0] | {"line": None} == {
        "line": None,
        "sku": "RING-SILVER-12",
        "quantity": 1,
        "policy": "custom-none",
        "why": "not_returnable",
    }


def test_returned_on_an_order_that_has_not_shipped_is_refused(api, agent_api, catalogue):
    order = create_order(api)
    case = open_case(api, order, "return").json()

    response = case_post(agent_api, case["id"], "resolve", {"outcome": "returned"})

    assert (response.status_code, response.json()["code"]) == (409, "order_not_shipped")


def test_an_accepted_return_records_the_refund_given_with_it(api, agent_api, supervisor_api, warehouse_api, catalogue):
    order = _shipped(api, agent_api, warehouse_api)
    case = open_case(api, order, "return").json()
    body = {"outcome": "returned", "refund": {"amount": "99.00", "reference": "RF-RET-1"}}

    response = case_post(supervisor_api, case["id"], "resolve", body)

    assert response.status_code == 200, response.content
    assert PaymentRecord.objects.filter(order_id=order["id"], kind="refund", amount="99.00").exists()
    types = list(OrderEvent.objects.filter(order_id=order["id"]).values_list("type", flat=True))
    assert types.index("return_accepted") < types.index("refund_recorded") < types.index("case_resolved")


def test_a_refund_with_an_outcome_other_than_refunded_or_returned_is_invalid(
    api, agent_api, supervisor_api, warehouse_api, catalogue
):
    order = _shipped(api, agent_api, warehouse_api)
    case = open_case(api, order, "logistics").json()
    body = {"outcome": "resent", "refund": {"amount": "1.00", "reference": "RF-X"}}

    response = case_post(supervisor_api, case["id"], "resolve", body)

    assert (response.status_code, list(response.json()["fields"])) == (400, ["refund"])
    assert Order.objects.count() == 1


def test_a_long_external_id_is_cut_to_fit_its_replacement_number(api, agent_api, warehouse_api, catalogue):
    order = _shipped(api, agent_api, warehouse_api, deliver=False, external_id="X" * 64)
    case = open_case(api, order, "logistics").json()

    body = case_post(agent_api, case["id"], "resolve", {"outcome": "resent"}).json()

    assert body["replacement_external_id"] == "X" * 61 + "-R1"


def test_an_agent_without_the_refund_right_cannot_accept_a_return_with_a_refund(
    api, agent_api, warehouse_api, catalogue
):
    order = _shipped(api, agent_api, warehouse_api)
    case = open_case(api, order, "return").json()
    body = {"outcome": "returned", "refund": {"amount": "99.00", "reference": "RF-RET-2"}}

    response = case_post(agent_api, case["id"], "resolve", body)

    assert response.status_code == 403
    assert Case.objects.get(pk=case["id"]).status == "open"
    assert not OrderEvent.objects.filter(order_id=order["id"], type="return_accepted").exists()
    assert not PaymentRecord.objects.filter(order_id=order["id"]).exists()


def test_only_the_lines_the_policies_allow_are_accepted(api, agent_api, warehouse_api, catalogue):
    lines = [
        {"sku": "RING-SILVER-12", "quantity": 1, "unit_price": "199.00"},
        {"sku": "TEE-RED-M", "size": "M", "colour": "红色", "quantity": 2, "unit_price": "99.00"},
    ]
    order = _shipped(api, agent_api, warehouse_api, lines=lines, special_requests={"engraving": "LOVE"})
    case = open_case(api, order, "return").json()

    assert case_post(agent_api, case["id"], "resolve", {"outcome": "returned"}).status_code == 200

    event = OrderEvent.objects.get(order_id=order["id"], type="return_accepted")
    assert [(line["sku"], line["quantity"], line["policy"]) for line in event.data["lines"]] == [
        ("TEE-RED-M", 2, "apparel-7d")
    ]
    assert [(line["sku"], line["policy"], line["why"]) for line in event.data["refused"]] == [
        ("RING-SILVER-12", "custom-none", "not_returnable")
    ]
