"""Agents' money edits in the admin (改价, 改运费, 合并订单): the price and shipping-fee pages with their
preview, the merge action with its preview, unmerge, and the price edits on the order page; stale
versions, the discount limit and the roles."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from orders.admin.timeline import EventChange, event_changes
from orders.events import Actor
from orders.models import Order, OrderEvent, OrderMerge, OrderStatus, PriceEdit
from orders.pricing import PriceChange, order_totals
from orders.services.merge import orders_merge
from orders.services.pricing import order_adjust_price
from tests.orders.helpers import create_flat_fee_order

pytestmark = pytest.mark.django_db

ORDERS = "/admin/orders/order/"
QUEUE = "/admin/orders/confirmationqueue/"
TEE = {"sku": "TEE-RED-M", "quantity": 1, "unit_price": "99.00"}
SHOE = {"sku": "SHOE-WHITE-42", "quantity": 1, "unit_price": "259.00"}


def page_url(order_id: int) -> str:
    return f"{ORDERS}{order_id}/change/"


def price_url(order_id: int) -> str:
    return f"{ORDERS}{order_id}/price/"


def shipping_url(order_id: int) -> str:
    return f"{ORDERS}{order_id}/shipping-fee/"


def unmerge_url(order_id: int) -> str:
    return f"{ORDERS}{order_id}/unmerge/"


def merge_url(*order_ids: int) -> str:
    return f"{ORDERS}merge/?ids={','.join(map(str, order_ids))}"


def preview(client: Client, url: str, **fields):
    """Open the page, fill in the form and press Preview."""
    version = client.get(url).context["version"]
    return client.post(url, {"version": version, "_preview": "1", **fields})


def save(client: Client, url: str, previewed, **fields):
    """Press Save on a preview page: it posts the version and values the preview was computed from."""
    return client.post(
        url,
        {
            "version": previewed.context["version"],
            "previewed": previewed.context["preview_key"],
            "_save": "1",
            **fields,
        },
        follow=True,
    )


def edit(client: Client, url: str, **fields):
    shown = preview(client, url, **fields)
    assert shown.context["preview_rows"], text_of(shown)
    return save(client, url, shown, **fields)


def text_of(response) -> str:
    return response.content.decode()


def preview_rows(response) -> dict[str, tuple[str, str]]:
    return {str(row.label): (str(row.before), str(row.after)) for row in response.context["preview_rows"]}


def money(order_id: int) -> dict[str, str]:
    order = Order.objects.get(pk=order_id)
    return {
        **order_totals(order).as_strings(),
        "amount_paid": str(order.amount_paid),
        "refund_due": str(order.refund_due),
    }


def state_of_every_order() -> list[tuple]:
    return list(Order.objects.order_by("id").values_list("id", "status", "version", "total", "amount_paid"))


def merge_via_action(client: Client, *order_ids: int):
    """Tick the orders on the order list, choose the merge action: the preview page."""
    chosen = client.post(ORDERS, {"action": "merge_selected_orders", "_selected_action": order_ids, "index": 0})
    assert chosen.status_code == 302, text_of(chosen)
    return client.get(chosen["Location"])


def merge_confirm(client: Client, shown, reason: str = "同一地址合并发货"):
    url = f"{shown.request['PATH_INFO']}?{shown.request['QUERY_STRING']}"
    return client.post(url, {"versions": shown.context["versions"], "reason": reason}, follow=True)


def edits_by(order_id: int) -> list[tuple[str, str]]:
    """The order's events after intake: (type, who)."""
    return [
        (event.type, str(event.actor_name))
        for event in OrderEvent.objects.filter(order_id=order_id).order_by("id")
        if not event.actor_label.startswith("storefront:")
    ]


# --- the "done" path, in the admin -------------------------------------------------------------------


