"""Holds until a date (API.md 1.1): the order comes back by itself when the date passes, with fresh checks,
and a school parcel in the holidays is offered the day term starts."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from orders.checks.address import term_start
from orders.models import Order, OrderEvent, Variant
from orders.services.workflow import holds_release_due
from orders.shop_config import Holiday
from orders.tasks.workflow import holds_release_due as holds_release_due_task
from tests.conftest import admin_login
from tests.factories import BEIJING_SCHOOL
from tests.orders.helpers import act, codes, create_order

SHANGHAI = ZoneInfo("Asia/Shanghai")


def tomorrow() -> date:
    return timezone.localdate() + timedelta(days=1)


def hold(client, order, **body):
    return act(client, order, "hold", {"reason": "买家出差，下周再发", **body})


def test_a_hold_until_a_date_ends_at_the_start_of_that_day_in_the_shops_time_zone(agent_api, api, catalogue):
    order = create_order(api)

    response = hold(agent_api, order, until=tomorrow().isoformat())

    assert response.status_code == 200, response.content
    expected = datetime.combine(tomorrow(), datetime.min.time(), tzinfo=SHANGHAI)
    assert Order.objects.get(pk=order["id"]).hold_until == expected
    assert datetime.fromisoformat(response.json()["hold_until"]) == expected
    held = OrderEvent.objects.get(order_id=order["id"], type="held")
    assert held.data == {
        "before": "pending_confirmation",
        "after": "on_hold",
        "reason": "买家出差，下周再发",
        "until": expected.isoformat(),
    }


def test_a_hold_until_a_date_time_keeps_its_time(agent_api, api, catalogue):
    order = create_order(api)
    until = (timezone.now() + timedelta(days=2)).replace(microsecond=0)

    response = hold(agent_api, order, until=until.isoformat())

    assert response.status_code == 200, response.content
    assert Order.objects.get(pk=order["id"]).hold_until == until


@pytest.mark.parametrize(
    "until",
    [
        "2020-01-01",  # the past
        (timezone.localdate() + timedelta(days=400)).isoformat(),  # past a year
        "0001-01-01T00:00:00+14:00",  # the calendar's edge
        "9999-12-31",
        "next tuesday",
        20270220,
    ],
)
def test_a_bad_until_is_refused_with_a_field_error_and_nothing_changes(agent_api, api, catalogue, until):
    order = create_order(api)

    response = hold(agent_api, order, until=until)

    assert response.status_code == 400, response.content
    assert "until" in response.json()["fields"]
    stored = Order.objects.get(pk=order["id"])
    assert (stored.status, stored.version, stored.hold_until) == ("pending_confirmation", order["version"], None)


def test_beat_brings_a_held_order_back_when_its_date_passes_with_fresh_checks(agent_api, api, catalogue):
    order = create_order(api, lines=[{"sku": "DRESS-RED-S", "quantity": 1}], shipping_fee="0.00")
    assert codes(order) == []
    hold(agent_api, order, until=tomorrow().isoformat())
    Variant.objects.filter(sku="DRESS-RED-S").update(stock=0)  # sold out while it waited

    assert holds_release_due() == 0  # not yet
    with time_machine.travel(datetime.combine(tomorrow(), datetime.min.time(), tzinfo=SHANGHAI) + timedelta(minutes=1)):
        assert holds_release_due() == 1
        assert holds_release_due() == 0  # once

    stored = Order.objects.get(pk=order["id"])
    assert (stored.status, stored.hold_until, stored.hold_reason) == ("pending_confirmation", None, "")
    released = OrderEvent.objects.get(order_id=order["id"], type="released")
    assert (released.actor_label, released.data["reason"]) == ("system", "买家出差，下周再发")
    assert "until" in released.data
    assert codes(agent_api.get(f"/api/v1/orders/{order['id']}/").json()) == ["line.out_of_stock"]


def test_an_order_released_or_cancelled_meanwhile_is_left_alone(agent_api, api, catalogue):
    released, cancelled = create_order(api), create_order(api, customer={"external_id": "buyer-2"})
    for order in (released, cancelled):
        hold(agent_api, order, until=tomorrow().isoformat())
    act(agent_api, released, "release")
    act(agent_api, cancelled, "cancel", {"reason": "买家取消"})

    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert holds_release_due() == 0

    assert Order.objects.get(pk=cancelled["id"]).status == "cancelled"
    assert OrderEvent.objects.filter(order_id=released["id"], type="released").count() == 1


def test_a_hold_without_a_date_waits_for_an_agent(agent_api, api, catalogue):
    order = create_order(api)
    hold(agent_api, order)

    with time_machine.travel(timezone.now() + timedelta(days=400)):
        assert holds_release_due() == 0
    assert Order.objects.get(pk=order["id"]).status == "on_hold"


def test_only_a_held_order_can_be_released(agent_api, api, catalogue):
    order = create_order(api)

    response = act(agent_api, order, "release")

    assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")


def test_the_task_runs_on_beat():
    assert settings.CELERY_BEAT_SCHEDULE["holds-release-due"]["task"] == holds_release_due_task.name
    assert holds_release_due_task.name == "orders.tasks.holds_release_due"


@pytest.mark.parametrize(
    ("during", "expected"),
    [
        (date(2027, 1, 20), date(2027, 3, 1)),  # winter holiday ends 28 February
        (date(2027, 7, 20), date(2027, 9, 1)),  # summer holiday ends 31 August
        (date(2027, 12, 30), date(2028, 1, 5)),  # a holiday across the new year
    ],
)
def test_term_starts_the_day_after_the_holiday(during, expected):
    holidays = {
        1: Holiday("寒假", (1, 10), (2, 28)),
        7: Holiday("暑假", (7, 1), (8, 31)),
        12: Holiday("元旦", (12, 25), (1, 4)),
    }

    assert term_start(holidays[during.month], during) == expected


def test_a_school_parcel_in_the_holidays_is_offered_the_day_term_starts(api, agent, catalogue):
    with time_machine.travel(datetime(2027, 1, 15, 9, 0, tzinfo=SHANGHAI)):
        agent_client = admin_login(Client(), agent)  # a session of that day
        order = create_order(
            api,
            placed_at="2027-01-15T09:00:00+08:00",
            customer={"external_id": "han", "default_address": BEIJING_SCHOOL},
            shipping_address=BEIJING_SCHOOL,
            shipping_fee="8.00",
        )
        check = next(c for c in order["checks"] if c["code"] == "address.school_in_holiday")
        assert check["data"]["term_starts"] == "2027-03-01"

        response = agent_client.get(f"/admin/orders/order/{order['id']}/change/")
        assert response.status_code == 200
        page = response.content.decode()
        assert 'name="until" value="2027-03-01"' in page

        response = agent_client.post(
            f"/admin/orders/order/{order['id']}/workflow/hold/",
            {"version": order["version"], "reason": "学生放寒假，开学再发", "until": "2027-03-01"},
        )
        assert response.status_code == 302
        assert Order.objects.get(pk=order["id"]).hold_until == datetime(2027, 3, 1, tzinfo=SHANGHAI)

    with time_machine.travel(datetime(2027, 3, 1, 0, 5, tzinfo=SHANGHAI)):
        assert holds_release_due() == 1
    assert Order.objects.get(pk=order["id"]).status == "pending_confirmation"


def test_run_periodic_stands_in_for_beat_with_the_demos_clock(agent_api, api, catalogue):
    order = create_order(api)
    hold(agent_api, order, until=tomorrow().isoformat())
    out = io.StringIO()

    call_command("run_periodic", "--at", (tomorrow() + timedelta(days=1)).isoformat(), stdout=out)

    assert "holds released: 1" in out.getvalue()
    assert Order.objects.get(pk=order["id"]).status == "pending_confirmation"


def test_run_periodic_refuses_a_clock_it_cannot_read():
    with pytest.raises(CommandError, match="not a date or time"):
        call_command("run_periodic", "--at", "next tuesday")
