"""The buyer's link /c/<token>/: the summary, Confirm, Ask for a change; salted, expiring, once."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from orders.messaging.links import SALT
from orders.messaging.models import BuyerLink
from orders.models import Order, OrderEvent
from tests.orders.messaging.conftest import RICH_ORDER, confirmation_of, token_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(confirmed) -> Order:
    return confirmed(**RICH_ORDER)


@pytest.fixture
def token(order) -> str:
    return token_of(confirmation_of(order))


def page(client, token: str, **params):
    return client.get(f"/c/{token}/", params)


def answer(client, token: str, **data):
    return client.post(f"/c/{token}/", data)


def test_the_page_shows_the_summary_in_the_buyers_language(client, order, token):
    response = page(client, token)

    text = response.content.decode()
    assert response.status_code == 200
    assert 'lang="zh-hans"' in text and 'name="viewport"' in text
    assert "请核对您的订单" in text
    assert "138****8000" in text and "13800138000" not in text
    assert "刻字：「致韩梅梅」" in text
    assert f"合计 ¥{order.total}" in text
    assert "确认无误" in text and "申请修改" in text
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_page_reads_in_english_for_an_english_buyer_or_on_request(client, confirmed, token):
    english_token = token_of(confirmation_of(confirmed(customer={"external_id": "buyer-en", "language": "en"})))

    assert "Please check your order" in page(client, english_token).content.decode()
    assert "Please check your order" in page(client, token, lang="en").content.decode()
    assert "请核对您的订单" in page(client, english_token, lang="zh-hans").content.decode()


def test_the_token_carries_only_a_random_nonce(order, token):
    link = BuyerLink.objects.get(order=order)

    assert signing.Signer(salt=SALT).unsign(token) == link.nonce
    assert len(link.nonce) >= 20
    assert "8000" not in token.split(":")[0] and order.external_id not in token


def test_a_token_signed_for_another_purpose_is_refused(client, order):
    nonce = BuyerLink.objects.get(order=order).nonce

    response = page(client, signing.Signer().sign(nonce))

    assert response.status_code == 404
    assert "链接无效" in response.content.decode()


def test_a_tampered_token_is_refused(client, token):
    assert page(client, token[:-2] + ("AA" if not token.endswith("AA") else "BB")).status_code == 404


def test_the_link_expires_after_the_shops_days(client, token):
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert page(client, token).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        response = page(client, token)

    assert response.status_code == 410
    assert "链接已过期" in response.content.decode()


def test_confirming_records_the_buyers_confirmation_once(client, order, token):
    response = answer(client, token, action="confirm")

    assert response.status_code == 200
    assert "已确认" in response.content.decode()
    events = OrderEvent.objects.filter(order=order, type="buyer_confirmed")
    assert [(e.actor_label, e.data) for e in events] == [("buyer", {})]
    assert answer(client, token, action="confirm").status_code == 410
    assert page(client, token).status_code == 410
    assert OrderEvent.objects.filter(order=order, type="buyer_confirmed").count() == 1


def test_a_change_request_is_recorded_word_for_word_and_puts_the_order_back_in_the_queue(client, order, token):
    version = order.version

    response = answer(client, token, action="change", text="  地址改成公司：世纪大道100号  ")

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == "pending_confirmation"
    assert order.version > version
    request = OrderEvent.objects.get(order=order, type="buyer_change_requested")
    assert (request.actor_label, request.data) == ("buyer", {"text": "地址改成公司：世纪大道100号"})
    assert OrderEvent.objects.filter(order=order, type="status_changed", data__reason="buyer_change_requested").exists()
    assert answer(client, token, action="change", text="again").status_code == 410


def test_a_change_request_needs_text_and_does_not_spend_the_link(client, order, token):
    response = answer(client, token, action="change", text="   ")

    assert response.status_code == 400
    assert '<p class="error">' in response.content.decode()
    assert BuyerLink.objects.get(order=order).used_at is None
    assert Order.objects.get(pk=order.pk).status == "confirmed"


def test_an_order_already_shipped_cannot_be_changed_from_the_link(client, order, token):
    Order.objects.filter(pk=order.pk).update(status="shipped")

    response = answer(client, token, action="change", text="改成L码")

    assert response.status_code == 409
    assert BuyerLink.objects.get(order=order).used_at is None
    assert not OrderEvent.objects.filter(order=order, type="buyer_change_requested").exists()


def test_an_unknown_action_is_a_bad_request(client, token):
    assert answer(client, token, action="delete").status_code == 400