def test_an_agents_day_of_edits_in_the_admin(agent_client, agent, api, catalogue):
    five_off = create_flat_fee_order(api)
    percent = create_flat_fee_order(api, customer={"external_id": "buyer-2"}, lines=[{**TEE, "quantity": 2}])
    free_shipping = create_flat_fee_order(api, customer={"external_id": "buyer-3"}, payment_status="unpaid")
    first = create_flat_fee_order(
        api, customer={"external_id": "buyer-4"}, lines=[{"sku": "TEE-WHITE-M", "quantity": 1}]
    )
    second = create_flat_fee_order(
        api, customer={"external_id": "buyer-4"}, lines=[{"sku": "SHOE-WHITE-42", "quantity": 1}]
    )

    # 5 CNY off a paid order: the buyer gets 5.00 back
    done = edit(agent_client, price_url(five_off["id"]), amount="-5.00", reason="老客户")
    assert done.redirect_chain[-1][0] == page_url(five_off["id"])
    assert "Saved: the total is now 104.00 CNY." in text_of(done)
    assert money(five_off["id"]) == {
        "items": "99.00",
        "adjustment": "-5.00",
        "shipping": "10.00",
        "total": "104.00",
        "amount_paid": "109.00",
        "refund_due": "5.00",
    }

    # 95折 on 198.00 of goods
    edit(agent_client, price_url(percent["id"]), percent="95", reason="95折")
    assert money(percent["id"]) == {
        "items": "198.00",
        "adjustment": "-9.90",
        "shipping": "10.00",
        "total": "198.10",
        "amount_paid": "208.00",
        "refund_due": "9.90",
    }

    # free shipping on an unpaid order: the buyer pays the goods only
    edit(agent_client, shipping_url(free_shipping["id"]), fee="0.00", reason="包邮")
    assert money(free_shipping["id"]) == {
        "items": "99.00",
        "adjustment": "0.00",
        "shipping": "0.00",
        "total": "99.00",
        "amount_paid": "0.00",
        "refund_due": "0.00",
    }

    # merge two orders of one buyer from the order list: preview, then merge
    shown = merge_via_action(agent_client, second["id"], first["id"])
    assert shown.context["primary"].external_id == f"MERGE-{first['id']}-1"
    assert Order.objects.count() == 5  # the preview saved nothing
    merged = merge_confirm(agent_client, shown)
    primary = merged.context["order"]
    assert merged.redirect_chain[-1][0] == page_url(primary.pk)
    assert f"The orders are merged into {primary.external_id}." in text_of(merged)
    assert money(primary.pk) == {
        "items": "358.00",
        "adjustment": "0.00",
        "shipping": "0.00",
        "total": "358.00",
        "amount_paid": "378.00",
        "refund_due": "20.00",
    }
    assert unmerge_url(primary.pk) in text_of(merged)

    # unmerge from the primary's page: every original is back as it was
    unmerged = agent_client.post(
        unmerge_url(primary.pk), {"version": primary.version, "reason": "买家要求分开发"}, follow=True
    )
    assert "The merge is undone" in text_of(unmerged)
    assert Order.objects.get(pk=primary.pk).status == OrderStatus.CANCELLED
    for original in (first, second):
        stored = Order.objects.get(pk=original["id"])
        assert (stored.status, order_totals(stored).as_strings(), str(stored.amount_paid)) == (
            original["status"],
            original["totals"],
            original["amount_paid"],
        )

    # a full history, with the agent as the actor of every edit
    name = agent.get_username()
    assert edits_by(five_off["id"]) == [("price_adjusted", name)]
    assert edits_by(percent["id"]) == [("price_adjusted", name)]
    # the fee set below the rules on purpose: the edit's reason acknowledges shipping.fee_below_rule
    assert edits_by(free_shipping["id"]) == [
        ("shipping_adjusted", name),
        ("checks_run", name),
        ("check_acknowledged", name),
    ]
    assert edits_by(first["id"]) == edits_by(second["id"]) == [("merged", name), ("unmerged", name)]
    assert edits_by(primary.pk) == [("merged", name), ("status_changed", name), ("unmerged", name)]
    assert list(PriceEdit.objects.order_by("id").values_list("reason", "actor")) == [
        ("老客户", agent.pk),
        ("95折", agent.pk),
        ("包邮", agent.pk),
    ]
    assert OrderMerge.objects.get().unmerged_by == agent


