"""Shortcuts for API tests."""

import json

from tests.factories import order_payload


def create_order(api, **overrides) -> dict:
    response = api.post("/api/v1/orders/", data=json.dumps(order_payload(**overrides)), content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def codes(order: dict, status: str | None = "open") -> list[str]:
    return sorted(c["code"] for c in order["checks"] if status is None or c["status"] == status)


def act(client, order: dict | int, action: str, body: dict | None = None, **headers):
    order_id = order if isinstance(order, int) else order["id"]
    return client.post(
        f"/api/v1/orders/{order_id}/{action}/",
        data=json.dumps(body or {}),
        content_type="application/json",
        headers=headers,
    )


def patch(client, order: dict | int, body: dict, **headers):
    order_id = order if isinstance(order, int) else order["id"]
    return client.patch(
        f"/api/v1/orders/{order_id}/", data=json.dumps(body), content_type="application/json", headers=headers
    )
