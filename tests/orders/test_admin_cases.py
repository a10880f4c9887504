"""The after-sale queue and the case page in the admin: most urgent first, overdue marked, replies that open
with an apology, and the agent's actions (assign to me, note, resolve); the warehouse only reads."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from orders.events import Actor
from orders.messaging.models import Message
from orders.models import Case, CaseReplyTemplate, PaymentRecord
from orders.services.cases import case_open, case_resolve
from tests.orders.helpers import act, create_confirmed_order, create_order

pytestmark = pytest.mark.django_db

QUEUE = "/admin/orders/case/"


@pytest.fixture
def order(api, catalogue) -> dict:
    return create_order(api)


def opened(order: dict, kind: str, urgent: bool = False, description: str = "") -> Case:
    return case_open(order_id=order["id"], kind=kind, description=description, urgent=urgent, actor=Actor.system())


def page_case_ids(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'href="/admin/orders/case/(\d+)/change/', html)]


def test_the_queue_lists_the_most_urgent_first_and_marks_the_overdue(agent_client, order):
    logistics = opened(order, "logistics")
    review = opened(order, "bad_review")
    late = opened(order, "quality")
    Case.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=1))

    response = agent_client.get(QUEUE)

    assert response.status_code == 200
    html = response.content.decode()
    assert page_case_ids(html) == [review.pk, late.pk, logistics.pk]
    assert html.count('class="case-overdue"') == 1


def test_resolved_cases_leave_the_queue_unless_asked_for(agent_client, order):
    done = opened(order, "logistics")
    Case.objects.filter(pk=done.pk).update(status="resolved", outcome="explained", resolved_at=timezone.now())
    waiting = opened(order, "refund")

    assert page_case_ids(agent_client.get(QUEUE).content.decode()) == [waiting.pk]
    assert page_case_ids(agent_client.get(f"{QUEUE}?status=all").content.decode()) == [done.pk, waiting.pk]


def test_the_case_page_shows_the_order_its_messages_and_apologising_replies(agent_client, api, agent_api, catalogue):
    order = create_confirmed_order(api, agent_api)
    case = opened(order, "logistics", description="买家说包裹一周没动")

    html = agent_client.get(f"{QUEUE}{case.pk}/change/").content.decode()

    assert order["external_id"] in html
    assert "买家说包裹一周没动" in html
    assert 'id="order-messages"' in html and "Confirmation" in html  # the confirmation message went out
    assert "非常抱歉让您久等了" in html and "We are sorry you are still waiting" in html
    assert "非常抱歉这次购物" not in html  # the bad review's reply is not offered on a parcel


def test_an_agent_assigns_the_case_to_herself_notes_and_resolves_it(agent_client, agent, order):
    case = opened(order, "refund")
    actions = f"{QUEUE}{case.pk}/act/"

    assigned = agent_client.post(f"{actions}assign/")
    noted = agent_client.post(f"{actions}note/", {"note": "已致歉，等买家回复", "status": "waiting_buyer"})
    resolved = agent_client.post(f"{actions}resolve/", {"outcome": "explained", "note": "已解释"})

    assert [r.status_code for r in (assigned, noted, resolved)] == [302, 302, 302]
    case.refresh_from_db()
    assert (case.assigned_to, case.status, case.outcome, case.resolved_by) == (agent, "resolved", "explained", agent)
    assert list(case.notes.values_list("kind", flat=True)) == ["opened", "assigned", "note", "resolved"]
    page = agent_client.get(f"{QUEUE}{case.pk}/change/").content.decode()
    assert 'id="resolve-form"' not in page  # nothing more to do on a resolved case


def test_a_refused_action_says_why_and_changes_nothing(agent_client, order):
    case = opened(order, "refund")

    response = agent_client.post(f"{QUEUE}{case.pk}/act/resolve/", {"outcome": "shrugged"})

    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "open"


def test_the_warehouse_reads_the_queue_but_cannot_work_a_case(warehouse_client, order):
    case = opened(order, "logistics")

    assert warehouse_client.get(QUEUE).status_code == 200
    page = warehouse_client.get(f"{QUEUE}{case.pk}/change/").content.decode()
    assert 'id="resolve-form"' not in page
    assert warehouse_client.post(f"{QUEUE}{case.pk}/act/resolve/", {"outcome": "explained"}).status_code == 403
    assert Case.objects.get(pk=case.pk).status == "open"


def test_the_confirmation_queue_leads_to_the_cases(agent_client):
    html = agent_client.get("/admin/orders/confirmationqueue/").content.decode()

    assert f'href="{QUEUE}" id="cases-link"' in html


def test_supervisors_edit_the_priorities_and_the_replies(supervisor_client, agent_client):
    assert supervisor_client.get("/admin/orders/caserule/").status_code == 200
    assert supervisor_client.get("/admin/orders/casereplytemplate/add/").status_code == 200
    assert agent_client.get("/admin/orders/casereplytemplate/add/").status_code == 403


@pytest.mark.parametrize(
    ("text", "apologises"),
    [
        ("非常抱歉给您带来不便！我们马上处理。", True),
        ("We are so sorry. We will look into it.", True),
        ("Please send us a photo. Sorry!", False),
        ("请提供照片。非常抱歉", False),
    ],
)
def test_a_reply_template_opens_with_an_apology(text, apologises):
    template = CaseReplyTemplate(title="t", language="zh-hans", text=text)
    if apologises:
        template.full_clean()
    else:
        with pytest.raises(ValidationError):
            template.full_clean()


def test_the_orders_history_names_the_case_its_kind_and_outcome(agent_client, agent, order):
    case = opened(order, "bad_review", description="差评")
    case_resolve(case_id=case.pk, outcome="review_updated", note="买家已追评", actor=Actor(user=agent))

    html = agent_client.get(f"/admin/orders/order/{order['id']}/change/").content.decode()

    assert "After-sale case opened" in html and "After-sale case resolved" in html
    assert "bad review" in html and "review updated" in html
    assert "bad_review" not in html


def test_an_agent_opens_a_case_from_the_order_page(agent_client, agent, order):
    page = agent_client.get(f"/admin/orders/order/{order['id']}/change/").content.decode()
    assert f'href="/admin/orders/case/open/{order["id"]}/"' in page

    response = agent_client.post(
        f"/admin/orders/case/open/{order['id']}/", {"kind": "quality", "description": "买家说衣服开线", "urgent": "on"}
    )

    case = Case.objects.get(order_id=order["id"])
    assert response["Location"] == f"/admin/orders/case/{case.pk}/change/"
    assert (case.kind, case.urgent, case.priority, case.created_by) == ("quality", True, 3, agent)
    history = agent_client.get(f"/admin/orders/order/{order['id']}/change/").content.decode()
    assert "After-sale case opened" in history


def test_opening_a_case_needs_a_kind_and_the_right(agent_client, warehouse_client, order):
    refused = agent_client.post(f"/admin/orders/case/open/{order['id']}/", {"kind": ""})

    assert refused.status_code == 200 and 'class="error"' in refused.content.decode()
    assert warehouse_client.get(f"/admin/orders/case/open/{order['id']}/").status_code == 403
    assert agent_client.get("/admin/orders/case/open/999999/").status_code == 404
    assert not Case.objects.exists()


def test_a_supervisor_resolves_a_refund_case_by_recording_the_refund(supervisor_client, api, agent_api, catalogue):
    order = create_order(api)
    assert act(agent_api, order, "adjust-price", {"amount": "-5.00", "reason": "质量瑕疵补偿"}).status_code == 200
    case = opened(order, "refund")
    page = supervisor_client.get(f"{QUEUE}{case.pk}/change/").content.decode()
    assert 'id="case-refund"' in page

    response = supervisor_client.post(
        f"{QUEUE}{case.pk}/act/resolve/",
        {"outcome": "refunded", "note": "退 5 元", "refund_amount": "5.00", "refund_reference": "RF-A-1"},
    )

    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).outcome == "refunded"
    assert PaymentRecord.objects.get(order_id=order["id"], kind="refund").reference == "RF-A-1"
    assert Message.objects.filter(order_id=order["id"], kind="refund_issued").exists()


def test_an_agent_sees_her_refund_limit_and_refunded_needs_a_refund(agent_client, order):
    case = opened(order, "refund")
    page = agent_client.get(f"{QUEUE}{case.pk}/change/").content.decode()

    refused = agent_client.post(f"{QUEUE}{case.pk}/act/resolve/", {"outcome": "refunded"})

    assert 'id="case-refund"' in page and "your role refunds at most 9.90" in page  # 10% of 99.00
    assert refused.status_code == 200 and "No refund is recorded" in refused.content.decode()
    assert Case.objects.get(pk=case.pk).status == "open"


def test_an_agent_resends_a_lost_parcel_and_the_case_page_links_the_replacement(
    agent_client, api, agent_api, warehouse_api, catalogue
):
    order = create_confirmed_order(api, agent_api)
    assert act(warehouse_api, order, "ship", {"courier": "ZTO", "tracking_number": "753456789012"}).status_code == 200
    case = opened(order, "logistics", description="快递丢件")

    response = agent_client.post(f"{QUEUE}{case.pk}/act/resolve/", {"outcome": "resent", "note": "已补发"})

    assert response.status_code == 302
    case.refresh_from_db()
    page = agent_client.get(f"{QUEUE}{case.pk}/change/").content.decode()
    assert 'id="case-replacement"' in page and f"{order['external_id']}-R1" in page
    assert case.replacement.status == "confirmed"
    # Each order's history names the other.
    original_page = agent_client.get(f"/admin/orders/order/{order['id']}/change/").content.decode()
    replacement_page = agent_client.get(f"/admin/orders/order/{case.replacement_id}/change/").content.decode()
    assert "Replacement sent" in original_page and f"{order['external_id']}-R1" in original_page
    assert "Replacement for a lost parcel" in replacement_page


def test_resending_an_order_that_has_not_shipped_says_why(agent_client, order):
    case = opened(order, "logistics")

    response = agent_client.post(f"{QUEUE}{case.pk}/act/resolve/", {"outcome": "resent"})

    assert response.status_code == 200
    assert "has not shipped" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "open"


def test_the_case_page_shows_the_parcels_tracking_news(agent_client, api, agent_api, warehouse_api, catalogue):
    order = create_confirmed_order(api, agent_api)
    assert act(warehouse_api, order, "ship", {"courier": "ZTO", "tracking_number": "753456789012"}).status_code == 200
    news = {"status": "exception", "at": timezone.now().isoformat(), "location": "上海转运中心"}
    news["description"] = "包裹破损"
    assert act(warehouse_api, order, "tracking-events", news).status_code == 201
    case = opened(order, "logistics", description="快递显示异常")

    page = agent_client.get(f"{QUEUE}{case.pk}/change/").content.decode()

    assert 'id="order-tracking"' in page and "上海转运中心" in page and "包裹破损" in page
