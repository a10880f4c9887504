"""The number of SQL queries of every REST action on an order, exactly: an N+1 or a second detail load fails here.

Each action is one request of a client that has already made one, on an order made ready for it over REST: the
storefront's token, the shop's rules and the flag categories are cached, as in a running service. A staff
user's token comes with the user and its permissions in one query. A changing action runs its service (a
storefront's after one ``EXISTS`` for its scope; staff's service answers 404 itself) and renders the order from
ONE query after it, its relations as JSON columns (``OrderViewMixin.change``, ``order_detail_fetch``);
``retrieve`` renders from that one query too.

The same numbers hold on SQLite (the unit layer) and PostgreSQL (run it with ``DATABASE_URL`` on your
PostgreSQL database): ``select_for_update`` and the atomic blocks' savepoints are one query each on both.
The one backend-dependent path on these requests, a NEW buyer's upsert (PostgreSQL ``INSERT … ON CONFLICT``;
SQLite a select, a savepoint and an insert), is kept out: the buyer of ``create`` exists already. The other:
on PostgreSQL intake writes all of a new order's rows in one statement (``orders.services.intake_rows``), on
SQLite one insert per table (``CREATE_ON_POSTGRESQL``). A change
that moves a count on purpose updates ``EXPECTED`` and says why in its commit.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import SHANGHAI_WORK, order_payload
from tests.orders.helpers import act, create_order

pytestmark = pytest.mark.django_db

TEE = {"sku": "TEE-RED-M", "quantity": 1, "unit_price": "99.00"}
SHOE = {"sku": "SHOE-WHITE-40", "quantity": 1}


@dataclass
class Clients:
    storefront: object
    agent: object
    warehouse: object


@dataclass
class Call:
    """One measured request: who sends it, how, where, with what body, and the status it must answer."""

    client: object
    method: str
    path: str
    body: dict | None = None
    status: int = 200

    def send(self):
        kwargs = {"data": json.dumps(self.body), "content_type": "application/json"} if self.body is not None else {}
        return getattr(self.client, self.method)(self.path, **kwargs)


def _url(order: dict, action: str = "") -> str:
    return f"/api/v1/orders/{order['id']}/{action + '/' if action else ''}"


def _with_warning(c: Clients) -> dict:
    """An order that ships home while the buyer's default is the office: one warning."""
    return create_order(c.storefront, customer={"default_address": SHANGHAI_WORK})


def _acknowledged(c: Clients) -> dict:
    order = _with_warning(c)
    assert act(c.agent, order, "checks/address.not_default/acknowledge", {"note": "已与买家核对"}).status_code == 200
    return order


def _confirmed(c: Clients) -> dict:
    order = _acknowledged(c)
    assert act(c.agent, order, "confirm").status_code == 200
    return order


def _shipped(c: Clients) -> dict:
    order = _confirmed(c)
    assert act(c.warehouse, order, "ship", {"courier": "ZTO", "tracking_number": "753456789012"}).status_code == 200
    return order


def _pending(c: Clients) -> dict:
    return create_order(c.storefront)


def create(c: Clients) -> Call:
    _pending(c)  # the shop's rules and the flag categories are cached by an earlier order, as in a running service
    return Call(c.storefront, "post", "/api/v1/orders/", order_payload(), status=201)


def retrieve(c: Clients) -> Call:
    return Call(c.agent, "get", _url(_confirmed(c)))


def list_(c: Clients) -> Call:
    for _ in range(3):
        _pending(c)
    return Call(c.agent, "get", "/api/v1/orders/")


def abnormal(c: Clients) -> Call:
    create_order(c.storefront, lines=[{"sku": "NOPE-1", "quantity": 1, "unit_price": "5.00"}])  # a blocker
    return Call(c.agent, "get", "/api/v1/orders/abnormal/")


def partial_update(c: Clients) -> Call:
    order = create_order(c.storefront, payment_status="unpaid")
    body = {"lines": [{"id": order["lines"][0]["id"], "quantity": 2}], "buyer_note": "请周末送达"}
    return Call(c.agent, "patch", _url(order), body)


def acknowledge(c: Clients) -> Call:
    return Call(c.agent, "post", _url(_with_warning(c), "checks/address.not_default/acknowledge"), {"note": "已核对"})


def confirm(c: Clients) -> Call:
    return Call(c.agent, "post", _url(_acknowledged(c), "confirm"), {})


def hold(c: Clients) -> Call:
    return Call(c.agent, "post", _url(_pending(c), "hold"), {"reason": "买家要求暂缓"})


def release(c: Clients) -> Call:
    order = _pending(c)
    assert act(c.agent, order, "hold", {"reason": "买家要求暂缓"}).status_code == 200
    return Call(c.agent, "post", _url(order, "release"), {})


def cancel(c: Clients) -> Call:
    return Call(c.agent, "post", _url(_pending(c), "cancel"), {"reason": "买家取消"})


def recheck(c: Clients) -> Call:
    return Call(c.agent, "post", _url(_pending(c), "recheck"), {})


