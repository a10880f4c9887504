"""An agent works the after-sale queue (售后工单), in Chromium: from the confirmation queue to the cases, the
bad review above the late parcel, the overdue one marked; she takes the bad review, reads the apology to
send, notes what she told the buyer, and resolves it: the order's purple flag goes."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from flags.models import Flag
from orders.events import Actor
from orders.models import Case
from orders.roles import AGENTS
from orders.services.cases import case_open
from tests.e2e.axe import grave_violations


def test_an_agent_works_the_after_sale_queue(server_url, page, login_as, make_order, confirm_order, screenshot):
    order = confirm_order(make_order())
    storefront = Actor.storefront(order.storefront)
    parcel = case_open(
        order_id=order.pk, kind="logistics", description="包裹五天没有动", urgent=False, actor=storefront
    )
    review = case_open(
        order_id=order.pk, kind="bad_review", description="买家给了差评：发货慢", urgent=False, actor=storefront
    )
    Case.objects.filter(pk=parcel.pk).update(due_at=timezone.now() - timedelta(hours=2))
    assert Flag.objects.filter(order=order, cause=f"case:{review.pk}", cleared_at__isnull=True).exists()

    # the agent lands on the confirmation queue; the cases are beside it
    agent = login_as(AGENTS)
    assert page.url.endswith("/admin/orders/confirmationqueue/")
    page.get_by_role("link", name="售后工单").click()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("差评")  # the bad review first, as the seed ranks them
    expect(rows.nth(1)).to_contain_text("物流问题")
    expect(rows.nth(1)).to_contain_text("已超时")
    screenshot(page, "cases-1-queue")
    assert grave_violations(page) == []

    # she opens the bad review: the order, its messages and the replies that open with an apology
    rows.nth(0).get_by_role("link", name=f"#{review.pk}").click()
    expect(page.locator("#order")).to_contain_text(order.external_id)
    expect(page.locator("#order-messages")).to_contain_text("订单确认")
    expect(page.locator("#replies")).to_contain_text("非常抱歉这次购物没有让您满意")
    page.get_by_role("button", name="分配给我").click()
    expect(page.locator("ul.messagelist")).to_contain_text("工单已分配给您")

    page.locator("#id_note").fill("已向买家致歉，买家同意修改评价")
    page.locator("#id_status").select_option("waiting_buyer")
    page.get_by_role("button", name="添加备注").click()
    expect(page.locator("#timeline")).to_contain_text("已向买家致歉")
    screenshot(page, "cases-2-case-page")
    assert grave_violations(page) == []

    page.locator("#id_outcome").select_option("review_updated")
    page.locator("#id_resolve_note").fill("买家已追评")
    page.get_by_role("button", name="解决工单").click()
    expect(page.locator("ul.messagelist")).to_contain_text("工单已解决")
    stored = Case.objects.get(pk=review.pk)
    assert (stored.status, stored.outcome, stored.assigned_to_id) == ("resolved", "review_updated", agent.pk)
    assert not Flag.objects.filter(order=order, cause=f"case:{review.pk}", cleared_at__isnull=True).exists()
    screenshot(page, "cases-3-resolved")

    # back in the queue only the parcel is left
    page.goto(f"{server_url}/admin/orders/case/")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
