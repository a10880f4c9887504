"""Who may change what the shop sells: prices are for supervisors only, never warehouse staff."""

from decimal import Decimal

import pytest

from orders.models import Variant
from orders.roles import SUPERVISORS, WAREHOUSE

pytestmark = pytest.mark.django_db

CATALOG = "/api/v1/catalog/variants/"


def _variant_form(variant: Variant, **changes) -> dict:
    values = {
        "product": variant.product_id,
        "sku": variant.sku,
        "size": variant.size,
        "colour": variant.colour,
        "price": str(variant.price),
        "stock": variant.stock,
    }
    return {**values, **changes}


def _admin_as(client, staff_user, role: str):
    client.force_login(staff_user(role))
    return client


def test_warehouse_cannot_change_a_price_in_the_variant_admin(client, staff_user, catalogue):
    variant = Variant.objects.get(sku="TEE-RED-M")
    admin = _admin_as(client, staff_user, WAREHOUSE)

    page = admin.get(f"/admin/orders/variant/{variant.pk}/change/")
    response = admin.post(f"/admin/orders/variant/{variant.pk}/change/", _variant_form(variant, price="1.00", stock=7))

    assert page.status_code == 200
    assert 'name="price"' not in page.content.decode()
    assert response.status_code == 302
    variant.refresh_from_db()
    assert variant.price == Decimal("99.00")
    assert variant.stock == 7  # stock is still theirs to correct


def test_supervisor_changes_a_price_in_the_variant_admin(client, staff_user, catalogue):
    variant = Variant.objects.get(sku="TEE-RED-M")
    admin = _admin_as(client, staff_user, SUPERVISORS)

    response = admin.post(f"/admin/orders/variant/{variant.pk}/change/", _variant_form(variant, price="89.00"))

    assert response.status_code == 302
    variant.refresh_from_db()
    assert variant.price == Decimal("89.00")


def test_warehouse_cannot_change_a_price_through_the_product_admin(client, staff_user, catalogue):
    variant = Variant.objects.get(sku="TEE-RED-M")
    admin = _admin_as(client, staff_user, WAREHOUSE)

    page = admin.get(f"/admin/orders/product/{variant.product_id}/change/")

    assert page.status_code == 200
    assert 'name="variants-0-price"' not in page.content.decode()


def test_warehouse_cannot_change_a_price_over_rest_even_with_product_rights(staff_api, catalogue):
    warehouse = staff_api(WAREHOUSE)
    warehouse.user.user_permissions.add(*_perms("change_product"))
    row = {"sku": "TEE-RED-M", "product_code": "TEE", "product_name": "纯棉T恤", "category": "apparel"}

    response = warehouse.post(CATALOG, [{**row, "price": "1.00"}], format="json")

    assert response.status_code == 403
    assert Variant.objects.get(sku="TEE-RED-M").price == Decimal("99.00")


def _perms(*codenames: str):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="orders", codename__in=codenames)
