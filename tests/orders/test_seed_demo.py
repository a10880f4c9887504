"""seed_demo loads a usable demo and can run again."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from orders import demo
from orders.models import Order, Variant

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_catalogue_orders_and_users_and_prints_hints():
    out = StringIO()

    call_command("seed_demo", "--password", "demo-pass-123", stdout=out)

    text = out.getvalue()
    assert Variant.objects.count() == len(demo.CATALOGUE) >= 30
    assert Order.objects.count() == len(demo.ORDERS) + len(demo.PAST_ORDERS) + 3  # + confirmed, balance due, gift
    assert len(demo.ORDERS) >= 20
    for username in ("agent", "warehouse", "supervisor"):
        login = RequestFactory().post("/admin/login/")  # django-axes counts logins per request
        assert authenticate(login, username=username, password="demo-pass-123") is not None
        assert f"{username} / demo-pass-123" in text
    assert "/admin/" in text
    assert "curl -s -X POST" in text and "Authorization: Token sf_" in text


def test_seed_demo_twice_adds_nothing_and_keeps_working():
    call_command("seed_demo", stdout=StringIO())

    call_command("seed_demo", stdout=StringIO())

    assert Order.objects.count() == len(demo.ORDERS) + len(demo.PAST_ORDERS) + 3  # + confirmed, balance due, gift


def test_demo_orders_cover_every_check_of_the_brief():
    from orders.checks import REGISTRY
    from orders.models import CheckResult

    call_command("seed_demo", stdout=StringIO())

    assert set(CheckResult.objects.values_list("code", flat=True)) == set(REGISTRY)


def test_demo_has_a_clean_order_and_a_delivered_one():
    call_command("seed_demo", stdout=StringIO())

    assert Order.objects.filter(status="pending_confirmation", open_blockers=0, open_warnings=0).exists()
    assert Order.objects.filter(status="delivered").exists()