def flags(c: Clients) -> Call:
    return Call(c.agent, "post", _url(_pending(c), "flags"), {"category": "abnormal", "note": "外箱破损"}, status=201)


def flag_clear(c: Clients) -> Call:
    order = _pending(c)
    response = c.agent.post(_url(order, "flags"), {"category": "abnormal", "note": "外箱破损"}, format="json")
    assert response.status_code == 201, response.content
    return Call(c.agent, "delete", _url(order, f"flags/{response.json()['id']}"))


def ship(c: Clients) -> Call:
    return Call(c.warehouse, "post", _url(_confirmed(c), "ship"), {"courier": "ZTO", "tracking_number": "753456789012"})


def tracking(c: Clients) -> Call:
    body = {"tracking_number": "753456789099", "reason": "录入错误"}
    return Call(c.warehouse, "post", _url(_shipped(c), "tracking"), body)


def tracking_events(c: Clients) -> Call:
    body = {"status": "in_transit", "at": timezone.now().isoformat(), "location": "上海转运中心"}
    return Call(c.storefront, "post", _url(_shipped(c), "tracking-events"), body, status=201)


def deliver(c: Clients) -> Call:
    return Call(c.warehouse, "post", _url(_shipped(c), "deliver"), {"delivered_at": timezone.now().isoformat()})


def adjust_price(c: Clients) -> Call:
    return Call(c.agent, "post", _url(_pending(c), "adjust-price"), {"amount": "-5.00", "reason": "老客户优惠"})


def adjust_shipping(c: Clients) -> Call:
    return Call(c.agent, "post", _url(_pending(c), "adjust-shipping"), {"fee": "5.00", "reason": "运费优惠"})


def _pair(c: Clients) -> list[int]:
    """Two paid orders of one buyer to one address."""
    return [create_order(c.storefront, lines=[TEE])["id"], create_order(c.storefront, lines=[SHOE])["id"]]


def merge(c: Clients) -> Call:
    return Call(c.agent, "post", "/api/v1/orders/merge/", {"order_ids": _pair(c), "reason": "合并发货"}, status=201)


def unmerge(c: Clients) -> Call:
    response = c.agent.post("/api/v1/orders/merge/", {"order_ids": _pair(c), "reason": "合并发货"}, format="json")
    assert response.status_code == 201, response.content
    return Call(c.agent, "post", _url(response.json(), "unmerge"), {"reason": "买家要求分开发货"})


def convert(c: Clients) -> Call:
    order = create_order(c.storefront, buyer_note="请发顺丰，易碎")
    return Call(c.agent, "post", _url(order, "checks/request.in_note/convert"), {"kind": "courier"})


def messages(c: Clients) -> Call:
    return Call(c.agent, "get", _url(_confirmed(c), "messages"))


def messages_resend(c: Clients) -> Call:
    body = {"kind": "confirmation", "reason": "买家没收到"}
    return Call(c.agent, "post", _url(_confirmed(c), "messages/resend"), body, status=201)


def payment(c: Clients) -> Call:
    body = {"amount": "109.00", "reference": "ALI-1"}
    return Call(c.storefront, "post", _url(create_order(c.storefront, payment_status="unpaid"), "payments"), body, 201)


def payment_replay(c: Clients) -> Call:
    order, body = create_order(c.storefront, payment_status="unpaid"), {"amount": "109.00", "reference": "ALI-1"}
    assert act(c.storefront, order, "payments", body).status_code == 201
    return Call(c.storefront, "post", _url(order, "payments"), body)


def refund(c: Clients) -> Call:
    order = _pending(c)
    assert act(c.agent, order, "adjust-price", {"amount": "-5.00", "reason": "老客户优惠"}).status_code == 200
    body = {"amount": "5.00", "reference": "RF-1", "reason": "退差价"}
    return Call(c.storefront, "post", _url(order, "refunds"), body, status=201)


