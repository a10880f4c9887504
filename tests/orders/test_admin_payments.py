"""Money owed in the admin: the balance and the ledger on the order page, Record payment (agents,
supervisors) and Record refund (supervisors), refusals as messages, and the list of orders with money due."""

import pytest
from django.test import Client

from orders.models import Order, OrderEvent, PaymentRecord
from orders.roles import AGENTS, SUPERVISORS, WAREHOUSE
from tests.orders.helpers import act, create_flat_fee_order

pytestmark = pytest.mark.django_db

ORDERS = "/admin/orders/order/"


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def agent_client(staff_user) -> Client:
    return _login(staff_user(AGENTS, "agent-wang"))


@pytest.fixture
def supervisor_client(staff_user) -> Client:
    return _login(staff_user(SUPERVISORS, "supervisor-li"))


@pytest.fixture
def warehouse_client(staff_user) -> Client:
    return _login(staff_user(WAREHOUSE, "warehouse-zhao"))


@pytest.fixture
def owing(api, agent_api, catalogue) -> dict:
    """A paid order whose fee went up 6.00 after payment."""
    order = create_flat_fee_order(api)
    act(agent_api, order, "adjust-shipping", {"fee": "16.00", "reason": "改发顺丰"})
    return order


@pytest.fixture
def refund_owed(api, agent_api, catalogue) -> dict:
    order = create_flat_fee_order(api)
    act(agent_api, order, "adjust-price", {"amount": "-5.00", "reason": "老客户"})
    return order


def page(client: Client, order: dict) -> str:
    response = client.get(f"{ORDERS}{order['id']}/change/")
    assert response.status_code == 200
    return response.content.decode()


def post(client: Client, order: dict, action: str, data: dict):
    return client.post(f"{ORDERS}{order['id']}/money/{action}/", data, follow=True)


def test_the_order_page_shows_the_balance_and_the_record_payment_form(agent_client, owing):
    html = page(agent_client, owing)

    assert 'id="payments"' in html
    assert "balance due" in html and "6.00 CNY" in html
    assert "Record payment" in html
    assert "Record refund" not in html  # agents do not refund


def test_an_agent_records_the_difference_and_the_blocker_resolves(agent_client, owing):
    response = post(agent_client, owing, "payment", {"amount": "6.00", "reference": "ALI-DIFF"})

    assert "The payment is recorded." in response.content.decode()
    order = Order.objects.get(pk=owing["id"])
    assert (order.amount_paid, order.balance_due, order.open_blockers) == (115, 0, 0)
    record = PaymentRecord.objects.get(order=order)
    assert record.actor.username == "agent-wang"
    html = page(agent_client, owing)
    assert 'id="payment-records"' in html and "ALI-DIFF" in html


def test_a_refused_payment_says_why_and_keeps_what_was_typed(agent_client, owing):
    response = post(agent_client, owing, "payment", {"amount": "0.00", "reference": "ALI-ZERO"})

    html = response.content.decode()
    assert "The amount must be more than 0.00." in html
    assert 'value="ALI-ZERO"' in html
    assert not PaymentRecord.objects.exists()


def test_a_conflicting_reference_is_refused_with_a_message(agent_client, owing):
    post(agent_client, owing, "payment", {"amount": "1.00", "reference": "ALI-1"})

    response = post(agent_client, owing, "payment", {"amount": "2.00", "reference": "ALI-1"})

    assert "already recorded on the order with another amount" in response.content.decode()
    assert Order.objects.get(pk=owing["id"]).amount_paid == 110


def test_warehouse_staff_see_no_form_and_may_not_post(warehouse_client, owing):
    assert "Record payment" not in page(warehouse_client, owing)
    response = warehouse_client.post(f"{ORDERS}{owing['id']}/money/payment/", {"amount": "6.00", "reference": "X"})
    assert response.status_code == 403


def test_agents_may_not_post_a_refund(agent_client, refund_owed):
    response = agent_client.post(
        f"{ORDERS}{refund_owed['id']}/money/refund/", {"amount": "5.00", "reference": "R", "reason": "x"}
    )

    assert response.status_code == 403


def test_a_supervisor_records_the_refund_and_the_buyer_is_told(supervisor_client, refund_owed):
    html = page(supervisor_client, refund_owed)
    assert "Record refund" in html

    data = {"amount": "5.00", "reference": "RF-1", "reason": "退差价"}
    response = post(supervisor_client, refund_owed, "refund", data)

    assert "The refund is recorded; the buyer is told." in response.content.decode()
    order = Order.objects.get(pk=refund_owed["id"])
    assert (order.refund_due, order.amount_paid) == (0, 104)
    assert order.messages.filter(kind="refund_issued").count() == 1
    assert OrderEvent.objects.filter(order=order, type="refund_recorded").exists()


def test_a_refund_above_the_due_is_refused(supervisor_client, refund_owed):
    response = post(supervisor_client, refund_owed, "refund", {"amount": "6.00", "reference": "RF-1", "reason": "x"})

    assert "At most 5.00 can be refunded on this order." in response.content.decode()
    assert Order.objects.get(pk=refund_owed["id"]).refund_due == 5


def test_the_history_reads_the_payment(agent_client, owing):
    post(agent_client, owing, "payment", {"amount": "6.00", "reference": "ALI-DIFF"})

    html = page(agent_client, owing)

    assert "Payment recorded" in html
    assert "ALI-DIFF" in html


def test_the_order_list_filters_orders_with_money_due(agent_client, api, owing, refund_owed, catalogue):
    settled = create_flat_fee_order(api, customer={"external_id": "buyer-settled"})
    unpaid = create_flat_fee_order(api, customer={"external_id": "buyer-unpaid"}, payment_status="unpaid")

    def listed(value: str) -> set[str]:
        response = agent_client.get(ORDERS, {"money_due": value})
        assert response.status_code == 200
        return {o.external_id for o in response.context["cl"].result_list}

    assert listed("balance_due") == {owing["external_id"]}
    assert listed("refund_due") == {refund_owed["external_id"]}
    assert listed("any") == {owing["external_id"], refund_owed["external_id"]}
    assert listed("unpaid") == {unpaid["external_id"]}
    assert settled["external_id"] not in listed("any")