def test_the_order_page_lists_the_price_edits_and_reads_them_in_the_timeline(agent_client, api, catalogue):
    order = create_flat_fee_order(api)
    edit(agent_client, price_url(order["id"]), amount="-5.00", reason="老客户")
    edit(agent_client, shipping_url(order["id"]), fee="0.00", reason="包邮")

    response = agent_client.get(page_url(order["id"]))

    edits = [(e.get_kind_display(), str(e.value), e.reason, e.actor.username) for e in response.context["price_edits"]]
    assert edits == [
        ("Order: amount", "-5.00", "老客户", "agent-wang"),
        ("Shipping fee", "0.00", "包邮", "agent-wang"),
    ]
    content = text_of(response)
    assert 'id="price-edits"' in content
    assert '109.00 <span class="change-arrow">&rarr;</span> 104.00' in content  # the total, before → after
    timeline = {
        (row.event.type, change.label): change for row in response.context["event_rows"] for change in row.changes
    }
    assert timeline[("price_adjusted", "total")] == EventChange("total", "109.00", "104.00")
    assert timeline[("price_adjusted", "kind")].before == "Order: amount"
    assert timeline[("shipping_adjusted", "shipping")] == EventChange("shipping", "10.00", "0.00")
    assert timeline[("shipping_adjusted", "rules fee")].before == "6.00"


def test_the_timeline_names_orders_and_lines_as_agents_do():
    sample = {
        "orders": [
            {"id": 2, "external_id": "TB2", "totals": {"total": "109.00"}},
            {"id": 3, "external_id": "TB3", "totals": {"total": "269.00"}},
        ],
        "into": {"id": 4, "external_id": "MERGE-2-1"},
        "line": {"id": 9, "position": 1, "sku": "TEE-RED-M"},
        "kind": "line_percent",
    }

    with translation.override("en"):  # whatever language an earlier test left active
        changes = event_changes(sample, str)

    assert changes == [
        EventChange("orders", "TB2 (109.00)、TB3 (269.00)"),
        EventChange("into", "MERGE-2-1"),
        EventChange("line", "#1 TEE-RED-M"),
        EventChange("kind", "Line: percentage"),
    ]


# --- the price page ----------------------------------------------------------------------------------------


def test_the_preview_shows_the_totals_before_and_after_and_saves_nothing(agent_client, api, catalogue):
    order = create_flat_fee_order(api)
    before = state_of_every_order()

    shown = preview(agent_client, price_url(order["id"]), amount="-5.00", reason="老客户")

    assert shown.status_code == 200
    assert preview_rows(shown) == {
        "items total": ("99.00", "99.00"),
        "adjustment": ("0.00", "-5.00"),
        "shipping fee": ("10.00", "10.00"),
        "total": ("109.00", "104.00"),
        "amount paid": ("109.00", "109.00"),
        "balance due": ("0.00", "0.00"),
        "refund due": ("0.00", "5.00"),
    }
    assert 'name="_save"' in text_of(shown)
    assert state_of_every_order() == before
    assert not PriceEdit.objects.exists()
    assert not OrderEvent.objects.filter(type__in=["price_adjusted", "shipping_adjusted"]).exists()


def test_save_is_offered_only_after_a_preview(agent_client, api, catalogue):
    order = create_flat_fee_order(api)

    assert 'name="_save"' not in text_of(agent_client.get(price_url(order["id"])))
    assert 'name="_save"' not in text_of(agent_client.get(shipping_url(order["id"])))


def test_a_line_discount_applies_to_the_chosen_line(agent_client, api, catalogue):
    order = create_flat_fee_order(api, lines=[TEE, SHOE], payment_status="unpaid")
    shoe = Order.objects.get(pk=order["id"]).lines.get(sku="SHOE-WHITE-42")

    edit(agent_client, price_url(order["id"]), line=shoe.pk, amount="-9.00", reason="瑕疵品")

    shoe.refresh_from_db()
    assert (str(shoe.adjustment), str(shoe.line_total)) == ("-9.00", "250.00")
    assert money(order["id"])["items"] == "349.00"
    assert PriceEdit.objects.get().line == shoe


