"""Requests in notes in the admin: the seller's memo on the order page and its form, a button beside each
finding that a field can carry, and the shop's phrases kept by supervisors."""

import pytest
from django.test import Client

from orders.models import Courier, NotePhrase, Order
from orders.roles import AGENTS, SUPERVISORS, WAREHOUSE
from orders.shop_config import shop_config
from tests.orders.helpers import create_order

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def page(client: Client, order_id: int) -> str:
    response = client.get(f"/admin/orders/order/{order_id}/change/")
    assert response.status_code == 200
    return response.content.decode()


def press_convert(client: Client, order_id: int, **fields):
    version = Order.objects.get(pk=order_id).version
    return client.post(f"/admin/orders/order/{order_id}/notes/convert/", {"version": version, **fields}, follow=True)


def test_the_page_shows_the_memo_and_a_button_beside_each_convertible_finding(api, catalogue, staff_user):
    order = create_order(api, buyer_note="请发顺丰，要发票，要刻字", seller_memo="贺卡写：生日快乐")

    html = page(login(staff_user(AGENTS)), order["id"])

    assert "贺卡写：生日快乐" in html  # the memo, verbatim
    assert html.count("Make it the order's request") == 2  # the courier and the card; not the invoice,
    assert 'name="kind" value="courier"' in html and 'name="kind" value="card_message"' in html  # nor 刻字 alone
    assert 'name="kind" value="invoice"' not in html


def test_the_warehouse_sees_the_findings_without_buttons(api, catalogue, staff_user):
    order = create_order(api, buyer_note="请发顺丰")

    html = page(login(staff_user(WAREHOUSE)), order["id"])

    assert "Make it the order's request" not in html


def test_pressing_the_button_makes_the_finding_the_request(api, catalogue, staff_user):
    order = create_order(api, buyer_note="请发顺丰，易碎")
    client = login(staff_user(AGENTS))

    response = press_convert(client, order["id"], kind="courier", value="SF", source="buyer_note")

    assert response.status_code == 200
    html = response.content.decode()
    assert "now the order" in html
    assert "from the note" in html  # the history names where the request came from
    assert Order.objects.get(pk=order["id"]).requested_courier == "SF"


def test_a_refused_conversion_says_why_and_changes_nothing(api, catalogue, staff_user):
    order = create_order(api, buyer_note="要发票")
    client = login(staff_user(AGENTS))

    response = press_convert(client, order["id"], kind="invoice")

    assert "acknowledge it" in response.content.decode()
    assert Order.objects.get(pk=order["id"]).version == order["version"]


def test_the_warehouse_may_not_convert(api, catalogue, staff_user):
    order = create_order(api, buyer_note="请发顺丰")

    response = press_convert(login(staff_user(WAREHOUSE)), order["id"], kind="courier")

    assert response.status_code == 403
    assert Order.objects.get(pk=order["id"]).requested_courier == ""


def test_the_memo_is_edited_with_the_requests(api, catalogue, staff_user):
    order = create_order(api, buyer_note="")
    client = login(staff_user(AGENTS))
    stored = Order.objects.get(pk=order["id"])

    client.post(
        f"/admin/orders/order/{order['id']}/edit/requests/",
        {
            "version": stored.version,
            "courier": "",
            "engraving": "",
            "card_message": "",
            "buyer_note": "",
            "seller_memo": "买家电话要求易碎包装",
        },
    )

    stored.refresh_from_db()
    assert stored.seller_memo == "买家电话要求易碎包装"
    assert stored.checks.get(code="request.in_note").data["found"][0]["source"] == "seller_memo"


def test_a_supervisor_adds_a_courier_name_and_the_reader_knows_it(catalogue, staff_user):
    client = login(staff_user(SUPERVISORS))
    jd = Courier.objects.get(code="JD")

    response = client.post(
        "/admin/orders/notephrase/add/", {"kind": "courier", "phrase": "狗东", "courier": jd.pk}, follow=True
    )

    assert response.status_code == 200
    assert NotePhrase.objects.filter(phrase="狗东", courier=jd).exists()
    assert ("JD",) in {(code,) for code, names in shop_config().note_phrases.couriers if "狗东" in names}


def test_agents_read_the_phrases_but_only_supervisors_change_them(staff_user):
    agent = login(staff_user(AGENTS))

    assert agent.get("/admin/orders/notephrase/").status_code == 200
    assert agent.get("/admin/orders/notephrase/add/").status_code == 403


def test_a_supervisor_tries_a_note_against_the_shops_words(catalogue, staff_user):
    client = login(staff_user(SUPERVISORS))
    NotePhrase.objects.create(kind="courier", phrase="极兔", courier=Courier.objects.get(code="YD"))

    found = client.get("/admin/orders/notephrase/", {"try": "请发極兔，易碎"})
    nothing = client.get("/admin/orders/notephrase/", {"try": "谢谢", "kind": "courier"})

    assert found.status_code == 200  # "try" is no filter of the list: no redirect to ?e=1
    html = found.content.decode()
    assert "<strong>YD</strong>" in html and "fragile goods" in html
    assert "asks for nothing" in nothing.content.decode()
    assert "极兔" in nothing.content.decode()  # the list, filtered by kind, is still there
