"""What the admin says, as Chromium shows it (issue 12, item 8): the hold button is an action, a refusal names
checks by their titles, the order page says which language the buyer's messages go out in, and a page a role
may not open answers with the admin's own 403 page."""

from playwright.sync_api import expect

from orders.roles import AGENTS, WAREHOUSE
from tests.e2e.pages import expect_result_shown, order_page


def test_a_refused_confirm_names_the_blocker_by_its_title(server_url, page, login_as, make_order, screenshot):
    order = make_order(
        lines=[{"sku": "RING-SILVER-12", "quantity": 1}], special_requests={"engraving": "FOREVER AND EVER LOVE"}
    )
    login_as(AGENTS)
    page.goto(order_page(server_url, order))

    expect(page.get_by_role("button", name="挂起订单")).to_be_visible()
    expect(page.locator("dt", has_text="语言")).to_be_visible()
    page.locator("#confirm-order").click()

    expect_result_shown(page, "未解决阻断项：")
    expect_result_shown(page, "刻字")
    expect(page.locator("ul.messagelist")).not_to_contain_text("request.engraving")
    screenshot(page, "words-refused-confirm")


def test_a_page_the_role_may_not_open_is_the_admins_403_page(server_url, page, login_as, make_order, screenshot):
    order = make_order()
    login_as(WAREHOUSE)

    response = page.goto(f"{server_url}/admin/orders/order/{order.pk}/price/")

    assert response.status == 403
    expect(page.locator("#site-name")).to_contain_text("OrderDesk")
    expect(page.locator("h1")).to_have_text("无权访问")
    screenshot(page, "words-403")
    page.get_by_role("link", name="返回首页").click()
    expect(page).not_to_have_url(f"{server_url}/admin/orders/order/{order.pk}/price/")