def test_values_changed_after_the_preview_are_previewed_not_saved(agent_client, api, catalogue):
    order = create_flat_fee_order(api)
    shown = preview(agent_client, price_url(order["id"]), amount="-5.00", reason="老客户")

    changed = save(agent_client, price_url(order["id"]), shown, amount="-3.00", reason="老客户")

    assert "The values changed after the preview" in text_of(changed)
    assert preview_rows(changed)["adjustment"] == ("0.00", "-3.00")
    assert not PriceEdit.objects.exists()
    save(agent_client, price_url(order["id"]), changed, amount="-3.00", reason="老客户")
    assert money(order["id"])["adjustment"] == "-3.00"


def test_a_save_over_a_newer_version_is_refused_and_changes_nothing(agent_client, supervisor, api, catalogue):
    order = create_flat_fee_order(api)
    shown = preview(agent_client, price_url(order["id"]), amount="-5.00", reason="老客户")
    # meanwhile a supervisor takes 1.00 off
    order_adjust_price(
        order_id=order["id"], change=PriceChange(amount=Decimal("-1.00")), reason="x", actor=Actor(user=supervisor)
    )
    after_other = state_of_every_order()

    refused = save(agent_client, price_url(order["id"]), shown, amount="-5.00", reason="老客户")

    assert "Somebody else changed the order" in text_of(refused)
    assert state_of_every_order() == after_other
    assert PriceEdit.objects.count() == 1
    # the page now previews the order as it is, with its current version: saving again is deliberate
    assert preview_rows(refused)["total"] == ("108.00", "103.00")
    assert refused.context["version"] == Order.objects.get(pk=order["id"]).version
    save(agent_client, price_url(order["id"]), refused, amount="-5.00", reason="老客户")
    assert money(order["id"])["total"] == "103.00"


def test_a_preview_of_a_changed_order_says_so(agent_client, supervisor, api, catalogue):
    order = create_flat_fee_order(api)
    version = agent_client.get(price_url(order["id"])).context["version"]
    order_adjust_price(
        order_id=order["id"], change=PriceChange(amount=Decimal("-1.00")), reason="x", actor=Actor(user=supervisor)
    )

    shown = agent_client.post(
        price_url(order["id"]), {"version": version, "amount": "-5.00", "reason": "r", "_preview": "1"}
    )

    assert "The order changed since this page was opened" in text_of(shown)
    assert preview_rows(shown)["total"] == ("108.00", "103.00")


def test_the_page_shows_the_discount_the_agent_may_still_give(agent_client, supervisor_client, api, catalogue):
    order = create_flat_fee_order(api)

    assert "9.90 CNY remains" in text_of(agent_client.get(price_url(order["id"])))
    edit(agent_client, price_url(order["id"]), amount="-5.00", reason="老客户")
    page = agent_client.get(price_url(order["id"]))
    assert (page.context["allowance"], page.context["allowance_left"]) == (Decimal("9.90"), Decimal("4.90"))
    assert "Your role has no discount limit." in text_of(supervisor_client.get(price_url(order["id"])))


def test_an_agent_past_the_discount_limit_gets_the_error(agent_client, supervisor_client, api, catalogue):
    order = create_flat_fee_order(api)
    before = state_of_every_order()

    shown = preview(agent_client, price_url(order["id"]), amount="-20.00", reason="大客户")

    message = "Your role may take at most 9.90 off this order in all; with this edit it would be 20.00."
    assert message in text_of(shown)
    assert shown.context["preview_rows"] is None
    forced = agent_client.post(
        price_url(order["id"]),
        {"version": order["version"], "previewed": "-20.00|None|None", "amount": "-20.00", "reason": "x", "_save": "1"},
    )
    assert message in text_of(forced)
    assert state_of_every_order() == before
    assert not PriceEdit.objects.exists()
    # a supervisor may
    edit(supervisor_client, price_url(order["id"]), amount="-20.00", reason="大客户")
    assert money(order["id"])["total"] == "89.00"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"amount": "-100.00"}, "The total would become negative."),
        ({"amount": "0.00"}, "The edit changes nothing."),
    ],
)
def test_refused_price_edits_say_why_and_change_nothing(supervisor_client, api, catalogue, fields, message):
    order = create_flat_fee_order(api)
    before = state_of_every_order()

    shown = preview(supervisor_client, price_url(order["id"]), reason="r", **fields)

    assert message in text_of(shown)
    assert state_of_every_order() == before


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"amount": "-5.00", "percent": "95", "reason": "r"}, "Give either an amount or a percentage."),
        ({"reason": "r"}, "Give either an amount or a percentage."),
        ({"amount": "-5.00", "reason": " "}, "This field is required."),
        ({"percent": "-1", "reason": "r"}, "Ensure this value is greater than or equal to 0."),
    ],
)
def test_the_price_form_needs_one_value_and_a_reason(agent_client, api, catalogue, fields, error):
    order = create_flat_fee_order(api)

    shown = preview(agent_client, price_url(order["id"]), **fields)

    assert error in text_of(shown)
    assert shown.context["preview_rows"] is None


