"""The note reader on the cases that make it hard: negations, quotes, colons, Traditional, English, mixtures."""

import pytest

from orders.notes import DEFAULT_PHRASES, note_read

pytestmark = pytest.mark.django_db(databases=[])


def read(note, phrases=DEFAULT_PHRASES) -> list[tuple[str, str, str | None]]:
    return [(f.kind, f.text, f.value) for f in note_read(note, phrases)]


def test_the_issues_note_gives_courier_gift_fragile_and_engraving_in_note_order():
    assert read('请发顺丰…多送一个赠品…易碎…刻"吴婷"') == [
        ("courier", "顺丰", "SF"),
        ("free_gift", "多送", None),
        ("fragile", "易碎", None),
        ("engraving", '刻"吴婷"', "吴婷"),
    ]


@pytest.mark.parametrize("note", ["", "   ", None, "请尽快发货", "谢谢", "好评", "质量好的话会回购", "立刻发货"])
def test_notes_that_ask_nothing(note):
    assert read(note) == []


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("不要顺丰", []),
        ("别放贺卡", []),
        ("贺卡不用了", []),
        ("发票和卡片都不要", []),
        ("不要中通和申通", []),
        ("不要中通，发顺丰", [("courier", "SF")]),
        ("不要申通要中通", [("courier", "ZTO")]),
        ("中通太慢了，发韵达", [("courier", "YD")]),
        ("别忘了放贺卡", [("card_message", None)]),
        ("能不能发顺丰", [("courier", "SF")]),
        ("No card please", []),
        ("Not ZTO please, SF", [("courier", "SF")]),
        ("Don't forget the card", [("card_message", None)]),
    ],
)
def test_negations_cancel_only_what_they_refuse(note, expected):
    assert [(kind, value) for kind, _text, value in read(note)] == expected


def test_fragile_phrases_that_are_negative_themselves_still_count():
    assert read("小心轻放，不要压") == [("fragile", "小心轻放", None)]


@pytest.mark.parametrize(
    ("note", "kind", "value"),
    [
        ("刻「永远爱你」", "engraving", "永远爱你"),
        ("刻『平安喜乐』", "engraving", "平安喜乐"),
        ("刻“吴婷”", "engraving", "吴婷"),
        ("刻字：LOVE", "engraving", "LOVE"),
        ("戒指内圈刻W&L 520", "engraving", "W&L 520"),
        ("贺卡写：生日快乐，发顺丰，谢谢", "card_message", "生日快乐"),
        ("祝福语：祝爷爷福如东海，寿比南山", "card_message", "祝爷爷福如东海，寿比南山"),
        ("贺卡写祝你天天开心", "card_message", "祝你天天开心"),
        ('Add a card saying "Happy birthday Mum"', "card_message", "Happy birthday Mum"),
        ("Please write 'Happy Anniversary' on the card", "card_message", "Happy Anniversary"),
    ],
)
def test_engraving_and_card_texts_come_from_quotes_colons_and_write(note, kind, value):
    assert (kind, value) in [(k, v) for k, _text, v in read(note)]


def test_a_cards_text_is_no_request_of_its_own():
    # 一路顺风 holds 顺风, 送你 holds 送: inside the card's text they ask for nothing
    assert read("附言卡写：一路顺风，送你一个拥抱") == [
        ("card_message", "附言卡写：一路顺风，送你一个拥抱", "一路顺风，送你一个拥抱")
    ]


def test_traditional_is_matched_and_returned_as_written():
    assert read("請發順豐，要禮盒包裝，賀卡寫「我愛你」") == [
        ("courier", "順豐", "SF"),
        ("gift_wrap", "禮盒包裝", None),
        ("card_message", "賀卡寫「我愛你」", "我愛你"),
    ]


