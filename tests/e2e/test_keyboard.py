"""The agent's confirm flow by keyboard alone: each result takes the focus, the confirm button is keys away."""

from playwright.sync_api import expect

from orders.messaging.models import Message
from orders.models import CheckStatus, OrderStatus, Severity
from orders.roles import AGENTS
from tests.e2e.pages import expect_result_shown, order_page
from tests.factories import SHANGHAI_WORK


def test_agent_acknowledges_and_confirms_by_keyboard(server_url, page, login_as, make_order, screenshot):
    order = make_order(customer={"external_id": "buyer-44", "default_address": SHANGHAI_WORK})
    warnings = order.checks.filter(status=CheckStatus.OPEN, severity=Severity.WARNING)
    assert warnings.exists() and not order.checks.filter(severity=Severity.BLOCKER, status=CheckStatus.OPEN).exists()
    login_as(AGENTS)
    page.goto(order_page(server_url, order))

    for _warning in warnings:
        page.locator("#checklist input[name=note]").first.focus()
        page.keyboard.type("买家确认寄回家")
        page.keyboard.press("Enter")
        expect_result_shown(page, "检查项已确认知晓")
    screenshot(page, "agent-acknowledged-by-keyboard")

    # From the result: one Tab to the jump link, Enter to the button, Enter to confirm.
    page.keyboard.press("Tab")
    expect(page.locator("nav.jump a[href='#confirm-order']")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#confirm-order")).to_be_focused()
    page.keyboard.press("Enter")

    expect_result_shown(page, "订单已确认")
    screenshot(page, "agent-confirmed-by-keyboard")
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert Message.objects.filter(order=order, kind="confirmation").exists()