# --- the shipping-fee page ---------------------------------------------------------------------------------


def test_the_shipping_page_shows_the_rules_fee_beside_the_fee_charged(agent_client, api, catalogue):
    order = create_flat_fee_order(api)

    page = agent_client.get(shipping_url(order["id"]))

    assert (page.context["quote"].fee, page.context["order"].shipping_fee) == (Decimal("6.00"), Decimal("10.00"))
    assert "fee by the rules" in text_of(page)


def test_zeroing_the_shipping_of_a_paid_order_refunds_it(agent_client, api, catalogue):
    order = create_flat_fee_order(api)

    shown = preview(agent_client, shipping_url(order["id"]), fee="0", reason="物流慢")

    assert preview_rows(shown)["refund due"] == ("0.00", "10.00")
    assert not PriceEdit.objects.exists()
    save(agent_client, shipping_url(order["id"]), shown, fee="0", reason="物流慢")
    assert money(order["id"])["refund_due"] == "10.00"
    assert PriceEdit.objects.get().totals_after["shipping"] == "0.00"


def test_a_higher_shipping_fee_on_a_paid_order_previews_the_balance_due(agent_client, api, catalogue):
    order = create_flat_fee_order(api)
    before = state_of_every_order()

    shown = preview(agent_client, shipping_url(order["id"]), fee="12.00", reason="r")

    assert preview_rows(shown)["balance due"] == ("0.00", "2.00")
    assert state_of_every_order() == before
    saved = save(agent_client, shipping_url(order["id"]), shown, fee="12.00", reason="r")
    assert "Saved: the total is now 111.00 CNY." in text_of(saved)
    assert Order.objects.get(pk=order["id"]).balance_due == Decimal("2.00")


def test_a_stale_shipping_save_is_refused(agent_client, supervisor, api, catalogue):
    order = create_flat_fee_order(api)
    shown = preview(agent_client, shipping_url(order["id"]), fee="0", reason="包邮")
    order_adjust_price(
        order_id=order["id"], change=PriceChange(amount=Decimal("-1.00")), reason="x", actor=Actor(user=supervisor)
    )
    after_other = state_of_every_order()

    refused = save(agent_client, shipping_url(order["id"]), shown, fee="0", reason="包邮")

    assert "Somebody else changed the order" in text_of(refused)
    assert state_of_every_order() == after_other


def test_a_shipped_order_has_no_money_buttons_and_its_pages_refuse(agent_client, api, catalogue):
    order = create_flat_fee_order(api)
    Order.objects.filter(pk=order["id"]).update(status=OrderStatus.SHIPPED)

    page = text_of(agent_client.get(page_url(order["id"])))
    shown = preview(agent_client, price_url(order["id"]), amount="-1.00", reason="r")

    assert price_url(order["id"]) not in page
    assert shipping_url(order["id"]) not in page
    assert "The order can no longer be changed in its current status." in text_of(shown)


# --- merge and unmerge -------------------------------------------------------------------------------------


@pytest.fixture
def pair(api, catalogue) -> tuple[dict, dict]:
    """Two paid orders of one buyer to one address: 109.00 and 269.00, 10.00 shipping each."""
    return create_flat_fee_order(api, lines=[TEE]), create_flat_fee_order(api, lines=[SHOE])


