"""Shortcuts for API tests."""

import json

from tests.factories import order_payload


def create_order(api, **overrides) -> dict:
    response = api.post("/api/v1/orders/", data=json.dumps(order_payload(**overrides)), content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def create_flat_fee_order(api, **overrides) -> dict:
    """An order from a storefront that charges a flat 10.00 shipping, as API.md's example does: 99.00 of
    goods + 10.00 = 109.00, 4.00 above the Shanghai rule (``shipping.fee_above_rule``). The money tests
    of edits and merges count in these round figures."""
    return create_order(api, **{"shipping_fee": "10.00", **overrides})


def create_confirmed_order(api, agent_api, **overrides) -> dict:
    """Create an order, acknowledge its warnings as an agent and confirm it (all over REST)."""
    order = create_order(api, **overrides)
    for check in order["checks"]:
        if check["severity"] == "warning":
            act(agent_api, order, f"checks/{check['code']}/acknowledge", {"note": "ok"})
    assert act(agent_api, order, "confirm").status_code == 200
    return order


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


def stored_order(order_id: int) -> dict:
    """Every stored field of an order, its lines and its check results, except what every write moves
    on (the version, the update times): what "exactly as it was" compares."""
    from django.forms.models import model_to_dict

    from orders.models import Order

    order = Order.objects.get(pk=order_id)
    fields = {name: value for name, value in model_to_dict(order).items() if name not in ("version", "updated_at")}
    fields["lines"] = [model_to_dict(line) for line in order.lines.order_by("id")]
    fields["checks"] = [
        {name: value for name, value in model_to_dict(row).items() if name != "updated_at"}
        for row in order.checks.order_by("id")
    ]
    return fields
