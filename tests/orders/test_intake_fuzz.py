"""Hypothesis drives the intake with mangled bodies: a clear 4xx or a stored order, never a 5xx."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orders.models import Order
from tests.factories import order_payload

pytestmark = pytest.mark.django_db

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=300),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)

FIELDS = [
    ("external_id",),
    ("placed_at",),
    ("payment_status",),
    ("currency",),
    ("shipping_fee",),
    ("buyer_note",),
    ("customer",),
    ("customer", "external_id"),
    ("customer", "phone"),
    ("customer", "default_address"),
    ("shipping_address",),
    ("shipping_address", "phone"),
    ("shipping_address", "province"),
    ("shipping_address", "postcode"),
    ("shipping_address", "kind"),
    ("shipping_address", "street"),
    ("lines",),
    ("lines", 0),
    ("lines", 0, "sku"),
    ("lines", 0, "quantity"),
    ("lines", 0, "unit_price"),
    ("lines", 0, "size"),
    ("special_requests",),
    ("special_requests", "courier"),
    ("special_requests", "gift_wrap"),
    ("special_requests", "engraving"),
]


def _set(body: dict, path: tuple, value) -> None:
    target = body
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


@st.composite
def mangled_bodies(draw) -> dict:
    body = order_payload(special_requests={"courier": "SF", "engraving": "致韩梅梅", "gift_wrap": True})
    for path in draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=4, unique=True)):
        try:
            _set(body, path, draw(json_values))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation replaced the parent: nothing to set
    return body


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(body=mangled_bodies())
def test_mangled_bodies_get_a_json_4xx_or_an_order_never_a_5xx(api, catalogue, body):
    before = Order.objects.count()

    response = api.post("/api/v1/orders/", data=json.dumps(body), content_type="application/json")

    assert response.status_code in {200, 201, 400, 409}, (response.status_code, response.content[:500])
    payload = response.json()
    if response.status_code == 400:
        assert payload["code"] == "invalid" and payload["fields"]
        assert Order.objects.count() == before
    elif response.status_code == 201:
        assert Order.objects.count() == before + 1
        totals = payload["totals"]
        assert float(totals["total"]) >= 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200))
def test_arbitrary_bytes_never_cause_a_5xx(api, raw):
    response = api.post("/api/v1/orders/", data=raw, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] in {"parse_error", "invalid"}
