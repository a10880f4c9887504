"""After logging in each role lands on its own work; the home page starts with it."""

import pytest
from django.test import Client

from orders.roles import AGENTS, SUPERVISORS, WAREHOUSE

pytestmark = pytest.mark.django_db


def log_in(user, next_url: str = "/admin/"):
    return Client().post(
        f"/admin/login/?next={next_url}", {"username": user.username, "password": "pw-12345678", "next": next_url}
    )


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        (AGENTS, "/admin/orders/confirmationqueue/"),
        (WAREHOUSE, "/admin/orders/order/"),
        (SUPERVISORS, "/admin/"),
    ],
)
def test_each_role_lands_on_its_work(staff_user, role, landing):
    response = log_in(staff_user(role))

    assert response.status_code == 302
    assert response["Location"] == landing


def test_a_supervisors_home_starts_with_abnormal_orders_and_failed_messages(staff_user):
    client = Client()
    client.force_login(staff_user(SUPERVISORS))

    home = client.get("/admin/", headers={"Accept-Language": "en"})

    links = [(str(link.label), link.url) for link in home.context["work_links"]]
    assert links[:2] == [
        ("Abnormal orders", "/admin/orders/abnormalorder/"),
        ("Failed messages", "/admin/orders/failedmessage/"),
    ]
    assert 'id="your-work"' in home.content.decode()


def test_a_link_followed_to_the_login_page_is_kept(staff_user, api, catalogue):
    response = log_in(staff_user(AGENTS), "/admin/orders/order/")

    assert response["Location"] == "/admin/orders/order/"
