"""After-sale cases over REST (issue 16 item 4, ``API.md`` 1.1): priorities from the shop's tables with the
seed's defaults, the queue's order, overdue, the purple flag of a storefront's bad review or dispute, and
every refusal."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from orders.messaging.models import Message
from orders.models import Case, CaseDueTime, CaseRule, OrderEvent, PaymentRecord
from orders.selectors import abnormal_orders
from tests.orders.helpers import act, create_order

pytestmark = pytest.mark.django_db


def open_case(client, order: dict, kind: str, **body):
    return act(client, order, "cases", {"kind": kind, **body})


def case_post(client, case_id: int, action: str, body: dict | None = None):
    return client.post(
        f"/api/v1/cases/{case_id}/{action}/", data=json.dumps(body or {}), content_type="application/json"
    )


@pytest.fixture
def order(api, catalogue) -> dict:
    return create_order(api)


def test_a_storefront_opens_a_case_and_gets_its_priority_due_time_and_status(api, order):
    before = timezone.now()
    response = open_case(api, order, "bad_review", description="买家给了差评：发货太慢")

    assert response.status_code == 201, response.content
    body = response.json()
    assert {key: body[key] for key in ("kind", "priority", "status", "assigned_to", "urgent")} == {
        "kind": "bad_review",
        "priority": 3,
        "status": "open",
        "assigned_to": None,
        "urgent": False,
    }
    due = Case.objects.get(pk=body["id"]).due_at
    assert before + timedelta(hours=24) <= due <= timezone.now() + timedelta(hours=24)
    assert [note["kind"] for note in body["notes"]] == ["opened"]
    assert OrderEvent.objects.filter(order_id=order["id"], type="case_opened", data__case=body["id"]).exists()


@pytest.mark.parametrize(
    ("kind", "urgent", "priority", "hours"),
    [
        ("dispute", False, 2, 4),
        ("complaint", False, 2, 4),
        ("bad_review", False, 3, 24),
        ("logistics", False, 4, 48),
        ("refund", False, 4, 48),
        ("dispute", True, 1, 2),
        ("bad_review", True, 2, 4),
        ("logistics", True, 3, 24),
    ],
)
def test_the_seeds_default_priorities_and_due_times(agent_api, order, kind, urgent, priority, hours):
    body = open_case(agent_api, order, kind, urgent=urgent).json()

    case = Case.objects.get(pk=body["id"])
    assert body["priority"] == priority
    assert timedelta(hours=hours) - timedelta(minutes=1) < case.due_at - case.created_at <= timedelta(hours=hours)


def test_priorities_and_due_times_are_the_shops_data(agent_api, order):
    CaseRule.objects.filter(kind="logistics").update(priority=1)
    CaseDueTime.objects.filter(priority=1).update(hours=1)

    body = open_case(agent_api, order, "logistics", urgent=True).json()

    case = Case.objects.get(pk=body["id"])
    assert body["priority"] == 1  # urgent never goes above 1
    assert case.due_at - case.created_at <= timedelta(hours=1)


def test_a_bad_review_and_a_logistics_case_opened_together_are_listed_bad_review_first(api, agent_api, order):
    logistics = open_case(api, order, "logistics").json()
    review = open_case(api, order, "bad_review").json()
    quality = open_case(api, order, "quality").json()
    urgent_logistics = open_case(api, order, "logistics", urgent=True).json()
    dispute = open_case(api, order, "dispute").json()

    rows = agent_api.get("/api/v1/cases/?status=open").json()["results"]

    assert [row["id"] for row in rows] == [
        dispute["id"],
        review["id"],
        urgent_logistics["id"],  # urgent moves it up one step: beside a bad review, due sooner
        logistics["id"],
        quality["id"],
    ]


def test_overdue_cases_are_marked_and_filtered(agent_api, order):
    late = open_case(agent_api, order, "logistics").json()
    fresh = open_case(agent_api, order, "logistics").json()
    Case.objects.filter(pk=late["id"]).update(due_at=timezone.now() - timedelta(minutes=5))

    rows = agent_api.get("/api/v1/cases/").json()["results"]
    overdue = agent_api.get("/api/v1/cases/?overdue=true").json()["results"]

    assert [(row["id"], row["overdue"]) for row in rows] == [(late["id"], True), (fresh["id"], False)]
    assert [row["id"] for row in overdue] == [late["id"]]


def test_an_agent_assigns_notes_and_resolves(agent_api, staff_api, order):
    case = open_case(agent_api, order, "refund").json()
    colleague = staff_api("supervisors")

    mine = case_post(agent_api, case["id"], "assign")
    theirs = case_post(agent_api, case["id"], "assign", {"assigned_to": colleague.user.pk})
    waiting = case_post(colleague, case["id"], "note", {"note": "已致歉，等买家发照片", "status": "waiting_buyer"})
    resolved = case_post(colleague, case["id"], "resolve", {"outcome": "explained", "note": "已解释"})

    assert mine.json()["assigned_to"] == agent_api.user.username
    assert mine.json()["status"] == "in_progress"
    assert theirs.json()["assigned_to"] == colleague.user.username
    assert waiting.json()["status"] == "waiting_buyer"
    body = resolved.json()
    assert (body["status"], body["outcome"], body["overdue"]) == ("resolved", "explained", False)
    assert [note["kind"] for note in body["notes"]] == ["opened", "assigned", "assigned", "note", "resolved"]
    types = OrderEvent.objects.filter(order_id=order["id"], type__startswith="case_").values_list("type", flat=True)
    assert list(types) == ["case_opened", "case_assigned", "case_assigned", "case_noted", "case_resolved"]
    assert agent_api.get("/api/v1/cases/?status=open").json()["results"] == []
    assert agent_api.get(f"/api/v1/cases/?assigned_to={colleague.user.username}").json()["count"] == 1


@pytest.mark.parametrize("kind", ["bad_review", "dispute"])
def test_a_storefronts_bad_review_or_dispute_flags_the_order_purple_until_resolved(api, agent_api, order, kind):
    case = open_case(api, order, kind, description="买家投诉发错货").json()

    flagged = agent_api.get(f"/api/v1/orders/{order['id']}/").json()["flags"]
    assert [(flag["colour"], flag["category"]) for flag in flagged if flag["category"] == "abnormal"] == [
        ("purple", "abnormal")
    ]
    assert abnormal_orders().filter(pk=order["id"], abnormal_purple_flag=True).exists()

    case_post(agent_api, case["id"], "resolve", {"outcome": "review_updated"})

    after = agent_api.get(f"/api/v1/orders/{order['id']}/").json()["flags"]
    assert [flag for flag in after if flag["category"] == "abnormal"] == []
    assert OrderEvent.objects.filter(order_id=order["id"], type="flag_cleared", data__reason="case_resolved").exists()


def test_a_logistics_case_or_an_agents_bad_review_raises_no_flag(api, agent_api, order):
    open_case(api, order, "logistics")
    open_case(agent_api, order, "bad_review")

    flags = agent_api.get(f"/api/v1/orders/{order['id']}/").json()["flags"]
    assert [flag for flag in flags if flag["category"] == "abnormal"] == []


def test_a_case_on_another_storefronts_order_is_not_found(other_api, order):
    response = open_case(other_api, order, "bad_review")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not Case.objects.exists()


def test_the_warehouse_reads_the_queue_but_cannot_resolve_or_open(agent_api, warehouse_api, order):
    case = open_case(agent_api, order, "logistics").json()

    listed = warehouse_api.get("/api/v1/cases/")
    resolve = case_post(warehouse_api, case["id"], "resolve", {"outcome": "explained"})
    opened = open_case(warehouse_api, order, "logistics")

    assert listed.status_code == 200
    assert (resolve.status_code, resolve.json()["code"]) == (403, "permission_denied")
    assert opened.status_code == 403
    assert Case.objects.get(pk=case["id"]).status == "open"


def test_storefronts_do_not_read_the_queue_or_resolve(api, agent_api, order):
    case = open_case(agent_api, order, "logistics").json()

    assert api.get("/api/v1/cases/").status_code == 403
    assert case_post(api, case["id"], "resolve", {"outcome": "explained"}).status_code == 403


def test_refusals_are_json_with_stable_codes(agent_api, warehouse_api, order):
    case = open_case(agent_api, order, "logistics").json()
    case_post(agent_api, case["id"], "resolve", {"outcome": "explained"})

    unknown_kind = open_case(agent_api, order, "lost_parcel")
    no_such_case = case_post(agent_api, 999999, "resolve", {"outcome": "explained"})
    again = case_post(agent_api, case["id"], "resolve", {"outcome": "explained"})
    bad_outcome = case_post(agent_api, case["id"], "resolve", {"outcome": "shrugged"})
    not_an_agent = case_post(agent_api, case["id"], "assign", {"assigned_to": warehouse_api.user.pk})
    empty_note = case_post(agent_api, case["id"], "note", {"note": " "})

    assert (unknown_kind.status_code, unknown_kind.json()["code"], list(unknown_kind.json()["fields"])) == (
        400,
        "invalid",
        ["kind"],
    )
    assert (no_such_case.status_code, no_such_case.json()["code"]) == (404, "not_found")
    assert (again.status_code, again.json()["code"]) == (409, "case_resolved")
    assert (bad_outcome.status_code, bad_outcome.json()["code"]) == (400, "invalid")
    assert not_an_agent.status_code == 409  # resolved first: nothing more happens on a closed case
    assert empty_note.status_code == 400


def test_an_assignee_must_be_an_agent(agent_api, warehouse_api, order):
    case = open_case(agent_api, order, "logistics").json()

    response = case_post(agent_api, case["id"], "assign", {"assigned_to": warehouse_api.user.pk})

    assert (response.status_code, list(response.json()["fields"])) == (400, ["assigned_to"])


def test_the_queue_filters_and_pages(agent_api, order):
    for kind in ("logistics", "quality", "refund"):
        open_case(agent_api, order, kind)

    page = agent_api.get("/api/v1/cases/?page_size=2").json()
    refunds = agent_api.get("/api/v1/cases/?kind=refund").json()

    assert (page["count"], len(page["results"]), page["next"] is not None) == (3, 2, True)
    assert [row["kind"] for row in refunds["results"]] == ["refund"]
    assert agent_api.get("/api/v1/cases/?status=nonsense").status_code == 400
    assert agent_api.get("/api/v1/cases/?page_size=many").json()["code"] == "invalid"


def _refund_due(api, agent_api) -> dict:
    """A paid order the agent gave 5.00 off: 5.00 to return to the buyer."""
    order = create_order(api)
    assert act(agent_api, order, "adjust-price", {"amount": "-5.00", "reason": "质量瑕疵补偿"}).status_code == 200
    return order


def test_a_refund_case_is_resolved_by_recording_the_refund_and_the_buyer_is_told(
    api, agent_api, supervisor_api, catalogue
):
    order = _refund_due(api, agent_api)
    case = open_case(api, order, "refund", description="买家要求退差价").json()
    body = {"outcome": "refunded", "note": "已退 5 元", "refund": {"amount": "5.00", "reference": "RF-CASE-1"}}

    response = case_post(supervisor_api, case["id"], "resolve", body)

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["outcome"]) == ("resolved", "refunded")
    refunds = PaymentRecord.objects.filter(order_id=order["id"], kind="refund")
    assert [(str(r.amount), r.reference, r.reason) for r in refunds] == [("5.00", "RF-CASE-1", "已退 5 元")]
    assert Message.objects.filter(order_id=order["id"], kind="refund_issued").count() == 1
    types = list(OrderEvent.objects.filter(order_id=order["id"]).values_list("type", flat=True))
    assert types.index("refund_recorded") < types.index("case_resolved")
    assert agent_api.get(f"/api/v1/orders/{order['id']}/").json()["refund_due"] == "0.00"


def test_an_agent_refunds_within_her_roles_limit_and_no_more(api, agent_api, catalogue):
    """Agents work the cases: a refund within the limit of their price edits (10% of the goods or 50.00) is
    theirs to record; a larger one is a supervisor's (the REST refunds endpoint stays the storefront's and
    the supervisors', API.md)."""
    order = _refund_due(api, agent_api)
    case = open_case(api, order, "refund").json()
    too_much = {"outcome": "refunded", "refund": {"amount": "20.00", "reference": "RF-CASE-1"}}
    within = {"outcome": "refunded", "refund": {"amount": "5.00", "reference": "RF-CASE-2"}}

    refused = case_post(agent_api, case["id"], "resolve", too_much)
    assert (refused.status_code, refused.json()["code"]) == (403, "permission_denied")
    assert "9.90" in refused.json()["message"]
    assert Case.objects.get(pk=case["id"]).status == "open"
    assert not PaymentRecord.objects.filter(order_id=order["id"]).exists()

    resolved = case_post(agent_api, case["id"], "resolve", within)

    assert resolved.status_code == 200, resolved.content
    assert [str(r.amount) for r in PaymentRecord.objects.filter(order_id=order["id"], kind="refund")] == ["5.00"]
    assert Message.objects.filter(order_id=order["id"], kind="refund_issued").count() == 1


