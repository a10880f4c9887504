from orders.roles import AGENTS, WAREHOUSE


def test_agent_sees_the_confirmation_queue(server_url, page, login_as, make_order, screenshot):
    order = make_order()
    login_as(AGENTS)
    page.goto(f"{server_url}/admin/")
    screenshot(page, "smoke-admin-home")
    page.goto(f"{server_url}/admin/orders/order/{order.pk}/change/")
    screenshot(page, "smoke-order")
    assert order.external_id in page.content()


def test_demo_shop_loads_and_the_database_starts_fresh(server_url, page, login_as, demo_shop, screenshot):
    from orders.models import Courier

    assert Courier.objects.filter(code="SF").exists()
    login_as(WAREHOUSE)
    page.goto(f"{server_url}/admin/orders/order/")
    screenshot(page, "smoke-warehouse-orders")
