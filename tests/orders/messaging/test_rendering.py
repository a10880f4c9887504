"""The confirmation and the reminder read right in Simplified Chinese and in English."""

from datetime import datetime

import pytest
from django.utils import timezone

from orders.messaging.policies import order_lines_with_policies
from orders.messaging.rendering import confirmation_render, message_language, reminder_render
from orders.models import Order, Product
from tests.orders.messaging.conftest import RICH_ORDER, confirmation_of

pytestmark = pytest.mark.django_db

DELIVERED = timezone.make_aware(datetime(2026, 11, 22, 15, 0))


def test_chinese_confirmation_reads_back_every_line_the_address_the_requests_and_the_policies(confirmed):
    order = confirmed(**RICH_ORDER)

    message = confirmation_of(order)

    body = message.body
    assert message.language == "zh-hans"
    assert message.subject == f"【shop-a】订单确认 {order.external_id}"
    assert "1. 纯棉T恤 颜色：红色 尺码：M 数量：2 单价：¥99.00" in body
    assert "4. 925银戒指 颜色：银色 尺码：12 数量：1 单价：¥199.00" in body
    assert "收件人：李雷" in body
    assert "电话：138****8000" in body and "13800138000" not in body
    assert "地址：上海市 上海市 徐汇区 漕溪北路 88 弄 3 号 502（邮编 200030）" in body
    assert "- 指定快递：顺丰速运 (SF)" in body
    assert "- 礼品包装" in body
    assert "- 刻字：「致韩梅梅」" in body
    assert "- 贺卡：「生日快乐！」" in body
    assert f"合计 ¥{order.total}" in body
    assert "- 纯棉T恤：签收后7天内可无理由退换；吊牌需完好、衣物未下水洗涤" in body
    assert "- 小白鞋：签收后7天内可无理由退换；请在干净光洁的地面或垫一张报纸试穿" in body
    assert "- 蓝牙耳机：签收后7天内可无理由退货（未激活、配件齐全、包装完好）；整机保修12个月" in body
    # The ring is engraved: customised goods, no no-reason return, whatever its product's policy says.
    assert "- 925银戒指：定制（刻字）商品不支持7天无理由退换货，质量问题除外。" in body
    assert "30天" not in body
    assert "http://127.0.0.1:8000/c/" in body and "（7天内有效，仅可使用一次）" in body


def test_english_confirmation_for_a_buyer_who_reads_english(confirmed):
    order = confirmed(**RICH_ORDER, customer={"language": "en"})

    message = confirmation_of(order)

    body = message.body
    assert message.language == "en"
    assert message.subject == f"shop-a: please check your order {order.external_id}"
    assert "1. 纯棉T恤, colour: 红色, size: M, quantity: 2, unit price: CNY 99.00" in body
    assert "Phone: 138****8000" in body
    assert '- Engraving: "致韩梅梅"' in body
    assert '- Card: "生日快乐！"' in body
    assert "- Courier: 顺丰速运 (SF)" in body
    assert f"total CNY {order.total}" in body
    assert "- 纯棉T恤: 7-day no-reason returns after delivery; tags must stay on and the clothes unwashed." in body
    assert "- 925银戒指: Customised (engraved) goods cannot be returned without a reason" in body
    assert "(valid for 7 days, once)" in body
    assert "签收" not in body


def test_an_engravable_product_without_engraving_keeps_its_own_policy(confirmed):
    order = confirmed(lines=[{"sku": "RING-SILVER-12", "quantity": 1}])

    body = confirmation_of(order).body

    assert "签收后30天内可退换" in body
    assert "定制" not in body


def test_a_line_without_policy_tells_the_buyer_to_ask(confirmed):
    Product.objects.filter(code="TEE").update(return_policy=None)

    body = confirmation_of(confirmed()).body

    assert "- 纯棉T恤：请咨询客服。" in body


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "zh-hans",
            [
                "已于2026年11月22日签收",
                "- 纯棉T恤：无理由退换截止2026年11月29日。签收后7天内可无理由退换；吊牌需完好、衣物未下水洗涤",
                "- 小白鞋：无理由退换截止2026年11月29日。签收后7天内可无理由退换；请在干净光洁的地面或垫一张报纸试穿",
                "- 蓝牙耳机：无理由退换截止2026年11月29日。签收后7天内可无理由退货（未激活、配件齐全、包装完好）；"
                "整机保修12个月",
                "- 925银戒指：定制（刻字）商品不支持7天无理由退换货，质量问题除外。",
            ],
        ),
        (
            "en",
            [
                "was delivered on 22 Nov 2026",
                "- 纯棉T恤: no-reason returns until 29 Nov 2026. 7-day no-reason returns after delivery; tags must "
                "stay on and the clothes unwashed.",
                "- 小白鞋: no-reason returns until 29 Nov 2026. 7-day no-reason returns; please try the shoes on a "
                "clean floor or on paper",
                "- 蓝牙耳机: no-reason returns until 29 Nov 2026. 7-day no-reason returns if unactivated, complete and "
                "in its box; a 12-month warranty on the order number.",
                "- 925银戒指: Customised (engraved) goods cannot be returned without a reason",
            ],
        ),
    ],
)
def test_reminder_gives_each_lines_conditions_and_last_day(confirmed, language, expected):
    order = confirmed(**RICH_ORDER)
    order.delivered_at = DELIVERED

    rendered = reminder_render(
        order=order, policies=order_lines_with_policies(order), language=language, delivered_at=DELIVERED
    )

    for text in expected:
        assert text in rendered.body
    assert "13800138000" not in rendered.body


def test_templates_are_plain_text_nothing_is_html_escaped(confirmed):
    order = confirmed(special_requests={"card_message": 'Tom & Jerry <3 "love"'})

    assert '- 贺卡：「Tom & Jerry <3 "love"」' in confirmation_of(order).body


def test_the_summary_is_rendered_fresh_per_language(confirmed):
    order: Order = confirmed(**RICH_ORDER)
    policies = order_lines_with_policies(order)

    chinese = confirmation_render(order=order, policies=policies, language="zh-hans", link="L", link_days=7)
    english = confirmation_render(order=order, policies=policies, language="en", link="L", link_days=7)

    assert "商品：" in chinese.body and "Items:" in english.body
    assert "Items:" not in chinese.body and "商品：" not in english.body


@pytest.mark.parametrize(
    ("stored", "expected"), [("zh-hans", "zh-hans"), ("en", "en"), ("en-gb", "en"), ("", "zh-hans"), ("ja", "zh-hans")]
)
def test_message_language_is_english_only_when_asked(stored, expected):
    assert message_language(stored) == expected
