"""How the admin looks at 1366 px in Chromium: the header names the product, flag badges read as words with
their note, the queue fits without scrolling sideways, each role lands on its own work."""

import pytest
from playwright.sync_api import expect

from orders.roles import AGENTS, SUPERVISORS, WAREHOUSE

QUEUE = "/admin/orders/confirmationqueue/"


def test_the_header_names_the_product_and_every_link_leads_somewhere(server_url, page, login_as):
    login_as(AGENTS)

    expect(page.locator("#site-name")).to_contain_text("OrderDesk")
    expect(page.locator("#header")).not_to_contain_text("Django")
    assert page.get_by_role("link", name="查看站点").count() == 0
    assert page.request.get(f"{server_url}/favicon.ico").status == 200


def test_flag_badges_read_on_one_line_with_their_category_and_note(server_url, page, login_as, make_order, screenshot):
    order = make_order(special_requests={"courier": "SF", "gift_wrap": True}, shipping_fee="12.00")
    login_as(AGENTS)
    page.goto(f"{server_url}{QUEUE}")
    screenshot(page, "looks-queue-badges")

    cell = page.locator("tr", has=page.get_by_role("link", name=order.external_id)).locator("td.field-flag_badges")
    badges = cell.locator(".flag-badge")
    assert badges.count() == 2
    for index in range(badges.count()):
        badge = badges.nth(index)
        box = badge.bounding_box()
        line = float(badge.evaluate("b => parseFloat(getComputedStyle(b).lineHeight)"))
        assert box["height"] < 1.5 * line, f"{badge.inner_text()!r} wraps: {box}"
    expect(cell).to_contain_text("红色 · 快递")  # colour and category
    expect(cell).to_contain_text("SF")  # the start of the note, without hovering


def test_the_queue_fits_1366_px_without_scrolling_sideways(server_url, page, login_as, demo_shop, screenshot):
    login_as(AGENTS)
    page.goto(f"{server_url}{QUEUE}")
    screenshot(page, "looks-queue-1366")

    widths = page.evaluate(
        """() => {
            const results = document.querySelector('#changelist .results');
            return {page: document.documentElement.scrollWidth, window: window.innerWidth,
                    table: results.scrollWidth, box: results.clientWidth};
        }"""
    )
    assert widths["window"] == 1366
    assert widths["page"] <= widths["window"], widths
    assert widths["table"] <= widths["box"], widths


@pytest.mark.parametrize(
    ("role", "landing"),
    [(AGENTS, QUEUE), (WAREHOUSE, "/admin/orders/order/"), (SUPERVISORS, "/admin/")],
)
def test_each_role_lands_on_its_own_work(server_url, page, login_as, screenshot, role, landing):
    login_as(role)

    assert page.url == f"{server_url}{landing}"
    if role == SUPERVISORS:
        work = page.locator("#your-work")
        expect(work.get_by_role("link").first).to_have_text("异常订单")
        expect(work.get_by_role("link").nth(1)).to_have_text("发送失败的消息")
        screenshot(page, "looks-supervisor-home")