def test_refunded_needs_a_refund_on_the_order(api, agent_api, catalogue):
    order = _refund_due(api, agent_api)
    case = open_case(api, order, "refund").json()

    missing = case_post(agent_api, case["id"], "resolve", {"outcome": "refunded"})
    refund = {"amount": "5.00", "reference": "TB-RF-1", "reason": "退差价"}
    assert act(api, order, "refunds", refund).status_code == 201  # the storefront refunded on the marketplace
    resolved = case_post(agent_api, case["id"], "resolve", {"outcome": "refunded"})

    assert (missing.status_code, missing.json()["code"]) == (409, "case_refund_missing")
    assert resolved.status_code == 200
    assert PaymentRecord.objects.filter(order_id=order["id"], kind="refund").count() == 1


def test_a_refund_past_the_refund_due_leaves_the_case_open(api, agent_api, supervisor_api, catalogue):
    order = _refund_due(api, agent_api)
    case = open_case(api, order, "refund").json()
    too_much = {"outcome": "refunded", "refund": {"amount": "50.00", "reference": "RF-CASE-2"}}
    not_refunded = {"outcome": "explained", "refund": {"amount": "5.00", "reference": "RF-CASE-3"}}

    over = case_post(supervisor_api, case["id"], "resolve", too_much)
    wrong_outcome = case_post(supervisor_api, case["id"], "resolve", not_refunded)

    assert (over.status_code, over.json()["code"]) == (409, "refund_exceeds_due")
    assert (wrong_outcome.status_code, list(wrong_outcome.json()["fields"])) == (400, ["refund"])
    assert Case.objects.get(pk=case["id"]).status == "open"
    assert not PaymentRecord.objects.filter(order_id=order["id"]).exists()