def test_english_and_mixed_notes():
    assert [(k, v) for k, _t, v in read('SF Express, gift wrap and a card saying "Love you"')] == [
        ("courier", "SF"),
        ("gift_wrap", None),
        ("card_message", "Love you"),
    ]
    assert [(k, v) for k, _t, v in read("发SF, gift wrap please")] == [("courier", "SF"), ("gift_wrap", None)]


def test_latin_courier_names_match_whole_words_only():
    assert read("sofa, items, SF1234567890123") == []


@pytest.mark.parametrize(
    ("note", "code"),
    [
        ("顺丰", "SF"),
        ("中通", "ZTO"),
        ("圆通", "YTO"),
        ("申通", "STO"),
        ("韵达", "YD"),
        ("京东", "JD"),
        ("邮政", "EMS"),
    ],
)
def test_courier_names_give_the_projects_courier_codes(note, code):
    assert read("请发" + note)[0][2] == code


def test_a_shops_own_words_are_added_to_the_defaults():
    phrases = DEFAULT_PHRASES.with_words(requests={"fragile": ["玻璃製品"]}, couriers={"SF": ["小顺"]})

    assert read("玻璃制品，发小顺", phrases) == [("fragile", "玻璃制品", None), ("courier", "小顺", "SF")]
    assert read("玻璃制品，发小顺") == []
    with pytest.raises(ValueError, match="unknown request kinds"):
        DEFAULT_PHRASES.with_words(requests={"courier": ["x"]})


@pytest.mark.parametrize(
    ("note", "text"),
    [("帮我改下地址：文三路90号", "改下地址"), ("换个收货地址", "换个收货地址"), ("收件地址填错了", "收件地址填错")],
)
def test_an_address_change_in_the_words_buyers_join_freely(note, text):
    assert read(note) == [("address_change", text, None)]


@pytest.mark.parametrize("note", ["不用改地址", "地址没错，不要换地址", "收货地址是公司"])
def test_an_address_that_does_not_change_is_no_request(note):
    assert read(note) == []


def test_a_text_after_a_colon_ends_where_another_text_begins():
    assert read("礼盒装，刻字：LOVE，贺卡写：生日快乐") == [
        ("gift_wrap", "礼盒装", None),
        ("engraving", "刻字：LOVE", "LOVE"),
        ("card_message", "贺卡写：生日快乐", "生日快乐"),
    ]
    assert read("贺卡写：刻骨铭心，永远爱你") == [("card_message", "贺卡写：刻骨铭心，永远爱你", "刻骨铭心，永远爱你")]


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("收货地址写成公司的了", [("address_change", "收货地址写成")]),
        ("电话号码换了，新号码13600007777", [("address_change", "电话号码换")]),
        ("帮我改成家里", [("address_change", "改成家里")]),
        ("My address changed", [("address_change", "My address changed")]),
        ("禮物要包裝", [("gift_wrap", "禮物要包裝")]),
        ("請寄郵局", [("courier", "郵局")]),
    ],
)
def test_requests_in_the_buyers_own_order_of_words(note, expected):
    assert [(kind, text) for kind, text, _value in read(note)] == expected


@pytest.mark.parametrize("note", ["地址没错", "电话号码是13600007777", "礼物包装盒很好看，谢谢"])
def test_the_same_words_that_ask_for_no_change(note):
    assert [kind for kind, _text, _value in read(note)] in ([], ["gift_wrap"])
    assert "address_change" not in [kind for kind, _text, _value in read(note)]


@pytest.mark.parametrize(
    ("note", "value"),
    [("请帮忙刻上英文名 Lily", "Lily"), ("Could you engrave my initials 'RT'?", "RT")],
)
def test_an_engravings_text_after_a_few_words(note, value):
    assert [v for kind, _text, v in read(note) if kind == "engraving"] == [value]


def test_a_cards_text_stops_before_a_refusal():
    assert read("贺卡写：平安喜乐，别放发票") == [("card_message", "贺卡写：平安喜乐", "平安喜乐")]
