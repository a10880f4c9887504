"""The engine as a whole: every code of the product brief is registered and reads in both languages,
and for any valid order the checks never raise and always say the same thing."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from orders.addresses import Address
from orders.checks import REGISTRY, checks_run
from orders.checks.base import LineFacts, OtherOrder
from orders.checks.messages import RENDERERS, TITLES, check_message
from tests.orders.checks.factories import CONFIG, RING, SHOE_40, SOFA, product, snapshot

pytestmark = pytest.mark.django_db(databases=[])

PRODUCT_CODES = {
    "address.incomplete",
    "phone.invalid",
    "address.not_default",
    "address.bulky_to_work",
    "address.school_in_holiday",
    "address.province_mismatch",
    "phone.not_mobile",
    "order.mergeable",
    "line.unknown_sku",
    "line.variant_mismatch",
    "line.out_of_stock",
    "line.quantity_unusual",
    "line.multiple_sizes",
    "line.size_differs_from_history",
    "order.possible_duplicate",
    "price.mismatch",
    "request.courier",
    "request.courier_surcharge_due",
    "request.courier_unavailable",
    "request.gift_wrap",
    "request.engraving",
    "request.card_message",
    "request.in_note",
    "request.note_conflict",
    "shipping.fee_below_rule",
    "shipping.fee_above_rule",
    "payment.balance_due",
    "gift.added",
}


def test_every_code_of_the_product_brief_is_registered_with_a_message_and_a_title():
    assert set(REGISTRY) == PRODUCT_CODES
    assert set(RENDERERS) == PRODUCT_CODES
    assert set(TITLES) == PRODUCT_CODES  # filters and refusals name checks by title, never by code


def test_unknown_code_or_stale_data_renders_the_code_instead_of_failing():
    assert check_message("no.such_code", {}) == "no.such_code"
    assert check_message("line.unknown_sku", {}) == "line.unknown_sku"


texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
provinces = st.sampled_from(["上海市", "上海", "北京市", "新疆维吾尔自治区", "廣東省", "香港特别行政区", "", "火星"])
phones = st.sampled_from(["+8613800138000", "+862583456789", "+8612345678901", "", "+14155550100"])
kinds = st.sampled_from(["home", "work", "school", "other", ""])
addresses = st.builds(
    Address,
    recipient=texts,
    phone=phones,
    province=provinces,
    city=texts,
    district=texts,
    street=texts,
    postcode=st.sampled_from(["", "012400", "200030"]),
    kind=kinds,
)
variants = st.sampled_from([None, product(), product("TEE-RED-L", size="L"), SOFA, RING, SHOE_40, product(stock=0)])
money = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC))


@st.composite
def lines(draw):
    items = []
    for position in range(1, draw(st.integers(min_value=1, max_value=5)) + 1):
        variant = draw(variants)
        items.append(
            LineFacts(
                position=position,
                sku=variant.sku if variant else draw(texts) or "X",
                quantity=draw(st.integers(min_value=1, max_value=50)),
                size=draw(texts),
                colour=draw(texts),
                unit_price=draw(money),
                variant=variant,
            )
        )
    return tuple(items)


others = st.lists(
    st.builds(
        OtherOrder,
        id=st.integers(1, 10**6),
        external_id=texts,
        status=st.sampled_from(["pending_confirmation", "confirmed", "shipped", "delivered", "on_hold"]),
        at=moments,
        address_key=addresses.map(lambda a: a.comparison_key()),
        skus=st.frozensets(texts, max_size=3),
        sizes=st.lists(st.tuples(st.sampled_from(["apparel", "shoes"]), texts), max_size=3).map(tuple),
    ),
    max_size=4,
).map(tuple)

snapshots = st.builds(
    snapshot,
    at=moments,
    shipping_address=addresses,
    default_address=st.one_of(st.none(), addresses),
    lines=lines(),
    courier=st.sampled_from(["", "SF", "ZTO", "JD", "EMS"]),
    gift_wrap=st.booleans(),
    engraving=texts,
    card_message=texts,
    # free text, and notes that ask for couriers, engravings and cards the structured fields may contradict
    buyer_note=st.one_of(
        texts,
        st.sampled_from(
            ["", "请尽快发货", "发顺丰，刻“吴婷”，礼盒包装", "不要中通，贺卡写：生日快乐", "Ship SF, invoice please"]
        ),
    ),
    seller_memo=st.sampled_from(["", "已与买家确认发京东", "易碎"]),
    shipping_fee=money,
    items_total=money,
    config=st.just(CONFIG),
    other_orders=others,
)


@settings(max_examples=300, deadline=None)
@given(snap=snapshots)
def test_checks_never_raise_are_deterministic_and_render_in_both_languages(snap):
    first = checks_run(snap)
    second = checks_run(snap)

    assert first == second
    for finding in first:
        assert finding.code in PRODUCT_CODES
        assert finding.severity in {"blocker", "warning", "info"}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                assert check_message(finding.code, finding.data) != finding.code
    keys = [(f.code, f.key) for f in first]
    assert len(keys) == len(set(keys)), "a code reported twice under one key would overwrite itself"


def test_the_same_order_written_in_two_scripts_gets_the_same_findings():
    simplified = snapshot(
        shipping_address=Address(
            recipient="李雷",
            phone="+8613800138000",
            province="广东省",
            city="深圳市",
            district="南山区",
            street="科技园 腾讯大厦",
            kind="",
        ),
        lines=(LineFacts(1, "SOFA-GREY", 1, "", "灰色", Decimal("2999.00"), SOFA),),
    )
    from dataclasses import replace

    traditional = replace(
        simplified,
        shipping_address=replace(
            simplified.shipping_address, province="廣東省", district="南山區", street="科技園 騰訊大廈"
        ),
    )

    assert [f.code for f in checks_run(simplified)] == [f.code for f in checks_run(traditional)]
