"""An agent works the after-sale queue (售后工单), in Chromium: from the confirmation queue to the cases, the
bad review above the late parcel, the overdue one marked; she takes the bad review, reads the apology to
send, notes what she told the buyer, and resolves it: the order's purple flag goes."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from flags.models import Flag
from orders.events import Actor
from orders.messaging.models import Message
from orders.models import Case, PaymentRecord
from orders.pricing import PriceChange
from orders.roles import AGENTS, SUPERVISORS
from orders.services.cases import case_open
from orders.services.pricing import order_adjust_price
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


def test_a_supervisor_resolves_a_refund_case_by_recording_the_refund(
    server_url, page, login_as, make_order, screenshot
):
    order = make_order()  # paid
    change = PriceChange(amount=Decimal("-5.00"))
    order_adjust_price(order_id=order.pk, change=change, reason="质量瑕疵补偿", actor=Actor.system())
    case = case_open(
        order_id=order.pk, kind="quality", description="衣服有线头，买家要求补偿", urgent=True, actor=Actor.system()
    )

    login_as(SUPERVISORS)
    page.goto(f"{server_url}/admin/orders/case/{case.pk}/change/")
    expect(page.locator("#order")).to_contain_text("5.00")  # the refund due
    page.locator("#id_outcome").select_option("refunded")
    page.locator("#id_resolve_note").fill("已致歉并退 5 元")
    page.locator("#id_refund_amount").fill("5.00")
    page.locator("#id_refund_reference").fill("ALI-RF-0001")
    screenshot(page, "cases-4-refund")
    page.get_by_role("button", name="解决工单").click()

    expect(page.locator("ul.messagelist")).to_contain_text("工单已解决")
    assert Case.objects.get(pk=case.pk).outcome == "refunded"
    assert PaymentRecord.objects.get(order=order, kind="refund").amount == Decimal("5.00")
    assert Message.objects.filter(order=order, kind="refund_issued").exists()
    screenshot(page, "cases-5-refunded")
