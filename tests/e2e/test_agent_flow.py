"""An agent's call, in Chromium: from the queue to the order, acknowledge a warning, fix the address so
its blocker goes, confirm, and see the confirmation message queued for the buyer."""

from playwright.sync_api import Page, expect

from orders.messaging.models import Message
from orders.models import CheckStatus, Order
from orders.roles import AGENTS


def checklist_row(page: Page, code: str):
    return page.locator("#checklist tr", has=page.locator("code", has_text=code))


def test_an_agent_confirms_an_order_from_the_queue(server_url, page, login_as, make_order, screenshot):
    # given an order whose street is missing (a blocker) and with a card message to read back (a warning)
    order = make_order(shipping_address={"street": ""}, special_requests={"card_message": "生日快乐"})
    codes = dict(order.checks.values_list("code", "severity"))
    assert (codes["address.incomplete"], codes["request.card_message"]) == ("blocker", "warning")

    # the agent lands on the queue and opens the order
    login_as(AGENTS)
    assert page.url.endswith("/admin/orders/confirmationqueue/")
    screenshot(page, "agent-1-queue")
    page.get_by_role("link", name=order.external_id).click()
    expect(page.locator("h1")).to_contain_text(order.external_id)

    # acknowledges the card message with what the buyer said
    warning = checklist_row(page, "request.card_message")
    warning.get_by_placeholder("买家的答复").fill("买家确认贺卡内容无误")
    warning.get_by_role("button", name="确认知晓").click()
    expect(checklist_row(page, "request.card_message")).to_contain_text("买家确认贺卡内容无误")
    screenshot(page, "agent-2-acknowledged")

    # fixes the address: the blocker goes when the checks run again
    page.locator("#address").get_by_role("link", name="修改地址").click()
    page.get_by_label("详细地址").fill("漕溪北路 88 弄 3 号 502")
    page.get_by_role("button", name="保存并重新运行检查").click()
    expect(page.locator("ul.messagelist")).to_contain_text("检查已重新运行")
    assert order.checks.get(code="address.incomplete").status == CheckStatus.RESOLVED
    screenshot(page, "agent-3-address-fixed")

    # confirms: the confirmation message is queued for the buyer and listed on the page
    page.get_by_role("button", name="确认订单").click()
    expect(page.locator("ul.messagelist")).to_contain_text("订单已确认。")
    assert Order.objects.get(pk=order.pk).status == "confirmed"
    message = Message.objects.get(order=order, kind="confirmation")
    expect(page.locator("#messages")).to_contain_text("订单确认")
    expect(page.locator("#messages")).to_contain_text(str(message.pk))
    screenshot(page, "agent-4-confirmed")
