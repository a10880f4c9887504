"""The buyer's page in Chromium on a phone-sized screen: open the link, confirm, the link is spent."""

import re

from playwright.sync_api import expect

from orders.messaging.models import Message
from orders.models import OrderEvent, OrderEventType

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def test_buyer_confirms_from_a_phone_and_the_link_is_then_used(
    server_url, new_page, make_order, confirm_order, screenshot
):
    order = confirm_order(make_order(special_requests={"gift_wrap": True}))
    body = Message.objects.get(order=order, kind="confirmation").body
    path = re.search(r"/c/[^/\s]+/", body).group(0)
    phone = new_page(**PHONE)

    phone.goto(server_url + path)
    screenshot(phone, "buyer-link-page")
    expect(phone.get_by_role("heading", level=1)).to_contain_text(order.external_id)
    phone.get_by_role("button", name="确认无误").tap()

    expect(phone.get_by_role("heading", level=1)).to_contain_text("已确认")
    screenshot(phone, "buyer-confirmed")
    assert OrderEvent.objects.filter(order=order, type=OrderEventType.BUYER_CONFIRMED).count() == 1

    phone.goto(server_url + path)
    expect(phone.get_by_role("heading", level=1)).to_have_text("链接已使用过")
    screenshot(phone, "buyer-link-used")


def test_buyer_asks_for_a_change_from_a_phone(server_url, new_page, make_order, confirm_order):
    order = confirm_order(make_order())
    path = re.search(r"/c/[^/\s]+/", Message.objects.get(order=order, kind="confirmation").body).group(0)
    phone = new_page(**PHONE)

    phone.goto(server_url + path)
    phone.fill("#text", "尺码改成L")
    phone.get_by_role("button", name="申请修改").tap()

    expect(phone.get_by_role("heading", level=1)).to_have_text("已收到您的修改要求")
    order.refresh_from_db()
    assert order.status == "pending_confirmation"
