"""Query parameters of the list endpoints (shared/spec/api.md), strictly validated.

A value that cannot be understood is a 400 naming the parameter, never an ignored filter: a
journalist must not get unfiltered data while believing it filtered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError

from pledges import selectors
from pledges.models import Company, Pledge, Source, Status, StatusUpdate
from pledges.params import parse_pledge_params

ORDERINGS = selectors.PLEDGE_ORDER_COLUMNS


class CommaSeparatedWidget(forms.SelectMultiple):
    """`status=kept,broken` and `status=kept&status=broken` both give ["kept", "broken"]."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        raw = data.getlist(name) if hasattr(data, "getlist") else [data.get(name, "")]
        return [part.strip() for value in raw for part in value.split(",") if part.strip()]


class ChoiceInFilter(django_filters.MultipleChoiceFilter):
    """One or several of a fixed set of words, as a single `IN (...)`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", CommaSeparatedWidget)
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value: list[str]) -> QuerySet:
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": value})


# The pledge list's filters. They are read by `pledges.params`, the one parser of the pages
# and the API: a FilterSet would validate them again through a Django form built per request,
# most of the time of a whole API answer.
PLEDGE_FILTERS = frozenset(
    {
        "status",
        "company",
        "jobs_kind",
        "jobs_min",
        "jobs_max",
        "investment_min",
        "announced_after",
        "announced_before",
        "deadline_after",
        "deadline_before",
        "location",
        "made_to",
        "ref",
        "search",
        "updated_since",
        "has_observation",
        "delivered_min",
        "part_of",
    }
)


def pledge_filter(queryset: QuerySet[Pledge], params: Mapping[str, Any]) -> QuerySet[Pledge]:
    """`queryset` narrowed by the pledge filters of `params`, unordered; a 400 naming each
    parameter whose value cannot be understood."""
    parsed = parse_pledge_params(params, grouped_numbers=False)
    if parsed.errors:
        raise ValidationError({name: [f"{message}."] for name, message in parsed.errors.items()})
    pledges, _ = selectors.filter_pledges(queryset, parsed)
    return pledges.order_by()


def ordering_expressions(value: str) -> list[Any]:
    """ORDER BY for `ordering=[-]field` (see `selectors.pledge_ordering`); KeyError for an
    unknown field."""
    return selectors.pledge_ordering(value)


class CompanyFilter(django_filters.FilterSet):
    country = django_filters.CharFilter(field_name="country")
    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Company
        fields: list[str] = []


class SourceFilter(django_filters.FilterSet):
    health = ChoiceInFilter(choices=Source._meta.get_field("health").choices)
    pledge = django_filters.CharFilter(field_name="pledges__ref", help_text="A pledge's ref.")

    class Meta:
        model = Source
        fields: list[str] = []


class UtcDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 date-time, compared in UTC: PostgreSQL refuses offsets beyond ±15:59."""

    def clean(self, value: Any) -> Any:
        moment = super().clean(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(dt.UTC)
        except OverflowError:
            raise forms.ValidationError("Out of range once in UTC.", code="invalid") from None


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class StatusUpdateFilter(django_filters.FilterSet):
    status = ChoiceInFilter(choices=Status.choices)
    pledge = django_filters.CharFilter(field_name="pledge__ref", help_text="A pledge's ref.")
    recorded_since = UtcDateTimeFilter(field_name="recorded_at", lookup_expr="gt")

    class Meta:
        model = StatusUpdate
        fields: list[str] = []
