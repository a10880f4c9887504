"""The printable pick list and the admin's flag screens."""

import pytest

from flags.models import Flag, FlagCategory
from tests.orders.helpers import create_confirmed_order, create_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_language() -> None:
    """This module reads the admin in its default language, Chinese."""
    return None


def test_pick_list_shows_lines_flags_courier_and_texts_verbatim(warehouse_client, agent_api, api, catalogue):
    order = create_confirmed_order(
        api,
        agent_api,
        lines=[{"sku": "RING-SILVER-12", "quantity": 1}, {"sku": "TEE-RED-M", "quantity": 2}],
        special_requests={"courier": "SF", "engraving": "致韩梅梅", "card_message": "生日快乐！", "gift_wrap": True},
        shipping_fee="12.00",
    )
    other = create_confirmed_order(api, agent_api, customer={"external_id": "b2"})

    response = warehouse_client.get("/admin/warehouse/pick-list/", {"ids": f"{order['id']},{other['id']}"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "SF" in content
    assert "“致韩梅梅”" in content
    assert "“生日快乐！”" in content
    assert "RING-SILVER-12" in content
    assert "TEE-RED-M" in content
    for flag in Flag.objects.filter(order_id=order["id"]):
        assert flag.note.replace("“", "&ldquo;")[:4] in content or flag.note[:4] in content
    assert other["external_id"] in content
    assert "138****8000" in content
    assert "13800138000" not in content


def test_pick_list_shows_full_phone_to_agents(client, staff_user, agent_api, api, catalogue):
    client.force_login(staff_user("agents", username="ag"))
    order = create_confirmed_order(api, agent_api)

    content = client.get("/admin/warehouse/pick-list/", {"ids": str(order["id"])}).content.decode()

    assert "13800138000" in content


def test_pick_list_packs_confirmed_orders_only_and_names_the_others(warehouse_client, agent_api, api, catalogue):
    packed = create_confirmed_order(api, agent_api)
    pending = create_order(api, customer={"external_id": "b2"})

    response = warehouse_client.get("/admin/warehouse/pick-list/", {"ids": f"{packed['id']},{pending['id']}"})

    page = response.content.decode()
    assert page.count('<section class="sheet">') == 1
    assert packed["external_id"] in page.split('<section class="sheet">')[1]
    assert pending["external_id"] in page.split('<div class="left-out')[1].split("</div>")[0]


@pytest.mark.parametrize("ids", ["", "abc", ",".join(str(n) for n in range(1, 300))])
def test_pick_list_needs_a_sane_selection(warehouse_client, ids):
    assert warehouse_client.get("/admin/warehouse/pick-list/", {"ids": ids}).status_code == 400


def test_pick_list_is_for_staff_only(client, api, catalogue):
    order = create_order(api)

    response = client.get("/admin/warehouse/pick-list/", {"ids": str(order["id"])})

    assert response.status_code == 302  # to the admin login


def test_recolour_action_reports_the_count(client, django_user_model, api, catalogue):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.com", "pw-12345678"))
    create_order(api, special_requests={"courier": "SF"})
    FlagCategory.objects.filter(code="courier").update(colour="orange")

    response = client.post(
        "/admin/flags/flagcategory/",
        {
            "action": "recolour_open_flags",
            "_selected_action": list(FlagCategory.objects.values_list("pk", flat=True)),
        },
        follow=True,
    )

    assert "1" in next(m.message for m in response.context["messages"])
    assert Flag.objects.get().colour == "orange"
