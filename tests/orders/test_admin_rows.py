"""The order lists' rows (orders/admin/rows.py) are Django admin's own HTML, rendered with less work per cell."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.admin import rows
from orders.models import Order

pytestmark = pytest.mark.django_db

LISTS = [
    "/admin/orders/order/",
    "/admin/orders/order/?flag=red",
    "/admin/orders/order/?o=-9.2&status__exact=pending_confirmation",
    "/admin/orders/order/?q=13",
    "/admin/orders/confirmationqueue/",
    "/admin/orders/confirmationqueue/?open_severity=blocker",
    "/admin/orders/abnormalorder/",
    "/admin/orders/abnormalorder/?reason=on_hold",
]


@pytest.fixture
def demo(db) -> None:
    call_command("seed_demo", stdout=StringIO())


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    # What differs between any two requests: the CSRF token and the CSP nonce.
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return re.sub(r'nonce="[^"]*"', "", text)


def _django_renders(monkeypatch) -> None:
    def unsupported(self, cl):
        raise rows.Unsupported

    monkeypatch.setattr(rows.ListRows, "__init__", unsupported)


@pytest.mark.parametrize("url", LISTS)
def test_rows_are_djangos_html(demo, supervisor_client, monkeypatch, url):
    ours = _page(supervisor_client, url)
    _django_renders(monkeypatch)
    djangos = _page(supervisor_client, url)

    assert ours == djangos
    if "?" not in url:  # the demo's lists have rows (a filter may leave none)
        assert ours.count('<tr><td class="action-checkbox">') >= 1


def test_the_page_being_compared_has_rows_links_and_filters_preserved(demo, supervisor_client):
    order = Order.objects.filter(flags__colour="red", flags__cleared_at__isnull=True).first()
    assert order is not None

    page = _page(supervisor_client, "/admin/orders/order/?flag=red")

    url = f"/admin/orders/order/{order.pk}/change/?_changelist_filters=flag%3Dred"
    link = f'<th class="field-external_id"><a href="{url}">'
    assert link in page
    assert f'name="_selected_action" value="{order.pk}" class="action-select"' in page
    assert "flag-badge" in page


def test_a_broken_renderer_would_be_seen(demo, supervisor_client, monkeypatch):
    """The comparison can fail: a renderer that drops the nowrap class differs from Django's page."""
    djangos_field_cell = rows.ListRows._field_cell

    def without_nowrap(self, name, field, link, tag):
        cell = djangos_field_cell(self, name, field, link, tag)
        return lambda result: cell(result).replace(" nowrap", "")

    ours = _page(supervisor_client, "/admin/orders/order/")
    monkeypatch.setattr(rows.ListRows, "_field_cell", without_nowrap)

    assert _page(supervisor_client, "/admin/orders/order/") != ours


def test_rows_run_no_query_per_row(demo, supervisor_client):
    with CaptureQueriesContext(connection) as ours:
        _page(supervisor_client, "/admin/orders/order/")
    assert Order.objects.count() > 10
    assert len(ours) <= 12


@pytest.mark.parametrize(
    ("url", "orders"),
    [
        ("/admin/orders/confirmationqueue/", Order.objects.filter(status="pending_confirmation")),
        ("/admin/orders/order/", Order.objects.all()),
    ],
)
def test_every_row_opens_its_orders_page(demo, supervisor_client, url, orders):
    page = _page(supervisor_client, url)

    shown = re.findall(r'<th class="field-external_id"><a href="/admin/orders/order/(\d+)/change/', page)
    assert shown
    assert {int(pk) for pk in shown} <= set(orders.values_list("pk", flat=True))
    assert len(shown) == len(set(shown))
