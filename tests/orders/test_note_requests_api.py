"""Requests in notes over REST: findings flag the order by category, and an agent turns a finding into
the structured request with one action (``POST …/checks/request.in_note/convert/``), or is refused
with a stable code."""

import pytest

from flags.models import Flag
from orders.models import CheckResult, Courier, Order, OrderStatus
from tests.orders.helpers import act, create_order

pytestmark = pytest.mark.django_db

NOTE = "请发顺丰，礼盒包装，刻“吴婷”，多送一个赠品，易碎，要发票，地址改一下"


def in_note(order_id: int) -> CheckResult | None:
    return Order.objects.get(pk=order_id).checks.filter(code="request.in_note").first()


def found_kinds(body: dict) -> list[str]:
    check = next((c for c in body["checks"] if c["code"] == "request.in_note"), None)
    return [] if check is None or check["status"] == "resolved" else [f["kind"] for f in check["data"]["found"]]


def convert(client, order, body: dict, code: str = "request.in_note", **headers):
    return act(client, order, f"checks/{code}/convert", body, **headers)


def auto_flags(order_id: int) -> dict[str, tuple[str, str, str]]:
    flags = Flag.objects.filter(order_id=order_id, cleared_at__isnull=True, source="auto").select_related("category")
    return {flag.cause: (flag.category.code, flag.colour, flag.note) for flag in flags}


def test_findings_raise_one_flag_per_category_naming_the_words_found(api, catalogue):
    order = create_order(api, buyer_note=NOTE, seller_memo="周六送")

    flags = auto_flags(order["id"])
    assert {cause: flag[:2] for cause, flag in flags.items()} == {
        "request.in_note:courier": ("courier", "red"),
        "request.in_note:gift": ("gift", "blue"),
        "request.in_note:abnormal": ("abnormal", "purple"),
        "request.in_note:address": ("address", "yellow"),
    }
    assert "SF" in flags["request.in_note:courier"][2] and "“顺丰”" in flags["request.in_note:courier"][2]
    gift = flags["request.in_note:gift"][2]
    assert "“礼盒包装”" in gift and "吴婷" in gift and "“多送”" in gift
    other = flags["request.in_note:abnormal"][2]
    assert "“易碎”" in other and "“发票”" in other and "“周六送”" in other
    assert "卖家备注" in other and "买家备注" in other  # the shop's language: which note said it


def test_a_note_that_asks_nothing_raises_no_flag(api, catalogue):
    order = create_order(api, buyer_note="请尽快发货，谢谢")

    assert auto_flags(order["id"]) == {}


def test_converting_the_courier_sets_it_and_resolves_the_finding(api, agent_api, catalogue):
    order = create_order(api, buyer_note="请发顺丰，易碎")

    response = convert(agent_api, order, {"kind": "courier"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["special_requests"] == {"courier": "SF"}
    assert found_kinds(body) == ["fragile"]
    event = next(e for e in body["events"] if e["type"] == "requests_changed")
    assert event["data"]["before"] == {} and event["data"]["after"] == {"courier": "SF"}
    assert event["data"]["from_note"] == {"kind": "courier", "text": "顺丰", "value": "SF", "source": "buyer_note"}
    flags = auto_flags(order["id"])
    assert "request.in_note:courier" not in flags and flags["request.courier"][:2] == ("courier", "red")
    assert body["version"] > order["version"]


def test_the_last_finding_converted_resolves_the_check_by_the_agent(api, agent_api, catalogue):
    order = create_order(api, buyer_note="礼盒装")

    assert convert(agent_api, order, {"kind": "gift_wrap"}).status_code == 200

    row = in_note(order["id"])
    assert row.status == "resolved" and row.resolved_by == agent_api.user
    assert Order.objects.get(pk=order["id"]).gift_wrap is True
    assert "request.in_note:gift" not in auto_flags(order["id"])


@pytest.mark.parametrize(
    ("note", "kind", "field", "value"),
    [
        ("刻字：吴婷", "engraving", "engraving_text", "吴婷"),
        ("贺卡写：生日快乐", "card_message", "card_message", "生日快乐"),
    ],
)
def test_an_engraving_or_a_card_takes_the_notes_text(api, agent_api, catalogue, note, kind, field, value):
    order = create_order(api, buyer_note=note)

    assert convert(agent_api, order, {"kind": kind}).status_code == 200

    assert getattr(Order.objects.get(pk=order["id"]), field) == value


def test_a_value_picks_one_of_several_couriers(api, agent_api, catalogue):
    order = create_order(api, buyer_note="顺丰或者京东都可以")

    ambiguous = convert(agent_api, order, {"kind": "courier"})
    picked = convert(agent_api, order, {"kind": "courier", "value": "jd"})

    assert ambiguous.status_code == 409
    assert ambiguous.json()["code"] == "note_finding_ambiguous"
    assert ambiguous.json()["data"]["values"] == ["SF", "JD"]
    assert picked.status_code == 200
    assert picked.json()["special_requests"] == {"courier": "JD"}


def test_a_source_picks_the_note(api, agent_api, catalogue):
    order = create_order(api, buyer_note="", seller_memo="买家要求发中通")

    assert convert(agent_api, order, {"kind": "courier", "source": "buyer_note"}).json()["code"] == (
        "note_finding_not_found"
    )
    assert convert(agent_api, order, {"kind": "courier", "source": "seller_memo"}).status_code == 200


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"kind": "invoice"}, 400, "invalid"),  # the schema lists only the kinds a field carries
        ({"kind": "fragile"}, 400, "invalid"),
        ({"kind": "teleport"}, 400, "invalid"),
        ({}, 400, "invalid"),
        ({"kind": "courier", "source": "elsewhere"}, 400, "invalid"),
        ({"kind": "card_message"}, 409, "note_finding_not_found"),
        ({"kind": "courier", "value": "ZTO"}, 409, "note_finding_not_found"),
        ({"kind": "engraving"}, 409, "note_finding_without_text"),
    ],
)
def test_refusals_have_stable_codes_and_change_nothing(api, agent_api, catalogue, body, status, code):
    order = create_order(api, buyer_note="请发顺丰，要刻字，要发票，易碎")

    response = convert(agent_api, order, body)

    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    stored = Order.objects.get(pk=order["id"])
    assert stored.version == order["version"] and stored.requested_courier == "" and stored.engraving_text == ""