def _case(c: Clients, kind: str = "logistics") -> int:
    response = c.agent.post(_url(_pending(c), "cases"), {"kind": kind}, format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def case_open(c: Clients) -> Call:
    body = {"kind": "bad_review", "description": "差评：发货慢"}
    return Call(c.storefront, "post", _url(_pending(c), "cases"), body, status=201)


def cases(c: Clients) -> Call:
    for kind in ("logistics", "bad_review", "dispute"):
        _case(c, kind)
    return Call(c.agent, "get", "/api/v1/cases/?status=open")


def case_assign(c: Clients) -> Call:
    return Call(c.agent, "post", f"/api/v1/cases/{_case(c)}/assign/", {})


def case_note(c: Clients) -> Call:
    return Call(c.agent, "post", f"/api/v1/cases/{_case(c)}/note/", {"note": "已致歉", "status": "waiting_buyer"})


def case_resolve(c: Clients) -> Call:
    response = c.storefront.post(_url(_pending(c), "cases"), {"kind": "dispute"}, format="json")
    assert response.status_code == 201, response.content
    body = {"outcome": "explained", "note": "已解释"}
    return Call(c.agent, "post", f"/api/v1/cases/{response.json()['id']}/resolve/", body)


def _shipped_case(c: Clients, outcome: str) -> Call:
    order = _shipped(c)
    response = c.storefront.post(_url(order, "cases"), {"kind": "logistics"}, format="json")
    assert response.status_code == 201, response.content
    return Call(c.agent, "post", f"/api/v1/cases/{response.json()['id']}/resolve/", {"outcome": outcome})


def case_resend(c: Clients) -> Call:
    return _shipped_case(c, "resent")


def case_return(c: Clients) -> Call:
    return _shipped_case(c, "returned")


# Each builds its order(s) over REST and returns the request to measure.
ACTIONS: dict[str, Callable[[Clients], Call]] = {
    "create": create,
    "retrieve": retrieve,
    "list": list_,
    "abnormal": abnormal,
    "partial_update": partial_update,
    "acknowledge": acknowledge,
    "confirm": confirm,
    "hold": hold,
    "release": release,
    "cancel": cancel,
    "recheck": recheck,
    "flags": flags,
    "flag_clear": flag_clear,
    "ship": ship,
    "tracking": tracking,
    "tracking_events": tracking_events,
    "deliver": deliver,
    "adjust_price": adjust_price,
    "adjust_shipping": adjust_shipping,
    "merge": merge,
    "unmerge": unmerge,
    "convert": convert,
    "messages": messages,
    "messages_resend": messages_resend,
    "payment": payment,
    "payment_replay": payment_replay,
    "refund": refund,
    "case_open": case_open,
    "cases": cases,
    "case_assign": case_assign,
    "case_note": case_note,
    "case_resolve": case_resolve,
    "case_resend": case_resend,
    "case_return": case_return,
}

# Per request: a staff token with its user and permissions (1; a storefront's token is cached, 0, and it checks
# its scope, 1), the service, then the detail (1: the order with its relations as JSON columns).
EXPECTED = {
    "create": 10,  # no scope check, no detail load: intake hands back the order it loaded; on SQLite, see below
    "retrieve": 2,
    "list": 3,
    "abnormal": 3,
    "partial_update": 21,  # the note 请周末送达 raises a flag; the changed line raises the green lines_changed flag
    "acknowledge": 10,
    "confirm": 19,
    "hold": 8,
    "release": 12,
    "cancel": 8,
    "recheck": 9,
    "flags": 6,  # answers with the flag, not the order
    "flag_clear": 8,
    "ship": 18,  # the shipped message: its row (lines, policies, shop) in a savepoint, its event
    "tracking": 7,
    # The storefront's cached token, the scope, the lock, the replay check, the row in a savepoint, its event, the
    # order's save, then the detail (1).
    "tracking_events": 11,
    "deliver": 17,
    "adjust_price": 12,
    "adjust_shipping": 21,  # 5.00 is below the rule: opens shipping.fee_below_rule, acknowledged by the reason
    "merge": 19,  # no scope check: staff only, the service locks and refuses each order itself
    "unmerge": 19,  # + are there payments or refunds on the primary (its originals' money would be lost)
    "convert": 21,  # like an edit of the requests, then the check the last finding resolved is the agent's
    "messages": 3,
    "messages_resend": 12,
    # The money answers with the record and the order's money, not the detail: scope (1), the service (the lock,
    # the reference, the record, the event, the save, the checks again), no second load.
    "payment": 14,
    "payment_replay": 6,  # the lock and the reference: nothing written
    "refund": 19,  # + the refund_issued message and its event
    # Cases: the service (after a storefront's scope check), the shop's priority and due time (2), the case, its
    # timeline's line and the order's event; then the case with its timeline (1). No order detail.
    "case_open": 13,  # a storefront's bad review: its purple flag (look-up, insert) and the flag's event
    "cases": 3,  # the count, the page
    "case_assign": 8,
    "case_note": 8,
    "case_resolve": 11,  # a dispute's purple flag cleared, with its event
    "case_resend": 17,  # + the lock, the lines, the next -R number, the order, its lines, its event, its flag (3)
    "case_return": 12,  # + the lock, the return policies, the lines with their products, the return_accepted event
}


# The savepoint, the buyer, the catalogue, the buyer's history (1), the order's rows (1: order, line, flag, two
# check results and the event), the savepoint's release.
CREATE_ON_POSTGRESQL = 6


@pytest.mark.parametrize("name", list(ACTIONS))
def test_query_count_of_each_rest_action(name, api, agent_api, warehouse_api, catalogue):
    call = ACTIONS[name](Clients(storefront=api, agent=agent_api, warehouse=warehouse_api))
    for client in (api, agent_api, warehouse_api):  # every client's token and the shop's caches are warm
        assert client.get("/api/v1/orders/?page_size=1").status_code == 200

    with CaptureQueriesContext(connection) as captured:
        response = call.send()

    assert response.status_code == call.status, response.content
    expected = CREATE_ON_POSTGRESQL if name == "create" and connection.vendor == "postgresql" else EXPECTED[name]
    assert len(captured) == expected, f"{name}: {len(captured)} queries\n" + "\n".join(
        query["sql"] for query in captured.captured_queries
    )
