"""What the admin says: buttons as actions, checks and fields by readable names, the buyer's language,
the 403 page, no "view site" to nowhere, a favicon, the demo's buyer links on the host it serves."""

import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from orders.admin.timeline import EventChange, event_changes
from orders.models import Customer, Order
from orders.roles import AGENTS, WAREHOUSE
from tests.conftest import admin_login
from tests.orders.helpers import act, create_order

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _client(user, language: str = "en") -> Client:
    return admin_login(Client(), user, language)


def page_url(order_id: int) -> str:
    return f"/admin/orders/order/{order_id}/change/"


def messages_of(response) -> list[str]:
    return [str(m.message) for m in response.context["messages"]]


def test_the_hold_button_says_what_it_does(staff_user, api, catalogue):
    order = create_order(api)

    page = _client(staff_user(AGENTS), "zh-hans").get(page_url(order["id"])).content.decode()

    assert '<button type="submit" class="button">挂起订单</button>' in page
    assert ">已挂起</button>" not in page


def test_a_refused_confirm_names_the_checks_by_their_titles(staff_user, api, catalogue):
    order = create_order(
        api, lines=[{"sku": "RING-SILVER-12", "quantity": 1}], special_requests={"engraving": "FOREVER AND EVER LOVE"}
    )
    agent = _client(staff_user(AGENTS))

    refused = agent.post(
        f"/admin/orders/order/{order['id']}/workflow/confirm/",
        {"version": Order.objects.get(pk=order["id"]).version},
        follow=True,
    )

    text = " ".join(messages_of(refused))
    assert "Open blockers: Engraving." in text
    assert "request.engraving" not in text


def test_a_refused_shipment_names_the_field_as_the_form_does(staff_user, agent_api, api, catalogue):
    order = create_order(api)
    for check in order["checks"]:
        if check["severity"] == "warning":
            act(agent_api, order, f"checks/{check['code']}/acknowledge", {"note": "ok"})
    assert act(agent_api, order, "confirm").status_code == 200

    refused = _client(staff_user(WAREHOUSE)).post(
        f"/admin/orders/order/{order['id']}/warehouse/ship/",
        {"version": Order.objects.get(pk=order["id"]).version, "courier": "SF", "tracking_number": "12"},
        follow=True,
    )

    text = " ".join(messages_of(refused))
    assert "tracking number: “12” is not a SF tracking number." in text
    assert "tracking_number" not in text


def test_the_order_page_shows_the_buyers_language(staff_user, api, catalogue):
    order = create_order(api)
    Customer.objects.filter(pk=Order.objects.get(pk=order["id"]).customer_id).update(language="en")

    page = _client(staff_user(AGENTS), "zh-hans").get(page_url(order["id"]))

    assert page.context["buyer_language"] == "English"
    assert "<dt>语言</dt><dd>English" in page.content.decode()


def test_a_refused_page_is_the_admins_403_page(staff_user, api, catalogue):
    order = create_order(api)

    refused = _client(staff_user(WAREHOUSE)).get(f"/admin/orders/order/{order['id']}/price/")

    assert refused.status_code == 403
    text = refused.content.decode()
    assert "Your role may not open this page" in text
    assert 'href="/admin/"' in text


def test_the_admin_names_the_product_and_links_to_no_missing_site(staff_user):
    home = _client(staff_user(AGENTS), "zh-hans").get("/admin/", follow=True)

    text = home.content.decode()
    assert "OrderDesk" in text
    assert "Django 管理" not in text
    assert "查看站点" not in text


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"


def test_make_run_gives_the_demo_and_the_server_the_host_for_buyer_links():
    dry_run = subprocess.run(
        ["make", "-n", "run", "HOST=10.1.2.3:8123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    ).stdout

    seed = next(line for line in dry_run.splitlines() if "seed_demo" in line)
    serve = next(line for line in dry_run.splitlines() if "runserver" in line)
    assert seed.startswith("SITE_URL=http://10.1.2.3:8123 ")
    assert serve.startswith("SITE_URL=http://10.1.2.3:8123 ")


def test_the_history_names_fields_and_checks_as_people_do():
    with translation.override("en"):
        shipped = event_changes({"courier": "ZTO", "tracking_number": "753400000001"}, str)
        acknowledged = event_changes({"code": "request.card_message", "note": "ok"}, str)

    assert shipped == [EventChange("courier", "ZTO"), EventChange("tracking number", "753400000001")]
    assert acknowledged == [EventChange("check", "Card message"), EventChange("note", "ok")]
