"""Issue 15's note, posted over REST as a shop would (「请发顺丰…多送一个赠品…易碎…刻"吴婷"」): with
auto-confirm on it waits for an agent, its requests are flagged, the courier and the engraving become the
order's requests with one action each, the rest is read back, and the order is confirmed."""

import pytest

from flags.models import Flag
from orders.models import ShopSettings
from orders.shop_config import shop_config_invalidate
from tests.factories import SHANGHAI_HOME
from tests.orders.helpers import act, codes, create_order

pytestmark = pytest.mark.django_db

NOTE = '请发顺丰，多送一个赠品，易碎，刻"吴婷"'


def open_flag_colours(order_id: int) -> dict[str, str]:
    flags = Flag.objects.filter(order_id=order_id, cleared_at__isnull=True).select_related("category")
    return {flag.cause: flag.colour for flag in flags}


def test_the_issues_note_is_flagged_converted_read_back_and_confirmed(api, agent_api, catalogue):
    ShopSettings.objects.filter(pk=1).update(auto_confirm=True)
    shop_config_invalidate()

    order = create_order(
        api,
        shipping_address=SHANGHAI_HOME,
        lines=[{"sku": "RING-SILVER-12", "quantity": 1}],
        shipping_fee="0.00",  # free from 108; the SF the note asks for costs 6.00 more
        buyer_note=NOTE,
    )

    assert order["status"] == "pending_confirmation"
    assert codes(order) == ["request.in_note"]
    found = order["checks"][0]["data"]["found"]
    assert [(f["kind"], f["value"]) for f in found] == [
        ("courier", "SF"),
        ("free_gift", None),
        ("fragile", None),
        ("engraving", "吴婷"),
    ]
    assert open_flag_colours(order["id"]) == {
        "request.in_note:courier": "red",
        "request.in_note:gift": "blue",
        "request.in_note:abnormal": "purple",
    }

    assert act(agent_api, order, "checks/request.in_note/convert", {"kind": "courier"}).status_code == 200
    response = act(agent_api, order, "checks/request.in_note/convert", {"kind": "engraving"})
    assert response.status_code == 200
    body = response.json()
    assert body["special_requests"] == {"courier": "SF", "engraving": "吴婷"}
    assert [f["kind"] for f in next(c for c in body["checks"] if c["code"] == "request.in_note")["data"]["found"]] == [
        "free_gift",
        "fragile",
    ]
    assert open_flag_colours(order["id"]) == {
        "request.courier": "red",
        "request.engraving": "blue",
        "request.in_note:gift": "blue",
        "request.in_note:abnormal": "purple",
    }

    for check in body["checks"]:
        if check["status"] == "open":
            assert check["severity"] != "blocker", check
            act(agent_api, order, f"checks/{check['code']}/acknowledge", {"note": "已与买家确认"})
    confirmed = act(agent_api, order, "confirm")
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == "confirmed"
