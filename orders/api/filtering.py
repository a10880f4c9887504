"""The list filters: django-filter's FilterSets, with a short way for the common requests.

django-filter builds a FilterSet per request, and with it deep copies of every filter, a form class
and the form's fields, then validates the form: on a list page that renders from value rows this
machinery cost more CPU than the filtering itself. Most list requests send no filter parameter, or
only choice parameters (``?flag=red``, ``?status=…``, ``?has_blockers=true``) with one of their
documented values: ``QuickFilterSet`` applies those straight to the queryset, exactly as the
FilterSet would. Anything else sent (free text, a date, a value that is not a choice, an empty one)
goes through the FilterSet as before, which stays the one place that validates and answers 400.
``tests/orders/test_list_filters.py`` holds both ways to the same SQL for every choice.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters


@dataclass(frozen=True)
class _Choice:
    """A choice filter as the short way applies it: its values, the form's coercion, the filtering."""

    values: frozenset[str]
    coerce: Callable[[str], Any] | None
    method: str | None
    field_name: str
    lookup: str


class QuickFilterSet(filters.FilterSet):
    """A FilterSet whose choice filters (``ChoiceFilter``, ``TypedChoiceFilter``, neither excluding nor
    distinct) can be applied without building the FilterSet. Their ``method``, when they name one, must
    read nothing of the FilterSet but ``request`` and ``data``; the form's own ``clean`` must not refuse
    a valid choice."""

    @classmethod
    @functools.cache
    def _choices(cls) -> dict[str, _Choice]:
        quick = {}
        for name, filter_ in cls.base_filters.items():
            if type(filter_) not in (filters.ChoiceFilter, filters.TypedChoiceFilter):
                continue
            if filter_.exclude or filter_.distinct or callable(filter_.method):
                continue
            choices = filter_.extra["choices"]
            quick[name] = _Choice(
                # Empty is "no filter" and ChoiceFilter's null value filters on NULL: both the FilterSet's.
                values=frozenset(str(value) for value, _label in choices) - {"", getattr(filter_, "null_value", "")},
                coerce=filter_.extra.get("coerce") if isinstance(filter_, filters.TypedChoiceFilter) else None,
                method=filter_.method,
                field_name=filter_.field_name,
                lookup=f"{filter_.field_name}__{filter_.lookup_expr}",
            )
        return quick

    @classmethod
    def quick_filter(cls, data, queryset: QuerySet, request) -> QuerySet | None:
        """The filtered queryset when every parameter of this FilterSet in ``data`` is a valid choice;
        None when the FilterSet must see the request (to filter or to refuse it)."""
        choices = cls._choices()
        sent = []
        for name in cls.base_filters:
            if name not in data:
                continue
            value, choice = data.get(name), choices.get(name)
            if choice is None or value not in choice.values:
                return None
            sent.append((choice, choice.coerce(value) if choice.coerce else value))
        queryset = queryset.all()
        if not sent:
            return queryset
        bound = cls.__new__(cls)  # for the filter methods: no filter copies, no form
        bound.data, bound.request, bound.queryset = data, request, queryset
        for choice, value in sent:
            if choice.method:
                queryset = getattr(bound, choice.method)(queryset, choice.field_name, value)
            else:
                queryset = queryset.filter(**{choice.lookup: value})
        return queryset


class QuickFilterBackend(filters.DjangoFilterBackend):
    """django-filter's backend (the same schema parameters, the same 400s), taking the short way of a
    ``QuickFilterSet`` when it can."""

    def filter_queryset(self, request, queryset: QuerySet, view) -> QuerySet:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and issubclass(filterset_class, QuickFilterSet):
            filtered = filterset_class.quick_filter(request.query_params, queryset, request)
            if filtered is not None:
                return filtered
        return super().filter_queryset(request, queryset, view)
