"""A supervisor's money work in Chromium: the price and the shipping fee edited through their previews,
two orders of one buyer merged from the queue and unmerged again; the mergeable hint links to the merge."""

from decimal import Decimal

from playwright.sync_api import Page, expect

from orders.models import Order, OrderStatus
from orders.roles import AGENTS, SUPERVISORS

QUEUE = "/admin/orders/confirmationqueue/"


def preview_and_save(page: Page, fields: dict[str, str], after_total: str) -> None:
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="预览").click()
    expect(page.locator("#preview")).to_contain_text(f"{after_total} CNY")  # the total after, nothing saved yet
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("ul.messagelist")).to_contain_text(f"已保存：订单总额现为 {after_total} CNY")


def test_a_supervisor_edits_the_price_and_the_shipping_fee_with_previews(
    server_url, page, login_as, make_order, admin_order_url, screenshot
):
    order = make_order(shipping_fee="10.00")  # 99.00 + 10.00 shipping (a flat fee, above the rule), paid
    login_as(SUPERVISORS)
    page.goto(f"{server_url}{admin_order_url(order)}")

    page.get_by_role("link", name="改价").click()
    page.get_by_label("金额").fill("-5.00")
    page.get_by_label("原因").fill("老客户优惠")
    page.get_by_role("button", name="预览").click()
    screenshot(page, "supervisor-price-preview")
    assert Order.objects.get(pk=order.pk).total == Decimal("109.00")  # a preview saves nothing
    expect(page.locator("#preview")).to_contain_text("104.00 CNY")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("ul.messagelist")).to_contain_text("已保存：订单总额现为 104.00 CNY")

    page.get_by_role("link", name="改运费").click()
    preview_and_save(page, {"新运费": "0.00", "原因": "包邮"}, "94.00")
    screenshot(page, "supervisor-after-money-edits")
    stored = Order.objects.get(pk=order.pk)
    assert (stored.total, stored.shipping_fee, stored.refund_due) == (
        Decimal("94.00"),
        Decimal("0.00"),
        Decimal("15.00"),
    )


def test_a_supervisor_merges_from_the_queue_and_unmerges(server_url, page, login_as, make_order, screenshot):
    first = make_order(lines=[{"sku": "TEE-RED-M", "quantity": 1, "unit_price": "99.00"}])
    second = make_order(lines=[{"sku": "SHOE-WHITE-42", "quantity": 1, "unit_price": "259.00"}])
    login_as(SUPERVISORS)
    page.goto(f"{server_url}{QUEUE}")

    for order in (first, second):
        page.locator("tr", has=page.get_by_role("link", name=order.external_id)).locator("input.action-select").check()
    page.locator("select[name=action]").select_option("merge_selected_orders")
    page.get_by_role("button", name="执行").click()
    expect(page.locator("h1")).to_have_text("合并订单")
    screenshot(page, "supervisor-merge-preview")
    page.get_by_label("原因").fill("同一地址合并发货")
    page.get_by_role("button", name="合并", exact=True).click()

    expect(page.locator("ul.messagelist")).to_contain_text("订单已合并为")
    primary = Order.objects.get(merge_record__isnull=False)
    assert Order.objects.get(pk=first.pk).status == OrderStatus.MERGED
    expect(page.locator("h1")).to_contain_text(primary.external_id)
    screenshot(page, "supervisor-merged")

    page.get_by_placeholder("为什么要重新分开发货").fill("买家要求分开寄")
    page.get_by_role("button", name="取消合并").click()
    expect(page.locator("ul.messagelist")).to_contain_text("已取消合并")
    assert Order.objects.get(pk=first.pk).status != OrderStatus.MERGED
    assert Order.objects.get(pk=primary.pk).status == OrderStatus.CANCELLED


def test_the_mergeable_hint_opens_the_merge_preview(server_url, page, login_as, make_order, admin_order_url):
    first = make_order()
    second = make_order(lines=[{"sku": "SHOE-WHITE-42", "quantity": 1, "unit_price": "259.00"}])
    login_as(AGENTS)
    page.goto(f"{server_url}{admin_order_url(first)}")

    page.locator("#checklist").get_by_role("link", name="合并这些订单").click()

    expect(page.locator("h1")).to_have_text("合并订单")
    expect(page.locator("#content-main")).to_contain_text(first.external_id)
    expect(page.locator("#content-main")).to_contain_text(second.external_id)
