"""Free gifts (赠品) end to end: a supervisor's rule in the admin, the gift line intake adds (REST body,
check, flag, event), the agent's page, the pick list, the buyer's message, merges and price edits."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from orders.models import GiftRule, Message, OrderEvent, OrderLine, Variant
from orders.services.catalog import catalog_upsert
from tests.factories import variant
from tests.orders.helpers import act, codes, create_order

pytestmark = pytest.mark.django_db

BED = {"sku": "BED-SET", "quantity": 1}  # 床+床头柜, 3000.00
TEE = {"sku": "TEE-RED-M", "quantity": 1, "unit_price": "99.00"}
SOFA = {"sku": "SOFA-GREY", "quantity": 1}  # 2999.00


@pytest.fixture
def gift_catalogue(catalogue) -> None:
    catalog_upsert(
        rows=[
            variant("BED-SET", "BED", product_name="床+床头柜套装", category="furniture", price=Decimal("3000.00")),
            variant(
                "CUSHION-BEIGE",
                "CUSHION",
                product_name="靠枕",
                category="home",
                colour="米色",
                price=Decimal("59.00"),
                stock=10,
            ),
            variant("SOCKS-GREY", "SOCKS", product_name="棉袜", colour="灰色", price=Decimal("19.00"), stock=10),
        ]
    )


def rule(gift_sku: str, *, triggers=(), **values) -> GiftRule:
    made = GiftRule.objects.create(
        name=values.pop("name", "rule"), gift_variant=Variant.objects.get(sku=gift_sku), **values
    )
    made.trigger_variants.set(Variant.objects.filter(sku__in=triggers))
    return made


@pytest.fixture
def cushion_rule(gift_catalogue) -> GiftRule:
    """满3000送靠枕 (seed 003)."""
    return rule("CUSHION-BEIGE", name="满3000送靠枕", threshold=Decimal("3000.00"))


@pytest.fixture
def socks_rule(gift_catalogue) -> GiftRule:
    """买一送一 on socks, up to 5 pairs."""
    return rule("SOCKS-GREY", name="棉袜买一送一", triggers=["SOCKS-GREY"], limit_per_order=5)


@pytest.fixture
def admin_language() -> None:
    """The admin in its default language, Chinese: the gift reads 【赠品】."""
    return None


def gift_lines(order: dict) -> list[tuple]:
    return [(line["sku"], line["quantity"], line["unit_price"]) for line in order["lines"] if line["is_gift"]]


# --- the walk-through ---------------------------------------------------------------------------------


def test_an_order_of_3000_gets_its_cushion_packed_on_the_pick_list(
    api, agent_api, supervisor_client, warehouse_client, gift_catalogue
):
    # given: a supervisor adds the seed's 满3000送靠枕 in the admin
    cushion = Variant.objects.get(sku="CUSHION-BEIGE")
    response = supervisor_client.post(
        "/admin/orders/giftrule/add/",
        {
            "name": "满3000送靠枕",
            "gift_variant": cushion.pk,
            "quantity": 1,
            "threshold": "3000.00",
            "limit_per_order": 1,
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    # when: a storefront posts an order of 3000.00
    order = create_order(api, lines=[BED], shipping_fee="0.00")

    # then: the cushion is a free line, the goods still 3000.00, gift.added lists it
    assert [(line["sku"], line["is_gift"], line["unit_price"], line["line_total"]) for line in order["lines"]] == [
        ("BED-SET", False, "3000.00", "3000.00"),
        ("CUSHION-BEIGE", True, "0.00", "0.00"),
    ]
    assert order["totals"] == {"items": "3000.00", "adjustment": "0.00", "shipping": "0.00", "total": "3000.00"}
    [added] = [check for check in order["checks"] if check["code"] == "gift.added"]
    assert added["severity"] == "info"
    assert added["data"]["gifts"] == [{"line": 2, "sku": "CUSHION-BEIGE", "name": "靠枕", "quantity": 1}]
    assert ("blue", "gift") in {(flag["colour"], flag["category"]) for flag in order["flags"]}
    received = OrderEvent.objects.get(order_id=order["id"], type="received")
    assert received.data["gifts"] == [
        {"line": 2, "sku": "CUSHION-BEIGE", "quantity": 1, "rule": GiftRule.objects.get().pk}
    ]

    # and: confirmed, the order reaches the warehouse with the cushion on its sheet
    for check in order["checks"]:
        if check["severity"] == "warning":
            act(agent_api, order, f"checks/{check['code']}/acknowledge", {"note": "ok"})
    assert act(agent_api, order, "confirm").status_code == 200
    sheet = warehouse_client.get("/admin/warehouse/pick-list/", {"ids": str(order["id"])})
    content = sheet.content.decode()
    assert sheet.status_code == 200
    assert "CUSHION-BEIGE" in content
    assert "靠枕 <strong>【赠品】</strong>" in content

    # and: the buyer's confirmation reads the gift back
    body = Message.objects.get(order_id=order["id"], kind="confirmation").body
    assert "靠枕（赠品）" in body
    assert "床+床头柜套装（赠品）" not in body


def test_the_agents_order_page_marks_the_gift(api, agent_client, cushion_rule):
    order = create_order(api, lines=[BED])

    content = agent_client.get(f"/admin/orders/order/{order['id']}/change/").content.decode()

    assert '靠枕 <strong class="gift">【赠品】</strong>' in content


def test_below_the_threshold_no_gift(api, cushion_rule):
    order = create_order(api, lines=[SOFA])

    assert gift_lines(order) == []
    assert "gift.added" not in codes(order, status=None)


def test_buy_one_get_one_adds_the_trigger_itself_free(api, socks_rule):
    order = create_order(api, lines=[{"sku": "SOCKS-GREY", "quantity": 2}])

    assert gift_lines(order) == [("SOCKS-GREY", 2, "0.00")]
    assert order["totals"]["items"] == "38.00"  # the two pairs bought; the two given count for nothing
    assert "price.mismatch" not in codes(order, status=None)


def test_the_limit_per_order_caps_the_gift(api, socks_rule):
    order = create_order(api, lines=[{"sku": "SOCKS-GREY", "quantity": 8}])

    assert gift_lines(order) == [("SOCKS-GREY", 5, "0.00")]


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "given"),
    [
        (None, date(2026, 11, 21), False),
        (date(2026, 11, 23), None, False),
        (date(2026, 11, 22), date(2026, 11, 22), True),
    ],
)
def test_the_rules_dates_are_read_on_the_day_the_buyer_ordered(api, gift_catalogue, valid_from, valid_to, given):
    rule("CUSHION-BEIGE", threshold=Decimal("3000.00"), valid_from=valid_from, valid_to=valid_to)

    order = create_order(api, lines=[BED], placed_at="2026-11-22T23:30:00+08:00")  # 22 November in Shanghai

    assert bool(gift_lines(order)) is given


def test_an_inactive_rule_gives_nothing(api, gift_catalogue):
    rule("CUSHION-BEIGE", threshold=Decimal("3000.00"), active=False)

    assert gift_lines(create_order(api, lines=[BED])) == []


def test_an_out_of_stock_gift_raises_the_stock_blocker_for_its_line(api, cushion_rule):
    Variant.objects.filter(sku="CUSHION-BEIGE").update(stock=0)

    order = create_order(api, lines=[BED])

    assert gift_lines(order) == [("CUSHION-BEIGE", 1, "0.00")]
    [stock] = [check for check in order["checks"] if check["code"] == "line.out_of_stock"]
    assert (stock["severity"], stock["key"], stock["data"]["quantity"]) == ("blocker", "CUSHION-BEIGE", 1)


def test_a_gift_line_price_cannot_be_edited(api, agent_api, cushion_rule):
    order = create_order(api, lines=[BED])
    gift_line = next(line for line in order["lines"] if line["is_gift"])

    response = act(agent_api, order, "adjust-price", {"amount": "10.00", "line_id": gift_line["id"], "reason": "x"})

    assert response.status_code == 400
    assert "line_id" in response.json()["fields"]


def test_an_order_discount_leaves_the_gift_free(api, agent_api, cushion_rule):
    order = create_order(api, lines=[BED], payment_status="unpaid")

    response = act(agent_api, order, "adjust-price", {"percent": "99", "reason": "老客户"})

    assert response.status_code == 200, response.content
    assert response.json()["totals"]["adjustment"] == "-30.00"  # 1% of the bed alone
    assert gift_lines(response.json()) == [("CUSHION-BEIGE", 1, "0.00")]


# --- the note ---------------------------------------------------------------------------------------


def test_a_note_about_the_gift_the_rules_gave_raises_no_request(api, cushion_rule):
    order = create_order(api, lines=[BED], buyer_note="满3000有赠品，客服说会备注")

    assert "request.in_note" not in codes(order)


def test_a_note_asking_for_a_gift_no_rule_gives_opens_request_in_note(api, cushion_rule):
    order = create_order(api, lines=[SOFA], buyer_note="多送一个赠品吧")

    [in_note] = [check for check in order["checks"] if check["code"] == "request.in_note"]
    assert [found["kind"] for found in in_note["data"]["found"]] == ["free_gift"]


# --- merges -----------------------------------------------------------------------------------------


def merge(client, order_ids):
    return client.post("/api/v1/orders/merge/", data={"order_ids": order_ids}, format="json")


def test_a_merge_keeps_every_originals_gift_and_never_gives_a_trigger_twice(api, agent_api, socks_rule):
    first = create_order(api, lines=[{"sku": "SOCKS-GREY", "quantity": 1}])
    second = create_order(api, lines=[{"sku": "SOCKS-GREY", "quantity": 1}])

    response = merge(agent_api, [first["id"], second["id"]])

    assert response.status_code == 201, response.content
    primary = response.json()
    assert [(line["sku"], line["is_gift"]) for line in primary["lines"]] == [
        ("SOCKS-GREY", False),
        ("SOCKS-GREY", True),
        ("SOCKS-GREY", False),
        ("SOCKS-GREY", True),
    ]
    assert primary["totals"]["items"] == "38.00"
    merged = OrderEvent.objects.get(order_id=primary["id"], type="merged")
    assert [gift["line"] for gift in merged.data["gifts"]] == [2, 4]
    assert "gifts_added" not in merged.data


def test_a_merge_of_two_threshold_gifts_keeps_both_and_adds_none(api, agent_api, cushion_rule):
    first = create_order(api, lines=[BED])
    second = create_order(api, lines=[BED])

    primary = merge(agent_api, [first["id"], second["id"]]).json()

    assert gift_lines(primary) == [("CUSHION-BEIGE", 1, "0.00"), ("CUSHION-BEIGE", 1, "0.00")]


def test_goods_that_reach_the_threshold_only_together_earn_the_gift_once_merged(api, agent_api, cushion_rule):
    first = create_order(api, lines=[SOFA])  # 2999.00
    second = create_order(api, lines=[TEE])  # 99.00
    assert gift_lines(first) == gift_lines(second) == []

    primary = merge(agent_api, [first["id"], second["id"]]).json()

    assert gift_lines(primary) == [("CUSHION-BEIGE", 1, "0.00")]
    assert [line["position"] for line in primary["lines"]] == [1, 2, 3]
    assert "gift.added" in codes(primary, status=None)
    merged = OrderEvent.objects.get(order_id=primary["id"], type="merged")
    assert merged.data["gifts_added"] == [{"line": 3, "sku": "CUSHION-BEIGE", "quantity": 1, "rule": cushion_rule.pk}]


# --- the rules in the admin --------------------------------------------------------------------------


def test_a_rule_needs_a_threshold_or_trigger_skus(supervisor_client, gift_catalogue):
    cushion = Variant.objects.get(sku="CUSHION-BEIGE")

    response = supervisor_client.post(
        "/admin/orders/giftrule/add/",
        {"name": "nothing", "gift_variant": cushion.pk, "quantity": 1, "limit_per_order": 1, "active": "on"},
    )

    assert response.status_code == 200
    assert "请填写金额门槛或触发 SKU" in response.content.decode()
    assert not GiftRule.objects.exists()


def test_a_rule_cannot_end_before_it_starts(supervisor_client, gift_catalogue):
    cushion = Variant.objects.get(sku="CUSHION-BEIGE")

    response = supervisor_client.post(
        "/admin/orders/giftrule/add/",
        {
            "name": "x",
            "gift_variant": cushion.pk,
            "quantity": 1,
            "threshold": "1",
            "limit_per_order": 1,
            "valid_from": "2026-12-01",
            "valid_to": "2026-11-01",
        },
    )

    assert response.status_code == 200
    assert not GiftRule.objects.exists()


def test_supervisors_edit_the_rules_agents_read_them_the_warehouse_does_not_see_them(
    supervisor_client, agent_client, warehouse_client, cushion_rule
):
    supervisor, agent, warehouse = supervisor_client, agent_client, warehouse_client

    assert supervisor.get("/admin/orders/giftrule/add/").status_code == 200
    assert "满3000送靠枕" in agent.get("/admin/orders/giftrule/").content.decode()
    assert agent.get("/admin/orders/giftrule/add/").status_code == 403
    assert agent.post(f"/admin/orders/giftrule/{cushion_rule.pk}/change/", {"name": "x"}).status_code == 403
    assert warehouse.get("/admin/orders/giftrule/").status_code == 403


def test_a_rule_saved_in_the_admin_applies_to_the_next_order(api, supervisor_client, cushion_rule):
    # the shop's settings are cached per process: a save (triggers included) must reach the next intake
    socks = Variant.objects.get(sku="SOCKS-GREY")
    assert gift_lines(create_order(api, lines=[{"sku": "SOCKS-GREY", "quantity": 1}])) == []

    response = supervisor_client.post(
        "/admin/orders/giftrule/add/",
        {
            "name": "买一送一",
            "gift_variant": socks.pk,
            "quantity": 1,
            "trigger_variants": [socks.pk],
            "limit_per_order": 3,
            "active": "on",
        },
    )

    assert response.status_code == 302
    assert gift_lines(create_order(api, lines=[{"sku": "SOCKS-GREY", "quantity": 1}])) == [("SOCKS-GREY", 1, "0.00")]


def test_is_gift_is_in_the_schema(api):
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()

    line = schema["components"]["schemas"]["LineOutput"]
    assert line["properties"]["is_gift"]["type"] == "boolean"
    assert "is_gift" in line["required"]


def test_the_database_refuses_a_gift_line_that_costs_something(api, cushion_rule):
    order = create_order(api, lines=[BED])
    gift_line = OrderLine.objects.get(order_id=order["id"], is_gift=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        OrderLine.objects.filter(pk=gift_line.pk).update(unit_price=Decimal("59.00"), line_total=Decimal("59.00"))


def test_the_admins_merge_preview_shows_the_gift_the_merged_goods_earn(api, agent_client, cushion_rule):
    first = create_order(api, lines=[SOFA])
    second = create_order(api, lines=[TEE])

    page = agent_client.get(f"/admin/orders/order/merge/?ids={first['id']},{second['id']}")

    content = page.content.decode()
    assert page.status_code == 200
    assert "CUSHION-BEIGE" in content
    assert '靠枕 <strong class="gift">【赠品】</strong>' in content
    assert not OrderLine.objects.filter(sku="CUSHION-BEIGE").exists()  # a preview saves nothing
