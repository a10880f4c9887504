"""The warehouse in Chromium: colour filters, the pick list, shipping and what it may not see."""

import re

from playwright.sync_api import expect

from flags.models import FlagColour
from flags.selectors import orders_with_flag
from orders.messaging.models import Message
from orders.models import Order, OrderStatus
from orders.roles import WAREHOUSE
from tests.e2e.pages import expect_result_shown, order_page

SF_PROMISED = {"special_requests": {"courier": "SF"}, "shipping_fee": "12.00"}


def _listed_external_ids(page) -> set[str]:
    return set(page.locator("#result_list tbody th.field-external_id").all_inner_texts())


def test_warehouse_filters_orders_by_each_colour(server_url, page, login_as, demo_shop, screenshot):
    login_as(WAREHOUSE)
    page.goto(f"{server_url}/admin/orders/order/")
    seen_colours = 0

    for colour in FlagColour.values:
        page.locator(f"#changelist-filter a[href*='flag={colour}']").first.click()
        page.wait_for_url(re.compile(rf"flag={colour}"))
        expected = set(orders_with_flag(Order.objects.all(), colour).values_list("external_id", flat=True))
        assert _listed_external_ids(page) == expected, colour
        if expected:
            seen_colours += 1
            screenshot(page, f"warehouse-filter-{colour}")

    assert seen_colours >= 4  # the demo flags red, yellow, green, blue and purple orders


def test_pick_list_takes_confirmed_orders_only_and_shows_their_status(
    server_url, page, login_as, make_order, confirm_order, screenshot
):
    confirmed = confirm_order(make_order(special_requests={"gift_wrap": True}))
    pending = make_order(customer={"external_id": "buyer-43"})
    login_as(WAREHOUSE)

    page.goto(f"{server_url}/admin/orders/order/")
    for order in (confirmed, pending):
        page.locator(f"input.action-select[value='{order.pk}']").check()
    page.select_option("select[name=action]", "print_pick_list")
    page.get_by_role("button", name=re.compile("执行|Go")).click()

    page.wait_for_url(re.compile("/admin/warehouse/pick-list/"))
    screenshot(page, "warehouse-pick-list")
    sheets = page.locator("section.sheet")
    expect(sheets).to_have_count(1)
    expect(sheets.first).to_contain_text(confirmed.external_id)
    expect(sheets.first).to_contain_text("已确认")
    expect(page.locator("body")).to_contain_text(f"{pending.external_id}")  # named as left out
    expect(page.locator(".left-out")).to_contain_text("待确认")


def test_warehouse_ships_with_a_valid_number(server_url, page, login_as, make_order, confirm_order, screenshot):
    order = confirm_order(make_order(**SF_PROMISED))
    login_as(WAREHOUSE)
    page.goto(order_page(server_url, order))

    courier = page.locator("#id_courier")
    expect(courier).to_have_value("SF")  # the promised courier, not the first in the alphabet
    offered = courier.locator("option").evaluate_all("options => options.map(o => o.value)")
    assert "JD" not in offered  # the shop switched JD off
    page.fill("#id_tracking_number", "SF1234567890123")
    page.get_by_role("button", name="发货", exact=True).click()

    expect_result_shown(page, "订单已发货")
    screenshot(page, "warehouse-shipped")
    order.refresh_from_db()
    assert (order.status, order.shipped_courier, order.tracking_number) == (
        OrderStatus.SHIPPED,
        "SF",
        "SF1234567890123",
    )


def test_unpromised_order_ships_with_the_shops_default_courier(server_url, page, login_as, make_order, confirm_order):
    order = confirm_order(make_order())
    login_as(WAREHOUSE)
    page.goto(order_page(server_url, order))

    expect(page.locator("#id_courier")).to_have_value("STO")  # the first of the shop's default couriers


def test_refused_sf_to_zto_is_on_screen_and_keeps_the_typed_number(
    server_url, page, login_as, make_order, confirm_order, screenshot
):
    order = confirm_order(make_order(**SF_PROMISED))
    login_as(WAREHOUSE)
    page.goto(order_page(server_url, order))

    page.select_option("#id_courier", "ZTO")
    page.fill("#id_tracking_number", "753456789012")
    page.get_by_role("button", name="发货", exact=True).click()

    expect_result_shown(page, "SF")
    screenshot(page, "warehouse-refused-sf-to-zto", full_page=False)
    expect(page.locator("#id_tracking_number")).to_have_value("753456789012")
    expect(page.locator("#id_courier")).to_have_value("ZTO")
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED


def test_deliver_and_flag_results_are_on_screen(server_url, page, login_as, make_order, confirm_order):
    order = confirm_order(make_order())
    login_as(WAREHOUSE)
    page.goto(order_page(server_url, order))
    page.fill("#id_tracking_number", "7712345678901")  # an STO number: STO is the courier offered
    page.get_by_role("button", name="发货", exact=True).click()
    expect_result_shown(page, "订单已发货")

    page.get_by_role("button", name="标记为已签收").click()
    expect_result_shown(page, "已登记签收")

    page.locator("#flags select[name=category]").select_option("abnormal")
    page.locator("#flags input[name=note]").fill("外箱破损")
    page.get_by_role("button", name="插旗").click()
    expect_result_shown(page, "已插旗")


def test_warehouse_sees_masked_phones_and_no_price_controls(
    server_url, page, login_as, make_order, confirm_order, screenshot
):
    order = confirm_order(make_order())
    login_as(WAREHOUSE)

    page.goto(order_page(server_url, order))
    screenshot(page, "warehouse-order-page")
    content = page.locator("#content").inner_text()
    assert "138****8000" in content
    assert "13800138000" not in content
    for control in ("改价", "改运费", "修改地址", "确认订单"):
        expect(page.get_by_text(control, exact=True)).to_have_count(0)
    page.goto(f"{server_url}/admin/orders/order/")
    assert "13800138000" not in page.locator("#content").inner_text()


def test_message_detail_masks_the_buyers_link_for_staff(
    server_url, page, login_as, make_order, confirm_order, screenshot
):
    order = confirm_order(make_order())
    message = Message.objects.get(order=order, kind="confirmation")
    token = re.search(r"/c/([^/\s]+)/", message.body).group(1)
    login_as(WAREHOUSE)

    page.goto(order_page(server_url, order))
    page.locator("#messages").get_by_role("link", name=str(message.pk), exact=True).click()

    screenshot(page, "warehouse-message-detail")
    detail = page.locator("#content").inner_text()
    assert "/c/" in detail  # the link is named...
    assert token not in detail  # ...without the buyer's credential
    assert token.split(":")[0] not in detail