def test_the_merge_preview_shows_the_primary_with_shipping_once(agent_client, pair):
    first, second = pair
    before = state_of_every_order()

    shown = merge_via_action(agent_client, first["id"], second["id"])

    primary = shown.context["primary"]
    assert [(line.position, line.sku, str(line.line_total)) for line in shown.context["plan"].lines] == [
        (1, "TEE-RED-M", "99.00"),
        (2, "SHOE-WHITE-42", "259.00"),
    ]
    assert order_totals(primary).as_strings() == {
        "items": "358.00",
        "adjustment": "0.00",
        "shipping": "0.00",
        "total": "358.00",
    }
    assert (str(primary.refund_due), shown.context["shipping_before"]) == ("20.00", Decimal("20.00"))
    assert shown.context["versions"] == f"{first['id']}:{first['version']},{second['id']}:{second['version']}"
    assert state_of_every_order() == before
    assert not OrderMerge.objects.exists()


def test_a_refused_merge_shows_the_reasons_and_changes_nothing(agent_client, api, pair):
    stranger = create_flat_fee_order(api, customer={"external_id": "buyer-7"})
    before = state_of_every_order()

    shown = merge_via_action(agent_client, pair[0]["id"], stranger["id"])

    assert shown.context["primary"] is None
    rows = {row.order.pk: row.refusals for row in shown.context["rows"]}
    assert rows == {
        pair[0]["id"]: [],
        stranger["id"]: [f"Order {stranger['external_id']} belongs to another customer."],
    }
    assert 'name="versions"' not in text_of(shown)
    # a merge posted anyway is refused, and says why
    forced = agent_client.post(
        merge_url(pair[0]["id"], stranger["id"]),
        {"versions": f"{pair[0]['id']}:{pair[0]['version']},{stranger['id']}:{stranger['version']}", "reason": "r"},
    )
    assert "The orders cannot be merged; the reasons are listed below." in text_of(forced)
    assert "belongs to another customer" in text_of(forced)
    assert state_of_every_order() == before
    assert not OrderMerge.objects.exists()


def test_one_order_or_an_unknown_one_is_not_a_merge(agent_client, pair):
    alone = agent_client.get(merge_url(pair[0]["id"]))
    unknown = agent_client.get(merge_url(pair[0]["id"], 999999))

    assert alone.context["general_refusals"] == ["Choose at least two different orders to merge."]
    assert unknown.context["general_refusals"] == ["Order 999999 does not exist."]
    assert agent_client.get(f"{ORDERS}merge/?ids=1,x").status_code == 404
    assert agent_client.get(merge_url(*range(1, 52))).status_code == 404  # at most 50, as over REST


def test_a_merge_over_a_newer_version_is_refused_and_changes_nothing(agent_client, supervisor, pair):
    first, second = pair
    shown = merge_via_action(agent_client, first["id"], second["id"])
    order_adjust_price(
        order_id=first["id"], change=PriceChange(amount=Decimal("-1.00")), reason="x", actor=Actor(user=supervisor)
    )
    after_other = state_of_every_order()

    refused = merge_confirm(agent_client, shown)

    assert "The order was changed by somebody else" in text_of(refused)
    assert state_of_every_order() == after_other
    assert not OrderMerge.objects.exists()
    assert order_totals(refused.context["primary"]).total == Decimal("357.00")  # previewed again as it is now


def test_a_merge_needs_a_reason(agent_client, pair):
    shown = merge_via_action(agent_client, *(o["id"] for o in pair))
    before = state_of_every_order()

    refused = merge_confirm(agent_client, shown, reason="  ")

    assert "This field is required." in text_of(refused)
    assert state_of_every_order() == before


def test_unmerge_is_offered_only_on_an_active_primary(agent_client, agent, pair):
    first, second = pair
    primary = orders_merge(order_ids=[first["id"], second["id"]], actor=Actor(user=agent), reason="r")

    primary_page = text_of(agent_client.get(page_url(primary.pk)))
    assert unmerge_url(primary.pk) in primary_page
    assert f'href="/admin/orders/order/{first["id"]}/change/">#{first["id"]}</a>' in primary_page  # merged from
    original = text_of(agent_client.get(page_url(first["id"])))
    assert unmerge_url(first["id"]) not in original
    assert f'href="/admin/orders/order/{primary.pk}/change/"' in original  # merged into

    agent_client.post(unmerge_url(primary.pk), {"version": primary.version + 1, "reason": "r"})
    assert Order.objects.get(pk=primary.pk).status == OrderStatus.PENDING_CONFIRMATION  # stale: refused
    agent_client.post(unmerge_url(primary.pk), {"version": Order.objects.get(pk=primary.pk).version, "reason": "r"})
    assert unmerge_url(primary.pk) not in text_of(agent_client.get(page_url(primary.pk)))