def test_only_request_in_note_converts(api, agent_api, catalogue):
    order = create_order(api, buyer_note="请发顺丰", special_requests={"courier": "ZTO"})

    response = convert(agent_api, order, {"kind": "courier"}, code="request.note_conflict")

    assert response.status_code == 404  # the path names the one check that converts


def test_an_order_without_findings_has_nothing_to_convert(api, agent_api, catalogue):
    order = create_order(api, buyer_note="谢谢")

    response = convert(agent_api, order, {"kind": "courier"})

    assert response.status_code == 409
    assert response.json()["code"] == "note_finding_not_found"


def test_another_value_already_on_the_order_is_a_conflict(api, agent_api, catalogue):
    order = create_order(api, buyer_note="请发顺丰")
    Order.objects.filter(pk=order["id"]).update(requested_courier="ZTO")  # set meanwhile, checks not re-run yet

    response = convert(agent_api, order, {"kind": "courier"})

    assert response.status_code == 409
    assert response.json()["code"] == "note_request_conflict"
    assert Order.objects.get(pk=order["id"]).requested_courier == "ZTO"


def test_a_courier_the_shop_does_not_know_is_refused(api, agent_api, catalogue):
    order = create_order(api, buyer_note="发EMS")
    Courier.objects.filter(code="EMS").delete()

    response = convert(agent_api, order, {"kind": "courier"})

    assert response.status_code == 409
    assert response.json()["code"] == "note_request_conflict"


def test_a_stale_version_is_412_and_a_shipped_order_409(api, agent_api, catalogue):
    order = create_order(api, buyer_note="请发顺丰")

    stale = convert(agent_api, order, {"kind": "courier"}, **{"If-Match": f'"{order["version"] - 1}"'})
    Order.objects.filter(pk=order["id"]).update(status=OrderStatus.SHIPPED)
    shipped = convert(agent_api, order, {"kind": "courier"})

    assert stale.status_code == 412
    assert shipped.status_code == 409 and shipped.json()["code"] == "order_not_editable"


def test_who_may_convert(api, other_api, warehouse_api, supervisor_api, catalogue):
    order = create_order(api, buyer_note="请发顺丰")

    assert convert(api, order, {"kind": "courier"}).status_code == 403
    assert convert(other_api, order, {"kind": "courier"}).status_code == 403
    assert convert(warehouse_api, order, {"kind": "courier"}).status_code == 403
    assert convert(supervisor_api, order, {"kind": "courier"}).status_code == 200


def test_a_note_that_contradicts_the_order_flags_what_each_says(api, catalogue):
    order = create_order(api, buyer_note="请发顺丰", special_requests={"courier": "ZTO"})

    flags = auto_flags(order["id"])

    assert flags["request.in_note:courier"][0] == "courier"
    assert flags["request.in_note:courier"][2].endswith("(“顺丰”) ≠ ZTO")
    assert flags["request.courier"][0] == "courier"


def test_the_service_refuses_a_kind_no_field_carries_from_any_screen(api, agent, catalogue):
    """The admin posts to the service directly: the REST schema's list is not its only guard."""
    from orders.events import Actor
    from orders.exceptions import DomainError
    from orders.services.note_requests import order_note_convert

    order = create_order(api, buyer_note="易碎品，请开发票")

    with pytest.raises(DomainError) as refused:
        order_note_convert(order_id=order["id"], code="request.in_note", kind="invoice", actor=Actor(user=agent))

    assert refused.value.code == "note_kind_not_convertible"
