"""create_storefront and setup_roles."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from orders.models import ApiToken, Storefront
from orders.roles import ROLE_PERMISSIONS

pytestmark = pytest.mark.django_db


def test_create_storefront_prints_a_working_token_alone_on_the_last_line():
    out = StringIO()

    call_command("create_storefront", "taobao-main", stdout=out)

    key = out.getvalue().strip().splitlines()[-1]
    assert " " not in key and key.startswith("sf_")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/orders/").status_code == 200
    token = ApiToken.objects.get()
    assert key not in (token.key_hash, token.prefix)  # stored hashed


def test_create_storefront_twice_is_an_error_unless_new_token():
    call_command("create_storefront", "shop", stdout=StringIO())

    with pytest.raises(CommandError, match="exists"):
        call_command("create_storefront", "shop", stdout=StringIO())
    call_command("create_storefront", "shop", "--new-token", stdout=StringIO())

    assert Storefront.objects.count() == 1
    assert ApiToken.objects.count() == 2


def test_revoked_token_is_refused():
    out = StringIO()
    call_command("create_storefront", "shop", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert client.get("/api/v1/orders/").status_code == 401


def test_setup_roles_gives_each_group_exactly_its_permissions():
    Group.objects.get(name="warehouse").permissions.clear()

    call_command("setup_roles", stdout=StringIO())

    for role, names in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        got = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert got == set(names)


def test_migrate_sets_up_the_roles():
    Group.objects.all().delete()

    call_command("migrate", verbosity=0)

    for role, names in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        got = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert got == set(names)


def test_warehouse_role_cannot_edit_prices_or_addresses():
    names = set(ROLE_PERMISSIONS["warehouse"])

    assert "orders.edit_order_price" not in names
    assert "orders.edit_order_shipping" not in names
    assert "orders.edit_order_address" not in names
    assert "orders.change_order" not in names