def test_unmerge_needs_a_reason_and_the_current_version(agent_client, agent, pair):
    primary = orders_merge(order_ids=[o["id"] for o in pair], actor=Actor(user=agent))
    before = state_of_every_order()

    no_reason = agent_client.post(unmerge_url(primary.pk), {"version": primary.version, "reason": ""}, follow=True)
    stale = agent_client.post(unmerge_url(primary.pk), {"version": primary.version + 1, "reason": "r"}, follow=True)

    assert "Reason: This field is required." in text_of(no_reason)
    assert "The order was changed by somebody else; reload it and try again." in text_of(stale)
    assert state_of_every_order() == before


# --- who may ------------------------------------------------------------------------------------------------


@pytest.fixture
def merged(agent, api, catalogue) -> Order:
    orders = [create_flat_fee_order(api, customer={"external_id": "buyer-9"}, lines=[line]) for line in (TEE, SHOE)]
    return orders_merge(order_ids=[o["id"] for o in orders], actor=Actor(user=agent), reason="r")


@pytest.mark.parametrize("who", ["warehouse_client", "nobody_client"])
def test_staff_without_the_permissions_get_403_everywhere(request, who, pair, merged):
    client = request.getfixturevalue(who)
    order = pair[0]
    before = state_of_every_order()
    version = Order.objects.get(pk=order["id"]).version
    price = {"version": version, "amount": "-1.00", "reason": "r", "_save": "1", "previewed": "-1.00|None|None"}

    responses = [
        client.get(price_url(order["id"])),
        client.post(price_url(order["id"]), price),
        client.get(shipping_url(order["id"])),
        client.post(shipping_url(order["id"]), {"version": version, "fee": "0", "reason": "r", "_save": "1"}),
        client.get(merge_url(pair[0]["id"], pair[1]["id"])),
        client.post(merge_url(pair[0]["id"], pair[1]["id"]), {"versions": f"{order['id']}:{version}", "reason": "r"}),
        client.post(unmerge_url(merged.pk), {"version": merged.version, "reason": "r"}),
    ]

    assert [response.status_code for response in responses] == [403] * len(responses)
    assert state_of_every_order() == before


def test_the_warehouse_sees_neither_buttons_nor_the_merge_action(warehouse_client, pair, merged):
    order_page = text_of(warehouse_client.get(page_url(pair[0]["id"])))
    primary_page = text_of(warehouse_client.get(page_url(merged.pk)))
    choices = dict(warehouse_client.get(ORDERS).context["action_form"].fields["action"].choices)

    for url in (price_url(pair[0]["id"]), shipping_url(pair[0]["id"])):
        assert url not in order_page
    assert unmerge_url(merged.pk) not in primary_page
    assert "merge_selected_orders" not in choices
    assert "print_pick_list" in choices
    forced = warehouse_client.post(
        ORDERS, {"action": "merge_selected_orders", "_selected_action": [o["id"] for o in pair], "index": 0}
    )
    assert forced["Location"] == ORDERS  # "no action selected": back to the list


def test_agents_see_the_buttons_and_the_merge_action(agent_client, pair):
    page = text_of(agent_client.get(page_url(pair[0]["id"])))
    choices = dict(agent_client.get(ORDERS).context["action_form"].fields["action"].choices)

    assert price_url(pair[0]["id"]) in page
    assert shipping_url(pair[0]["id"]) in page
    assert "merge_selected_orders" in choices


# --- query counts -------------------------------------------------------------------------------------------


def _queries(client: Client, call) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = call()
        assert response.status_code == 200
    return len(captured)


