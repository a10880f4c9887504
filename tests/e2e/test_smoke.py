"""The harness itself: a logged-in agent reaches an order from the queue; each test starts from migrate's rows."""

from playwright.sync_api import expect

from orders.models import Courier
from orders.roles import AGENTS, WAREHOUSE


def test_agent_opens_an_order_from_the_confirmation_queue(server_url, page, login_as, make_order, screenshot):
    order = make_order()
    login_as(AGENTS)

    page.goto(f"{server_url}/admin/orders/confirmationqueue/")
    screenshot(page, "agent-queue")
    page.get_by_role("link", name=order.external_id).click()

    expect(page.locator("#content h1")).to_contain_text(order.external_id)


def test_demo_shop_loads_on_a_database_as_migrate_left_it(server_url, page, login_as, demo_shop, screenshot):
    assert Courier.objects.filter(code="SF", in_use=True).exists()  # a shop default, back after the last flush
    login_as(WAREHOUSE)

    page.goto(f"{server_url}/admin/orders/order/")

    screenshot(page, "warehouse-orders")
    expect(page.locator("#result_list tbody tr")).not_to_have_count(0)
