"""Two agents on one order in Chromium: the second one's save meets the first one's change, sees what
changed, keeps what they typed, and saves it on the new version without undoing the first one's."""

from playwright.sync_api import expect

from orders.models import Order
from orders.roles import AGENTS


def test_the_second_agent_resolves_the_conflict(server_url, new_page, login_as, make_order, screenshot):
    order = make_order()
    edit_address = f"{server_url}/admin/orders/order/{order.pk}/edit/address/"
    first, second = new_page(), new_page()
    login_as(AGENTS, first)
    login_as(AGENTS, second)
    first.goto(edit_address)
    second.goto(edit_address)

    # the first agent saves a new district while the second is typing a new street
    first.get_by_label("区县").fill("闵行区")
    first.get_by_role("button", name="保存并重新运行检查").click()
    expect(first.locator("ul.messagelist")).to_contain_text("检查已重新运行")
    second.get_by_label("详细地址").fill("漕溪北路 90 号")
    second.get_by_role("button", name="保存并重新运行检查").click()

    # the second sees what changed meanwhile, their street kept, the district as it is now
    changed = second.locator("#changed-meanwhile")
    expect(changed).to_contain_text("区县")
    expect(changed).to_contain_text("徐汇区")
    expect(changed).to_contain_text("闵行区")
    expect(second.get_by_label("详细地址")).to_have_value("漕溪北路 90 号")
    expect(second.get_by_label("区县")).to_have_value("闵行区")
    screenshot(second, "two-agents-conflict")
    assert Order.objects.get(pk=order.pk).ship_street != "漕溪北路 90 号"

    # and saves again: both changes are kept
    second.get_by_role("button", name="保存并重新运行检查").click()
    expect(second.locator("ul.messagelist")).to_contain_text("检查已重新运行")
    stored = Order.objects.get(pk=order.pk)
    assert (stored.ship_district, stored.ship_street) == ("闵行区", "漕溪北路 90 号")
