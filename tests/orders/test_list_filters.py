"""The lists' choice parameters take a short way past django-filter's form (orders.api.filtering): it must
filter exactly as the FilterSet does, and leave everything else (and every refusal) to the FilterSet."""

import itertools

import pytest
from django.http import QueryDict

from orders.api.views.cases import CaseFilter
from orders.api.views.common import OrderFilter
from orders.models import Order
from orders.selectors import abnormal_orders
from orders.services.cases import cases_queue

pytestmark = pytest.mark.django_db


def _choice_params(filterset_class) -> dict[str, list[str]]:
    params = {}
    for name, filter_ in filterset_class.base_filters.items():
        choices = filter_.extra.get("choices")
        if choices is not None:
            params[name] = [str(value) for value, _label in choices]
    return params


def _both(filterset_class, queryset, query: str) -> tuple[str | None, str]:
    data = QueryDict(query)
    quick = filterset_class.quick_filter(data, queryset, None)
    filterset = filterset_class(data, queryset=queryset, request=None)
    assert filterset.is_valid(), filterset.errors
    return (None if quick is None else str(quick.query)), str(filterset.qs.query)


@pytest.mark.parametrize(
    ("filterset_class", "queryset"),
    [(OrderFilter, Order.objects.all), (OrderFilter, abnormal_orders), (CaseFilter, cases_queue)],
)
def test_every_choice_filters_as_the_filterset_does(filterset_class, queryset):
    params = _choice_params(filterset_class)
    assert len(params) >= 3, params  # status and flag, or status and kind, and a typed boolean
    queries = [""] + [f"{name}={value}" for name, values in params.items() for value in values]
    # Two and three parameters at once, in both orders of the query string.
    firsts = {name: values[0] for name, values in params.items()}
    for size in (2, 3):
        for names in itertools.permutations(firsts, size):
            queries.append("&".join(f"{name}={firsts[name]}" for name in names))
    queries.append("cursor=abc&page_size=10&" + queries[1])  # not the FilterSet's: ignored by both
    for query in queries:
        quick, expected = _both(filterset_class, queryset(), query)
        assert quick == expected, query


@pytest.mark.parametrize(
    "query",
    [
        "flag=pink",  # not a choice: the FilterSet answers 400
        "status=",  # empty: the FilterSet's "no filter"
        "has_blockers=yes",
        "has_blockers=True",
        "customer=buyer-1",  # free text and dates are the FilterSet's
        "updated_after=2026-01-01T00:00:00Z",
        "flag=red&customer=buyer-1",
        "status=null",
    ],
)
def test_anything_but_valid_choices_goes_to_the_filterset(query):
    assert OrderFilter.quick_filter(QueryDict(query), Order.objects.all(), None) is None


def test_a_bad_choice_still_gets_the_filtersets_400(agent_api):
    response = agent_api.get("/api/v1/orders/?flag=pink&status=confirmed")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["fields"]) == ["flag"]
