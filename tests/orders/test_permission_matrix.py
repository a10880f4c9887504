"""Role × endpoint: who may flag, ship, deliver, correct tracking, see abnormal orders and edit."""

import pytest

from tests.orders.helpers import create_order

pytestmark = pytest.mark.django_db

ROLES = ["storefront", "agents", "warehouse", "supervisors", "no_role"]

# (method, path, body, roles allowed): anybody else must get 403
MATRIX = [
    ("post", "flags/", {"category": "abnormal", "note": "x"}, {"agents", "warehouse", "supervisors"}),
    ("delete", "flags/{flag}/", None, {"agents", "warehouse", "supervisors"}),
    (
        "post",
        "ship/",
        {"courier": "ZTO", "tracking_number": "753456789012"},
        {"warehouse", "supervisors", "storefront"},
    ),
    ("post", "deliver/", {}, {"warehouse", "supervisors", "storefront"}),
    ("post", "tracking/", {"tracking_number": "753456789012", "reason": "x"}, {"warehouse", "supervisors"}),
    ("patch", "", {"shipping_address": {"street": "新地址 1号"}}, {"agents", "supervisors"}),
    ("post", "confirm/", {}, {"agents", "supervisors"}),
]


@pytest.fixture
def client_for(api, staff_api):
    def build(role: str):
        if role == "storefront":
            return api
        return staff_api(None if role == "no_role" else role)

    return build


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", MATRIX, ids=lambda e: f"{e[0]}-{e[1]}")
def test_role_endpoint_matrix(api, catalogue, client_for, role, endpoint):
    method, path, body, allowed = endpoint
    order = create_order(api, special_requests={"gift_wrap": True})
    url = f"/api/v1/orders/{order['id']}/" + path.format(flag=order["flags"][0]["id"])
    client = client_for(role)

    response = getattr(client, method)(url, body, format="json")

    if role in allowed:
        assert response.status_code != 403, response.content
    else:
        assert response.status_code == 403, response.content


@pytest.mark.parametrize("role", ROLES)
def test_abnormal_list_is_for_staff(client_for, role, db):
    response = client_for(role).get("/api/v1/orders/abnormal/")

    assert response.status_code == (403 if role in {"storefront", "no_role"} else 200)