def test_the_money_pages_queries_do_not_grow_with_lines(agent_client, api, catalogue):
    small = create_flat_fee_order(api, customer={"external_id": "buyer-1"}, lines=[TEE])
    big = create_flat_fee_order(
        api,
        customer={"external_id": "buyer-2"},
        lines=[TEE, SHOE, {"sku": "TEE-WHITE-M", "quantity": 2}, {"sku": "EARBUDS-BLACK", "quantity": 3}],
    )
    agent_client.get(price_url(small["id"]))  # warm the shop settings cache

    counts = {}
    for name, order in (("small", small), ("big", big)):
        counts[name] = [
            _queries(agent_client, lambda o=order: agent_client.get(price_url(o["id"]))),
            _queries(
                agent_client,
                lambda o=order: agent_client.post(
                    price_url(o["id"]), {"version": o["version"], "amount": "-1.00", "reason": "r", "_preview": "1"}
                ),
            ),
            _queries(
                agent_client,
                lambda o=order: agent_client.post(
                    shipping_url(o["id"]), {"version": o["version"], "fee": "0", "reason": "r", "_preview": "1"}
                ),
            ),
        ]

    assert counts["big"] == counts["small"]
    assert max(counts["big"]) <= 8


def test_the_merge_preview_queries_do_not_grow_with_orders(agent_client, api, catalogue):
    two = [create_flat_fee_order(api, customer={"external_id": "buyer-1"}, lines=[TEE]) for _ in range(2)]
    five = [create_flat_fee_order(api, customer={"external_id": "buyer-2"}, lines=[TEE, SHOE]) for _ in range(5)]
    agent_client.get(merge_url(*(o["id"] for o in two)))  # warm the shop settings cache

    few = _queries(agent_client, lambda: agent_client.get(merge_url(*(o["id"] for o in two))))
    many = _queries(agent_client, lambda: agent_client.get(merge_url(*(o["id"] for o in five))))

    assert many == few <= 8


def test_the_order_page_reads_edits_and_merges_in_bounded_queries(agent_client, agent, api, catalogue):
    plain = create_flat_fee_order(api, customer={"external_id": "buyer-1"})
    orders = [create_flat_fee_order(api, customer={"external_id": "buyer-2"}, lines=[line]) for line in (TEE, SHOE)]
    primary = orders_merge(order_ids=[o["id"] for o in orders], actor=Actor(user=agent), reason="r")
    for amount in ("-1.00", "-2.00"):
        order_adjust_price(
            order_id=primary.pk, change=PriceChange(amount=Decimal(amount)), reason="r", actor=Actor(user=agent)
        )
    agent_client.get(page_url(plain["id"]))  # warm the shop settings cache

    few = _queries(agent_client, lambda: agent_client.get(page_url(plain["id"])))
    many = _queries(agent_client, lambda: agent_client.get(page_url(primary.pk)))

    assert many == few <= 14  # + the payments and refunds (orders.admin.payments)


# --- merge reached from the queue and from the mergeable hint ----------------------------------------------


def test_the_queue_merges_the_selected_orders(agent_client, pair):
    ids = sorted(order["id"] for order in pair)
    assert "merge_selected_orders" in text_of(agent_client.get(QUEUE))

    chosen = agent_client.post(QUEUE, {"action": "merge_selected_orders", "_selected_action": ids, "index": 0})

    assert chosen.status_code == 302
    shown = agent_client.get(chosen["Location"])
    assert [row.order.pk for row in shown.context["rows"]] == ids
    assert shown.context["primary"] is not None


def test_the_mergeable_hint_links_to_the_merge_preview(
    agent_client, api, catalogue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the second order gives the first the hint
        first, second = create_flat_fee_order(api, lines=[TEE]), create_flat_fee_order(api, lines=[SHOE])

    page = agent_client.get(page_url(first["id"]))

    row = next(row for row in page.context["check_rows"] if row.result.code == "order.mergeable")
    assert row.link is not None
    url, label = row.link
    assert f'href="{url}"' in page.content.decode().replace("&amp;", "&")
    assert label == "Merge these orders"
    shown = agent_client.get(url)
    assert sorted(row.order.pk for row in shown.context["rows"]) == sorted([first["id"], second["id"]])
