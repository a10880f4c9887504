"""Requests in notes: request.in_note lists what the notes ask beyond the structured fields,
request.note_conflict blocks when a note contradicts them."""

import pytest
from django.utils import translation

from orders.checks import notes
from orders.checks.messages import check_message
from tests.orders.checks.factories import snapshot

pytestmark = pytest.mark.django_db(databases=[])


def run(check, **overrides):
    return list(check(snapshot(**overrides)))


def test_requests_in_the_buyers_note_open_a_warning_with_each_finding():
    findings = run(notes.request_in_note, buyer_note="请发顺丰，礼盒包装，刻“吴婷”")

    assert [(f.code, f.severity) for f in findings] == [("request.in_note", "warning")]
    assert findings[0].data["found"] == [
        {"kind": "courier", "text": "顺丰", "value": "SF", "source": "buyer_note"},
        {"kind": "gift_wrap", "text": "礼盒包装", "value": None, "source": "buyer_note"},
        {"kind": "engraving", "text": "刻“吴婷”", "value": "吴婷", "source": "buyer_note"},
    ]


@pytest.mark.parametrize("note", ["", "请尽快发货", "谢谢", "好评，质量好的话会回购", "不要顺丰，别放贺卡"])
def test_notes_that_ask_nothing_open_nothing(note):
    assert run(notes.request_in_note, buyer_note=note) == []
    assert run(notes.request_note_conflict, buyer_note=note, courier="ZTO") == []


def test_the_sellers_memo_is_read_too():
    findings = run(notes.request_in_note, seller_memo="買家要求易碎品包裝")

    assert findings[0].data["found"] == [{"kind": "fragile", "text": "易碎", "value": None, "source": "seller_memo"}]


def test_what_the_structured_fields_already_carry_is_no_finding():
    note = "发顺丰，礼盒包装，刻“吴婷”，贺卡写：生日快乐，易碎"

    findings = run(
        notes.request_in_note, buyer_note=note, courier="SF", gift_wrap=True, engraving="吴婷", card_message="生日快乐"
    )

    assert [f["kind"] for f in findings[0].data["found"]] == ["fragile"]
    assert run(notes.request_note_conflict, buyer_note=note, courier="SF", engraving="吴 婷") == []


def test_another_courier_in_the_note_than_the_order_is_a_blocker():
    findings = run(notes.request_note_conflict, buyer_note="请发顺丰", courier="ZTO")

    assert [(f.code, f.severity, f.key) for f in findings] == [("request.note_conflict", "blocker", "courier")]
    assert findings[0].data == {
        "kind": "courier",
        "structured": "ZTO",
        "found": [{"kind": "courier", "text": "顺丰", "value": "SF", "source": "buyer_note"}],
    }
    # the note's courier is no news to read back: it is the conflict
    assert run(notes.request_in_note, buyer_note="请发顺丰", courier="ZTO") == []


def test_another_engraving_text_in_the_note_is_a_blocker_but_a_bare_ask_is_not():
    findings = run(notes.request_note_conflict, buyer_note="刻字：李雷", engraving="韩梅梅")

    assert [(f.key, f.data["structured"]) for f in findings] == [("engraving", "韩梅梅")]
    assert run(notes.request_note_conflict, buyer_note="要刻字", engraving="韩梅梅") == []


def test_a_courier_the_note_refuses_is_no_conflict():
    assert run(notes.request_note_conflict, buyer_note="不要顺丰", courier="ZTO") == []


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_both_codes_read_aloud_in_both_languages(language):
    in_note = run(notes.request_in_note, buyer_note="请发顺丰，易碎")[0]
    conflict = run(notes.request_note_conflict, buyer_note="请发顺丰", courier="ZTO")[0]

    with translation.override(language):
        in_note_text = check_message(in_note.code, in_note.data)
        conflict_text = check_message(conflict.code, conflict.data)

    assert "SF" in in_note_text and "“易碎”" in in_note_text
    assert "ZTO" in conflict_text and "顺丰" in conflict_text
    if language == "zh-hans":
        assert in_note_text.startswith("备注里提出了：快递 SF")
        assert conflict_text.startswith("备注要求的快递与订单不一致")
    else:
        assert in_note_text.startswith("The note asks for: courier SF")
