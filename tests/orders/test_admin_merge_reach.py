"""Merging is reached where agents work: the queue's action, and the mergeable hint on the order page."""

import pytest
from django.test import Client

from orders.roles import AGENTS
from tests.orders.helpers import create_order
from tests.orders.test_admin_money import SHOE, TEE, page_url, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent_client(client, staff_user) -> Client:
    client.force_login(staff_user(AGENTS, "agent-wang"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # assertions read the English msgids
    return client


QUEUE = "/admin/orders/confirmationqueue/"


@pytest.fixture
def pair(api, catalogue, django_capture_on_commit_callbacks) -> tuple[dict, dict]:
    """Two orders of one buyer to one address: each carries the mergeable hint naming the other."""
    first = create_order(api, lines=[TEE])
    with django_capture_on_commit_callbacks(execute=True):
        second = create_order(api, lines=[SHOE])
    return first, second


def test_the_queue_merges_the_selected_orders(agent_client, pair):
    ids = sorted(order["id"] for order in pair)
    assert "merge_selected_orders" in text_of(agent_client.get(QUEUE))

    chosen = agent_client.post(QUEUE, {"action": "merge_selected_orders", "_selected_action": ids, "index": 0})

    assert chosen.status_code == 302
    shown = agent_client.get(chosen["Location"])
    assert [row.order.pk for row in shown.context["rows"]] == ids
    assert shown.context["primary"] is not None


def test_the_mergeable_hint_links_to_the_merge_preview(agent_client, pair):
    first, second = pair

    page = agent_client.get(page_url(first["id"]))

    row = next(row for row in page.context["check_rows"] if row.result.code == "order.mergeable")
    assert row.link is not None
    url, label = row.link
    assert f'href="{url}"' in page.content.decode().replace("&amp;", "&")
    assert label == "Merge these orders"
    shown = agent_client.get(url)
    assert sorted(row.order.pk for row in shown.context["rows"]) == sorted([first["id"], second["id"]])
