"""The shop's own phrases: rows supervisors keep, added to the defaults, read through the shop config
(cached, and forgotten when a phrase is saved or deleted)."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from orders.models import Courier, NotePhrase
from orders.notes import DEFAULT_PHRASES, note_read
from orders.notes.shop import shop_note_phrases
from orders.shop_config import shop_config


def row(kind, phrase, courier=None, not_a_request=False):
    named = SimpleNamespace(code=courier) if courier else None
    return SimpleNamespace(kind=kind, phrase=phrase, not_a_request=not_a_request, courier=named)


def kinds(note, phrases):
    return [(f.kind, f.value) for f in note_read(note, phrases)]


def test_no_rows_are_the_defaults():
    assert shop_note_phrases([]) is DEFAULT_PHRASES


def test_a_new_courier_name_asks_for_its_code():
    phrases = shop_note_phrases([row("courier", "極兔", courier="JT")])

    assert kinds("请发极兔", phrases) == [("courier", "JT")]
    assert kinds("请发极兔", DEFAULT_PHRASES) == []


def test_a_shops_word_for_a_kind_and_a_phrase_that_is_no_request():
    phrases = shop_note_phrases([row("gift_wrap", "仪式感"), row("invoice", "收据夹", not_a_request=True)])

    assert kinds("要有仪式感", phrases) == [("gift_wrap", None)]
    assert kinds("收据夹一个", phrases) == []
    assert kinds("要收据", phrases) == [("invoice", None)]


def test_rows_of_unknown_kinds_or_without_words_are_skipped():
    assert shop_note_phrases([row("teleport", "传送"), row("gift_wrap", "  ")]) is DEFAULT_PHRASES


@pytest.mark.django_db
def test_the_shop_config_reads_the_stored_phrases_and_forgets_them_when_one_is_saved():
    courier = Courier.objects.create(code="JT", name="极兔速递", tracking_pattern=r"JT\d{13}")
    assert kinds("发极兔", shop_config().note_phrases) == []

    phrase = NotePhrase.objects.create(kind="courier", phrase="极兔", courier=courier)
    assert kinds("發極兔", shop_config().note_phrases) == [("courier", "JT")]

    phrase.delete()
    assert kinds("发极兔", shop_config().note_phrases) == []


@pytest.mark.django_db
def test_a_courier_name_needs_its_courier_and_other_kinds_need_none():
    sf = Courier.objects.get(code="SF")
    with pytest.raises(ValidationError) as error:
        NotePhrase(kind="courier", phrase="顺丰特快").full_clean()
    assert "courier" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        NotePhrase(kind="fragile", phrase="别压扁", courier=sf).full_clean()
    assert "courier" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        NotePhrase(kind="fragile", phrase="   ").full_clean()
    assert "phrase" in error.value.message_dict
    NotePhrase(kind="courier", phrase="顺丰邮政编码", not_a_request=True).full_clean()


@pytest.mark.django_db
def test_the_database_refuses_a_courier_name_without_a_courier():
    with pytest.raises(IntegrityError):
        NotePhrase.objects.create(kind="courier", phrase="丰丰")


@pytest.mark.django_db
def test_the_same_phrase_twice_for_a_kind_is_refused():
    NotePhrase.objects.create(kind="fragile", phrase="别压扁")
    with pytest.raises(IntegrityError):
        NotePhrase.objects.create(kind="fragile", phrase="别压扁")
