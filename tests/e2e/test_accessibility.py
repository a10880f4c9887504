"""Zero serious or critical axe-core violations on the screens people work in: the order page, the
order lists, the queue, the pick list and the buyer's page."""

import pytest

from orders.events import Actor
from orders.messaging.links import buyer_link_issue
from orders.models import Order
from orders.roles import AGENTS, SUPERVISORS, WAREHOUSE
from orders.services.edits import OrderChanges, order_edit
from tests.e2e.axe import grave_violations

LISTS = {
    AGENTS: ["/admin/orders/confirmationqueue/", "/admin/orders/order/"],
    WAREHOUSE: ["/admin/orders/order/", "/admin/orders/order/?flag=yellow", "/admin/orders/order/?flag=red"],
    SUPERVISORS: ["/admin/", "/admin/orders/abnormalorder/", "/admin/orders/failedmessage/"],
}


@pytest.fixture
def orders(demo_shop) -> list[Order]:
    """The demo's orders, the first one with its address changed by an agent: a yellow flag."""
    edited = Order.objects.filter(status="pending_confirmation").order_by("id").first()
    order_edit(order_id=edited.pk, changes=OrderChanges(address={"street": "文三路 479 号"}), actor=Actor.system())
    return list(Order.objects.order_by("id"))


def _variety(orders: list[Order]) -> list[Order]:
    """Orders that between them show every part of the order page: flags of each kind, merge hints,
    messages, shipped and delivered ones (axe takes a second or two a page)."""
    with_flags = [order for order in orders if order.flags.exists()][:6]
    shipped = [order for order in orders if order.status in ("shipped", "delivered", "confirmed")]
    return list(dict.fromkeys([*with_flags, *shipped, *orders[:2]]))


@pytest.mark.parametrize("role", [AGENTS, WAREHOUSE, SUPERVISORS])
def test_each_roles_screens_have_no_grave_violations(server_url, page, login_as, orders, screenshot, role):
    login_as(role)
    ids = ",".join(str(order.pk) for order in orders)
    shown = _variety(orders) if role == SUPERVISORS else orders[:3]
    paths = [
        *LISTS[role],
        f"/admin/warehouse/pick-list/?ids={ids}",
        *(f"/admin/orders/order/{order.pk}/change/" for order in shown),
    ]

    found = {}
    for path in paths:
        page.goto(f"{server_url}{path}")
        found[path] = grave_violations(page)

    screenshot(page, f"axe-{role}-last-order")
    assert {path: violations for path, violations in found.items() if violations} == {}


def test_the_buyers_page_has_no_grave_violations(server_url, new_page, make_order):
    order = make_order(special_requests={"gift_wrap": True, "card_message": "生日快乐"})
    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    token = buyer_link_issue(order=order, valid_days=7)
    phone.goto(f"{server_url}/c/{token}/")

    assert grave_violations(phone) == []
