"""Address and phone checks, positive and negative, with their edge cases."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from orders.checks import address, phone
from tests.orders.checks.factories import HOME, SHOE_40, SOFA, WORK, default_config, line, other_order, snapshot

pytestmark = pytest.mark.django_db(databases=[])


def run(check, **overrides):
    return list(check(snapshot(**overrides)))


# --- address.incomplete ---------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["recipient", "phone", "province", "city", "street"])
def test_incomplete_when_a_required_field_is_missing(missing):
    findings = run(address.address_incomplete, shipping_address=replace(HOME, **{missing: ""}))

    assert [(f.code, f.severity, f.data["missing"]) for f in findings] == [("address.incomplete", "blocker", [missing])]


def test_incomplete_counts_blank_text_as_missing():
    findings = run(address.address_incomplete, shipping_address=replace(HOME, street="   "))

    assert findings[0].data["missing"] == ["street"]


def test_complete_address_without_district_or_postcode_is_fine():
    assert run(address.address_incomplete, shipping_address=replace(HOME, district="", postcode="")) == []


# --- phone.invalid / phone.not_mobile ---------------------------------------------------------------


def test_phone_invalid_for_a_number_that_parses_but_does_not_exist():
    findings = run(phone.phone_invalid, shipping_address=replace(HOME, phone="+8612345678901"))

    assert [(f.code, f.severity) for f in findings] == [("phone.invalid", "blocker")]


def test_phone_valid_mobile_is_fine():
    assert run(phone.phone_invalid) == []
    assert run(phone.phone_not_mobile) == []


def test_missing_phone_is_left_to_address_incomplete():
    assert run(phone.phone_invalid, shipping_address=replace(HOME, phone="")) == []
    assert run(phone.phone_not_mobile, shipping_address=replace(HOME, phone="")) == []


@pytest.mark.parametrize("number", ["+862583456789", "+862164000000"])
def test_landline_is_not_mobile(number):
    findings = run(phone.phone_not_mobile, shipping_address=replace(HOME, phone=number))

    assert [(f.code, f.severity) for f in findings] == [("phone.not_mobile", "warning")]


def test_invalid_number_is_not_also_reported_as_not_mobile():
    assert run(phone.phone_not_mobile, shipping_address=replace(HOME, phone="+8612345678901")) == []


# --- address.not_default ------------------------------------------------------------------------------


def test_not_default_when_the_district_and_street_differ():
    findings = run(address.address_not_default, shipping_address=HOME, default_address=WORK)

    assert [(f.code, f.severity) for f in findings] == [("address.not_default", "warning")]
    assert findings[0].data == {"default_kind": "work", "shipping_kind": "home", "differs": ["district", "street"]}


@pytest.mark.parametrize(
    "variant",
    [
        {"province": "上海", "city": "上海"},  # 上海 vs 上海市
        {"street": "漕溪北路 88 弄 3 号 502"},  # spacing
        {"street": "漕溪北路８８弄３号５０２"},  # full-width digits
        {"district": "徐匯區"},  # Traditional characters
        {"postcode": "", "kind": "other", "recipient": "韩梅梅", "phone": "+8613900139000"},  # not the place
    ],
)
def test_same_place_written_differently_is_the_default(variant):
    assert run(address.address_not_default, shipping_address=replace(HOME, **variant), default_address=HOME) == []


def test_no_default_address_known_means_nothing_to_compare():
    assert run(address.address_not_default, default_address=None) == []


# --- address.bulky_to_work ------------------------------------------------------------------------------


def test_bulky_to_a_work_address_by_kind():
    findings = run(address.address_bulky_to_work, shipping_address=WORK, lines=(line(SOFA),))

    assert [(f.code, f.severity) for f in findings] == [("address.bulky_to_work", "warning")]
    assert findings[0].data == {"skus": ["SOFA-GREY"], "reason": "kind"}


@pytest.mark.parametrize(
    ("street", "keyword"),
    [
        ("科技园 腾讯大厦 12楼", "大厦"),
        ("科技園 騰訊大廈 12樓", "大厦"),  # Traditional
        ("软件园 写字楼B座", "写字楼"),
        ("星光公司 前台", "公司"),
        ("Room 5, Office Tower", "office"),
    ],
)
def test_bulky_to_a_work_address_by_keyword(street, keyword):
    address_ = replace(HOME, kind="", street=street)

    findings = run(address.address_bulky_to_work, shipping_address=address_, lines=(line(SOFA),))

    assert findings[0].data["keyword"] == keyword


def test_bulky_to_home_is_fine():
    assert run(address.address_bulky_to_work, shipping_address=HOME, lines=(line(SOFA),)) == []


def test_small_goods_to_work_are_fine():
    assert run(address.address_bulky_to_work, shipping_address=WORK) == []


# --- address.school_in_holiday ---------------------------------------------------------------------------

SCHOOL = replace(
    HOME, province="北京市", city="北京市", district="海淀区", street="颐和园路5号 北京大学学生宿舍36楼", kind="school"
)


def test_school_in_winter_holiday():
    findings = run(address.address_school_in_holiday, shipping_address=SCHOOL, at=datetime(2026, 1, 15, 2, tzinfo=UTC))

    assert [(f.code, f.severity) for f in findings] == [("address.school_in_holiday", "warning")]
    assert findings[0].data["delivery_date"] == "2026-01-17"  # two days to Beijing


def test_school_in_term_time_is_fine():
    assert run(address.address_school_in_holiday, shipping_address=SCHOOL, at=datetime(2026, 11, 22, tzinfo=UTC)) == []


def test_holiday_is_judged_on_the_delivery_date_not_the_order_date():
    # placed 8 January, two days to Beijing: arrives on the 10th, the first day of the winter holiday
    assert run(address.address_school_in_holiday, shipping_address=SCHOOL, at=datetime(2026, 1, 8, 2, tzinfo=UTC))
    # placed 7 January: arrives on the 9th, still term time
    assert not run(address.address_school_in_holiday, shipping_address=SCHOOL, at=datetime(2026, 1, 7, 2, tzinfo=UTC))


def test_far_province_takes_longer_into_the_holiday():
    far = replace(SCHOOL, province="新疆维吾尔自治区", city="乌鲁木齐市", district="", street="新疆大学 宿舍")

    # placed 4 January, six days in transit: arrives the 10th
    assert run(address.address_school_in_holiday, shipping_address=far, at=datetime(2026, 1, 4, 2, tzinfo=UTC))


@pytest.mark.parametrize("street", ["北京大學 學生宿舍", "清华大学 紫荆公寓", "第二中学 東校区", "Peking University"])
def test_school_recognised_by_keyword_in_either_script(street):
    address_ = replace(SCHOOL, kind="", street=street)

    findings = run(address.address_school_in_holiday, shipping_address=address_, at=datetime(2026, 7, 10, tzinfo=UTC))

    assert findings, street


def test_home_in_holiday_is_fine():
    assert run(address.address_school_in_holiday, at=datetime(2026, 1, 15, tzinfo=UTC)) == []


def test_holiday_calendar_is_configurable_and_may_span_new_year():
    from orders.shop_config import Holiday

    config = default_config()
    config = replace(config, holidays=(Holiday(name="new year", start=(12, 28), end=(1, 3)),))

    assert run(
        address.address_school_in_holiday, shipping_address=SCHOOL, config=config, at=datetime(2026, 12, 29, tzinfo=UTC)
    )
    assert not run(
        address.address_school_in_holiday,
        shipping_address=SCHOOL,
        config=config,
        at=datetime(2026, 1, 15, 2, tzinfo=UTC),
    )


# --- address.province_mismatch -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("street", "named"),
    [
        ("北京市朝阳区建国路88号", "北京市"),
        ("江苏省南京市鼓楼区中山路18号", "江苏省南京市"),
        ("廣東省廣州市天河區", "广东省广州市"),  # Traditional
    ],
)
def test_street_naming_another_province(street, named):
    findings = run(address.address_province_mismatch, shipping_address=replace(HOME, street=street))

    assert [(f.code, f.severity) for f in findings] == [("address.province_mismatch", "warning")]
    assert findings[0].data["named"] == named


def test_street_naming_another_city_of_the_same_province():
    hangzhou = replace(HOME, province="浙江省", city="宁波市", district="", street="杭州市西湖区文三路478号")

    assert run(address.address_province_mismatch, shipping_address=hangzhou)


@pytest.mark.parametrize(
    "street",
    [
        "南京东路 100号",  # a street named after a city
        "北京路 5号 北京市场旁",  # a market, not the city
        "上海市徐汇区漕溪北路88弄",  # its own province written out
        "中山路18号",
    ],
)
def test_street_names_that_are_not_another_address(street):
    assert run(address.address_province_mismatch, shipping_address=replace(HOME, street=street)) == []


def test_own_province_and_city_written_out_in_street_are_fine():
    guangzhou = replace(HOME, province="广东", city="广州", district="天河区", street="广东省广州市天河区体育西路")

    assert run(address.address_province_mismatch, shipping_address=guangzhou) == []


# --- order.mergeable -----------------------------------------------------------------------------------------


def test_mergeable_with_an_unshipped_order_to_the_same_address():
    findings = run(address.order_mergeable, other_orders=(other_order(5),))

    assert [(f.code, f.severity, f.data["orders"]) for f in findings] == [("order.mergeable", "info", [5])]


@pytest.mark.parametrize("status", ["shipped", "delivered", "on_hold", "cancelled", "merged"])
def test_not_mergeable_with_orders_that_cannot_merge(status):
    assert run(address.order_mergeable, other_orders=(other_order(5, status=status),)) == []


def test_not_mergeable_with_an_order_to_another_address():
    assert run(address.order_mergeable, other_orders=(other_order(5, address=WORK),)) == []


def test_mergeable_ignores_how_the_address_is_written():
    spelled = replace(HOME, province="上海", street="漕溪北路 88 弄 3 号 502")

    assert run(address.order_mergeable, other_orders=(other_order(5, address=spelled),))


def test_other_orders_without_sizes_do_not_matter_to_address_checks():
    assert run(address.address_bulky_to_work, lines=(line(SHOE_40),), shipping_address=WORK) == []
