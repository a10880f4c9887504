"""A school parcel in the winter holidays, in Chromium: the order page's hold offers the day term starts,
and the agent parks the order until then."""

from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from orders.models import Order
from orders.roles import AGENTS
from tests.factories import BEIJING_SCHOOL


def test_an_agent_holds_a_school_parcel_until_term_starts(server_url, page, login_as, make_order, screenshot):
    order = make_order(
        placed_at="2027-01-15T09:00:00+08:00",
        customer={"external_id": "han", "default_address": BEIJING_SCHOOL},
        shipping_address=BEIJING_SCHOOL,
        shipping_fee="8.00",
    )
    assert order.checks.filter(code="address.school_in_holiday").exists()

    login_as(AGENTS)
    page.goto(f"{server_url}/admin/orders/order/{order.pk}/change/")
    actions = page.locator("#actions")
    expect(actions.locator('input[name="until"]')).to_have_value("2027-03-01")
    actions.get_by_placeholder("挂起原因").fill("学生放寒假，开学再发")
    screenshot(page, "agent-hold-until-term")
    actions.get_by_role("button", name="挂起订单").click()

    expect(page.locator("ul.messagelist")).to_be_visible()
    stored = Order.objects.get(pk=order.pk)
    assert (stored.status, stored.hold_until) == ("on_hold", datetime(2027, 3, 1, tzinfo=ZoneInfo("Asia/Shanghai")))
    expect(page.locator("main, #content").first).to_contain_text("2027-03-01")
    screenshot(page, "agent-held-until-term")
