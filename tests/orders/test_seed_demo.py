"""seed_demo loads a usable demo and can run again."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from orders import demo
from orders.models import Order, Variant

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_catalogue_orders_and_users_and_prints_hints():
    out = StringIO()

    call_command("seed_demo", "--password", "demo-pass-123", stdout=out)

    text = out.getvalue()
    assert Variant.objects.count() == len(demo.CATALOGUE) >= 30
    assert Order.objects.count() == len(demo.ORDERS) + 1 >= 20
    for username in ("agent", "warehouse", "supervisor"):
        assert authenticate(username=username, password="demo-pass-123") is not None
        assert f"{username} / demo-pass-123" in text
    assert "/admin/" in text
    assert "curl -s -X POST" in text and "Authorization: Token sf_" in text


def test_seed_demo_twice_adds_nothing_and_keeps_working():
    call_command("seed_demo", stdout=StringIO())

    call_command("seed_demo", stdout=StringIO())

    assert Order.objects.count() == len(demo.ORDERS) + 1
