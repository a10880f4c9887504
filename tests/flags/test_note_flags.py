"""Requests found in notes flag the order by category: every kind has one, PRODUCT.md's table decides which."""

import pytest
from django.utils import translation

from flags.note_rules import NOTE_KIND_CATEGORIES, note_flags
from orders.checks.base import BLOCKER, WARNING, Finding
from orders.notes import KINDS

pytestmark = pytest.mark.django_db(databases=[])


def found(kind: str, text: str, value=None, source="buyer_note") -> dict:
    return {"kind": kind, "text": text, "value": value, "source": source}


def test_every_kind_of_note_request_has_a_flag_category():
    assert set(NOTE_KIND_CATEGORIES) == set(KINDS)


def test_one_flag_per_category_and_none_for_other_findings():
    findings = [
        Finding(
            "request.in_note",
            WARNING,
            {"found": [found("gift_wrap", "礼盒装"), found("free_gift", "多送"), found("invoice", "发票")]},
        ),
        Finding("line.out_of_stock", BLOCKER, {"sku": "X"}, key="1"),
    ]

    with translation.override("en"):
        flags = note_flags(findings)

    assert flags == {
        "request.in_note:gift": ("gift", "Buyer's note: gift wrap (“礼盒装”); free gift (“多送”)"),
        "request.in_note:abnormal": ("abnormal", "Buyer's note: invoice (“发票”)"),
    }


def test_the_flag_says_which_note_each_request_came_from():
    findings = [
        Finding(
            "request.in_note",
            WARNING,
            {"found": [found("fragile", "易碎"), found("fragile", "轻放", source="seller_memo")]},
        )
    ]

    with translation.override("zh-hans"):
        ((_category, note),) = note_flags(findings).values()

    assert note == "买家备注: 易碎品 (“易碎”) 卖家备注: 易碎品 (“轻放”)"


def test_no_findings_no_flags():
    assert note_flags([]) == {}
