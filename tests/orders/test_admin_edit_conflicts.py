"""An edit form saved after somebody else changed the order: the page shows what changed, keeps the
agent's own changes on the order as it is now, and a second Save applies them without undoing the other's."""

import pytest
from django.test import Client

from orders.events import Actor
from orders.models import Order
from orders.services.edits import LineChange, OrderChanges, order_edit
from tests.orders.helpers import create_order

pytestmark = pytest.mark.django_db


def edit_url(order_id: int, part: str) -> str:
    return f"/admin/orders/order/{order_id}/edit/{part}/"


def _form_data(form) -> dict:
    """What a browser posts for a form: each field's value and, for the visible ones, the value shown."""
    if form.is_bound:
        return dict(form.data.items())
    data = {}
    for bound in form:
        value = bound.value()
        data[bound.html_name] = value
        if bound.field.show_hidden_initial:
            data[bound.html_initial_name] = value
    return data


def page_data(response) -> dict:
    """The post data of the edit page as shown (forms, formset and its management form)."""
    context = response.context
    if context["formset"] is not None:
        formset = context["formset"]
        data = {**_form_data(context["version_form"]), **_form_data(formset.management_form)}
        if formset.is_bound:
            return {**data, **formset.data}
        for form in formset:
            data.update(_form_data(form))
        return data
    return _form_data(context["form"])


def somebody_else_edits(order_id: int, changes: OrderChanges) -> None:
    from django.contrib.auth.models import User

    other = User.objects.create_user("agent-li", is_staff=True)
    order_edit(order_id=order_id, changes=changes, actor=Actor(user=other))


def test_a_stale_address_form_shows_what_changed_and_saves_on_the_new_version(agent_client: Client, api, catalogue):
    # given the agent opened the address form and typed a new street
    order = create_order(api)
    url = edit_url(order["id"], "address")
    typed = page_data(agent_client.get(url)) | {"street": "漕溪北路 90 号"}
    # and meanwhile another agent changed the district
    somebody_else_edits(order["id"], OrderChanges(address={"district": "闵行区"}))

    # when the agent saves
    refused = agent_client.post(url, typed)

    # then nothing is saved, the page says what the other changed and keeps the agent's street
    assert refused.status_code == 200
    assert Order.objects.get(pk=order["id"]).ship_street != "漕溪北路 90 号"
    changed = refused.context["changed_meanwhile"]
    assert [(row.seen, row.now, row.yours) for row in changed] == [("徐汇区", "闵行区", None)]
    assert "Somebody else changed the order" in refused.content.decode()
    again = page_data(refused)
    assert (again["street"], again["district"]) == ("漕溪北路 90 号", "闵行区")

    # and Save again applies the agent's change on top of the other's
    saved = agent_client.post(url, again)
    assert saved.status_code == 302
    stored = Order.objects.get(pk=order["id"])
    assert (stored.ship_street, stored.ship_district) == ("漕溪北路 90 号", "闵行区")


def test_a_stale_lines_form_keeps_both_changes_to_one_line(agent_client: Client, api, catalogue):
    order = create_order(api, lines=[{"sku": "TEE-RED-M", "size": "M", "colour": "红色", "quantity": 1}])
    line = Order.objects.get(pk=order["id"]).lines.get()
    url = edit_url(order["id"], "lines")
    typed = page_data(agent_client.get(url)) | {"lines-0-size": "L"}
    somebody_else_edits(order["id"], OrderChanges(lines=(LineChange(line_id=line.pk, colour="白色"),)))

    refused = agent_client.post(url, typed)

    assert refused.status_code == 200
    assert [(row.label, row.seen, row.now) for row in refused.context["changed_meanwhile"]] == [
        ("#1 colour", "红色", "白色")
    ]
    assert agent_client.post(url, page_data(refused)).status_code == 302
    line.refresh_from_db()
    assert (line.colour, line.size) == ("白色", "L")


def test_a_field_both_changed_shows_the_agents_value_kept(agent_client: Client, api, catalogue):
    order = create_order(api)
    url = edit_url(order["id"], "requests")
    typed = page_data(agent_client.get(url)) | {"buyer_note": "周六送"}
    somebody_else_edits(order["id"], OrderChanges(buyer_note="周日送", requests={"gift_wrap": True}))

    refused = agent_client.post(url, typed)

    rows = {row.label: (row.seen, row.now, row.yours) for row in refused.context["changed_meanwhile"]}
    assert rows == {"gift wrap": ("no", "yes", None), "buyer note": ("请尽快发货", "周日送", "周六送")}
    assert agent_client.post(url, page_data(refused)).status_code == 302
    stored = Order.objects.get(pk=order["id"])
    assert (stored.buyer_note, stored.gift_wrap) == ("周六送", True)
