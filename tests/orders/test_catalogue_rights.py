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


# --- Storefronts: each writes only its own catalogue rows, and only when it was given the right ---------

ROW = {"product_code": "MUG", "product_name": "马克杯", "category": "home", "price": "39.00", "stock": 5}


@pytest.fixture
def writer(db):
    """``writer("shop-a")``: the API client of a storefront allowed to upsert its catalogue, and the storefront."""
    from orders.services.tokens import storefront_create
    from tests.conftest import _client

    def build(name: str):
        storefront, key = storefront_create(name=name, writes_catalogue=True)
        return _client(key), storefront

    return build


def test_a_storefront_needs_the_catalogue_right_to_upsert(api):
    response = api.post(CATALOG, [{**ROW, "sku": "MUG-1"}], format="json")

    assert response.status_code == 403
    assert not Variant.objects.filter(sku="MUG-1").exists()


def test_a_storefront_with_the_right_upserts_its_own_rows(writer):
    shop_a, _storefront = writer("shop-a")

    created = shop_a.post(CATALOG, [{**ROW, "sku": "MUG-1"}], format="json")
    updated = shop_a.post(CATALOG, [{**ROW, "sku": "MUG-1", "price": "35.00"}], format="json")

    assert created.status_code == 200, created.content
    assert updated.json()["variants_updated"] == 1
    assert Variant.objects.get(sku="MUG-1").price == Decimal("35.00")


@pytest.mark.parametrize(
    "change",
    [
        {"price": "1.00"},
        {"stock": 0},
        {"return_policy": "custom-none"},
        {"product_code": "B-MUG"},  # A's SKU moved under a product of B's
    ],
)
def test_storefront_b_cannot_change_what_a_sells(writer, change):
    from orders.models import ReturnPolicy

    ReturnPolicy.objects.get_or_create(code="custom-none", defaults={"name": "none", "return_days": 0})
    shop_a, _a = writer("shop-a")
    shop_b, _b = writer("shop-b")
    assert shop_a.post(CATALOG, [{**ROW, "sku": "MUG-1"}], format="json").status_code == 200
    before = Variant.objects.select_related("product").get(sku="MUG-1")

    response = shop_b.post(CATALOG, [{**ROW, "sku": "MUG-1", **change}], format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) in (["0.sku"], ["0.product_code"])
    after = Variant.objects.select_related("product").get(sku="MUG-1")
    assert (after.price, after.stock, after.product_id, after.product.return_policy_id) == (
        before.price,
        before.stock,
        before.product_id,
        before.product.return_policy_id,
    )


def test_storefront_b_cannot_change_the_shops_own_rows(writer, catalogue):
    shop_b, _b = writer("shop-b")
    row = {"sku": "TEE-RED-M", "product_code": "TEE", "product_name": "纯棉T恤", "category": "apparel"}

    response = shop_b.post(CATALOG, [{**row, "price": "1.00"}], format="json")

    assert response.status_code == 400
    assert Variant.objects.get(sku="TEE-RED-M").price == Decimal("99.00")


def test_a_row_of_another_storefront_does_not_price_an_order(writer, catalogue):
    from tests.factories import order_payload

    shop_a, _a = writer("shop-a")
    shop_b, _b = writer("shop-b")
    assert shop_b.post(CATALOG, [{**ROW, "sku": "MUG-1", "price": "1.00"}], format="json").status_code == 200
    lines = [{"sku": "MUG-1", "quantity": 1}, {"sku": "TEE-RED-M", "quantity": 1}]

    order = shop_a.post("/api/v1/orders/", order_payload(lines=lines), format="json").json()

    priced = {line["sku"]: line["unit_price"] for line in order["lines"]}
    assert priced["TEE-RED-M"] == "99.00"  # the shop's own row sells everywhere
    assert priced["MUG-1"] != "1.00"  # B's row is not A's catalogue: an unknown SKU for A
    assert "line.unknown_sku" in {check["code"] for check in order["checks"]}


def test_staff_still_upsert_any_row(writer, supervisor_api):
    shop_a, _a = writer("shop-a")
    assert shop_a.post(CATALOG, [{**ROW, "sku": "MUG-1"}], format="json").status_code == 200

    response = supervisor_api.post(CATALOG, [{**ROW, "sku": "MUG-1", "price": "45.00"}], format="json")

    assert response.status_code == 200
    variant = Variant.objects.select_related("product__storefront").get(sku="MUG-1")
    assert variant.price == Decimal("45.00")
    assert variant.product.storefront.name == "shop-a"  # a supervisor's correction keeps the owner


def test_an_agents_line_edit_resolves_skus_in_the_orders_catalogue(writer, catalogue):
    from orders.events import Actor
    from orders.models import OrderLine
    from orders.services.edits import LineChange, OrderChanges, order_edit
    from tests.factories import order_payload

    shop_a, _a = writer("shop-a")
    shop_b, _b = writer("shop-b")
    assert shop_b.post(CATALOG, [{**ROW, "sku": "MUG-1"}], format="json").status_code == 200
    order_id = shop_a.post("/api/v1/orders/", order_payload(), format="json").json()["id"]
    line = OrderLine.objects.get(order_id=order_id)

    order_edit(
        order_id=order_id, changes=OrderChanges(lines=(LineChange(line_id=line.pk, sku="MUG-1"),)), actor=Actor()
    )

    line.refresh_from_db()
    assert (line.sku, line.variant_id) == ("MUG-1", None)


def test_create_storefront_grants_the_catalogue_right_only_when_asked():
    from io import StringIO

    from django.core.management import call_command

    from orders.models import Storefront

    call_command("create_storefront", "orders-only", stdout=StringIO())
    call_command("create_storefront", "with-catalogue", "--catalogue", stdout=StringIO())

    assert dict(Storefront.objects.values_list("name", "writes_catalogue")) == {
        "orders-only": False,
        "with-catalogue": True,
    }
