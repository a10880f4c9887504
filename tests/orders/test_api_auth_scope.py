"""A staff token brings its user's permissions in its own query, never from an earlier request; staff actions
skip the scope query, yet a missing order still answers 404 before any other refusal."""

import json

import pytest
from django.contrib.auth.models import Group, Permission, User
from rest_framework.test import APIClient

from orders.services.tokens import staff_token_issue
from tests.orders.helpers import act, create_order

pytestmark = pytest.mark.django_db

HOLD = {"reason": "买家要求暂缓"}


def _client_of(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {staff_token_issue(user=user)[0]}")
    return client


def test_a_permission_taken_from_the_group_applies_at_the_next_request(api, agent_api, catalogue):
    order = create_order(api)
    assert act(agent_api, order, "hold", HOLD).status_code == 200
    group = Group.objects.get(name=agent_api.user.groups.get().name)
    group.permissions.remove(Permission.objects.get(codename="confirm_order", content_type__app_label="orders"))

    response = act(agent_api, order, "release")

    assert response.status_code == 403, response.content


def test_a_permission_given_to_the_user_alone_counts_and_its_removal_too(api, catalogue):
    order = create_order(api)
    user = User.objects.create_user(username="solo", password="pw-12345678", is_staff=True)
    client = _client_of(user)
    assert client.get(f"/api/v1/orders/{order['id']}/").status_code == 403
    permission = Permission.objects.get(codename="view_order", content_type__app_label="orders")

    user.user_permissions.add(permission)
    assert client.get(f"/api/v1/orders/{order['id']}/").status_code == 200
    user.user_permissions.remove(permission)
    assert client.get(f"/api/v1/orders/{order['id']}/").status_code == 403


def test_a_superuser_has_every_permission(api, catalogue):
    order = create_order(api)
    user = User.objects.create_superuser(username="root", password="pw-12345678")

    assert act(_client_of(user), order, "hold", HOLD).status_code == 200


@pytest.mark.parametrize(
    ("action", "body", "headers"),
    [
        ("hold", HOLD, {"If-Match": "nonsense"}),  # a malformed If-Match
        ("confirm", {}, {}),
        ("flags", {"category": "nope", "note": "x"}, {}),  # the service refuses the category
    ],
)
def test_staff_get_404_for_a_missing_order_before_any_other_refusal(agent_api, action, body, headers):
    response = agent_api.post(
        f"/api/v1/orders/987654/{action}/", data=json.dumps(body), content_type="application/json", headers=headers
    )

    assert response.status_code == 404, response.content
    assert response.json()["code"] == "not_found"


def test_a_storefront_gets_404_for_another_storefronts_order(api, other_api, catalogue):
    order = create_order(api)

    for action, body in (("payments", {"amount": "1.00", "reference": "X"}), ("cases", {"kind": "logistics"})):
        response = act(other_api, order, action, body)
        assert response.status_code == 404, response.content
