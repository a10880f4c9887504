"""The fault suite's shop, run in the stack's own settings (``python -m tests.faults.shop …``):

* ``setup``: the catalogue, a storefront (its token on the last line) and auto-confirm on, so that
  every clean order sends its confirmation message at once;
* ``reminders PREFIX COUNT TOKEN``: COUNT delivered orders whose return-policy reminder is due now;
* ``staff``: a supervisor and a staff token (last line), for the agents' edits of the scale-out tests;
* ``storefront NAME``: another storefront and its token (last line);
* ``holds PREFIX``: hold the orders with this prefix until a moment just passed (beat releases them).

``order_body`` is the clean order every scenario posts: one buyer per order, nothing for an agent.
"""

import json
import sys

import django


def order_body(external_id: str) -> dict:
    from tests.factories import order_payload

    return order_payload(external_id=external_id, customer={"external_id": f"buyer-{external_id}"}, buyer_note="")


def setup() -> None:
    from orders.models import ShopSettings
    from orders.services.tokens import storefront_create
    from tests.factories import catalogue_load

    catalogue_load()
    ShopSettings.objects.update(auto_confirm=True)
    _storefront, key = storefront_create(name="faults")
    sys.stdout.write(f"{key}\n")


def reminders(prefix: str, count: int, token: str) -> None:
    from datetime import timedelta

    from django.test.utils import setup_test_environment
    from django.utils import timezone
    from rest_framework.test import APIClient

    from orders.messaging.models import Message
    from orders.messaging.queue import return_reminder_schedule
    from orders.models import Order, ShopSettings

    setup_test_environment()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    ShopSettings.objects.update(auto_confirm=False)  # no confirmation messages: only the reminders go out
    try:
        for n in range(count):
            response = client.post(
                "/api/v1/orders/", data=json.dumps(order_body(f"{prefix}{n}")), content_type="application/json"
            )
            assert response.status_code == 201, response.content
    finally:
        ShopSettings.objects.update(auto_confirm=True)
    orders = Order.objects.filter(external_id__startswith=prefix)
    orders.update(status="delivered", delivered_at=timezone.now() - timedelta(days=6))
    for order in orders:
        return_reminder_schedule(order=order)
    Message.objects.filter(order__in=orders).update(due_at=timezone.now())


def staff() -> None:
    from django.contrib.auth.models import Group, User

    from orders.roles import SUPERVISORS
    from orders.services.tokens import staff_token_issue

    user = User.objects.create_user("faults-supervisor", password=None, is_staff=True)
    user.groups.add(Group.objects.get(name=SUPERVISORS))
    key, _expires = staff_token_issue(user=user)
    sys.stdout.write(f"{key}\n")


def storefront(name: str) -> None:
    from orders.services.tokens import storefront_create

    _storefront, key = storefront_create(name=name)
    sys.stdout.write(f"{key}\n")


def holds(prefix: str) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from orders.events import Actor
    from orders.models import Order
    from orders.services.workflow import order_hold

    orders = Order.objects.filter(external_id__startswith=prefix)
    for order_id in orders.values_list("pk", flat=True):
        order_hold(
            order_id=order_id, reason="等买家回复", actor=Actor.system(), until=timezone.now() + timedelta(days=1)
        )
    orders.update(hold_until=timezone.now() - timedelta(seconds=1))


if __name__ == "__main__":
    django.setup()
    command, *args = sys.argv[1:]
    if command == "reminders":
        reminders(args[0], int(args[1]), args[2])
    else:
        {"setup": setup, "staff": staff, "storefront": storefront, "holds": holds}[command](*args)