def _delivered(api, agent_api, warehouse_api) -> dict:
    """A paid order (99.00 + 6.00) the warehouse shipped and the buyer received."""
    order = create_order(api)
    assert act(agent_api, order, "confirm").status_code == 200
    shipped = act(warehouse_api, order, "ship", {"courier": "ZTO", "tracking_number": "753456789012"})
    assert shipped.status_code == 200, shipped.content
    assert act(warehouse_api, order, "deliver", {}).status_code == 200
    return order


def test_a_quality_case_after_delivery_refunds_by_lowering_what_the_goods_cost(
    api, agent_api, supervisor_api, warehouse_api, catalogue
):
    order = _delivered(api, agent_api, warehouse_api)
    case = open_case(api, order, "quality", description="衣服有色差，买家要求补偿").json()
    body = {"outcome": "refunded", "note": "补偿 20 元", "refund": {"amount": "20.00", "reference": "RF-QA-1"}}

    response = case_post(supervisor_api, case["id"], "resolve", body)

    assert response.status_code == 200, response.content
    detail = agent_api.get(f"/api/v1/orders/{order['id']}/").json()
    assert (detail["totals"]["adjustment"], detail["totals"]["total"]) == ("-20.00", "85.00")
    assert (detail["amount_paid"], detail["refund_due"], detail["balance_due"]) == ("85.00", "0.00", "0.00")
    assert Message.objects.filter(order_id=order["id"], kind="refund_issued").count() == 1
    types = list(OrderEvent.objects.filter(order_id=order["id"]).values_list("type", flat=True))
    assert types.index("price_adjusted") < types.index("refund_recorded") < types.index("case_resolved")


def test_an_after_sale_refund_past_what_the_goods_cost_changes_nothing(
    api, agent_api, supervisor_api, warehouse_api, catalogue
):
    order = _delivered(api, agent_api, warehouse_api)
    case = open_case(api, order, "quality").json()
    body = {"outcome": "refunded", "refund": {"amount": "500.00", "reference": "RF-QA-2"}}

    response = case_post(supervisor_api, case["id"], "resolve", body)

    assert (response.status_code, response.json()["code"]) == (400, "negative_total")
    assert Case.objects.get(pk=case["id"]).status == "open"
    assert not PaymentRecord.objects.filter(order_id=order["id"], kind="refund").exists()
    assert agent_api.get(f"/api/v1/orders/{order['id']}/").json()["totals"]["total"] == "105.00"
