"""Query parameters of the list endpoints (shared/spec/api.md), strictly validated.

A value that cannot be understood is a 400 naming the parameter, never an ignored filter: a
journalist must not get unfiltered data while believing it filtered.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet

from pledges import selectors
from pledges.models import Company, JobsKind, Pledge, Source, Status, StatusUpdate

DATE_FORMATS = ["%Y-%m-%d"]

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


class WholeNumberFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        super().__init__(*args, **kwargs)


class IsoDateFilter(django_filters.DateFilter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_FORMATS)
        super().__init__(*args, **kwargs)


class PledgeFilter(django_filters.FilterSet):
    status = ChoiceInFilter(choices=Status.choices, help_text="One or several status words.")
    company = django_filters.CharFilter(field_name="company__slug", help_text="Company slug.")
    jobs_kind = ChoiceInFilter(choices=JobsKind.choices)
    jobs_min = WholeNumberFilter(field_name="jobs_promised", lookup_expr="gte")
    jobs_max = WholeNumberFilter(field_name="jobs_promised", lookup_expr="lte")
    investment_min = WholeNumberFilter(field_name="investment_usd", lookup_expr="gte")
    announced_after = IsoDateFilter(field_name="announced_on", lookup_expr="gte")
    announced_before = IsoDateFilter(field_name="announced_on", lookup_expr="lte")
    deadline_after = IsoDateFilter(field_name="deadline", lookup_expr="gte")
    deadline_before = IsoDateFilter(field_name="deadline", lookup_expr="lte")
    location = django_filters.CharFilter(method="filter_location")
    made_to = django_filters.CharFilter(field_name="made_to", lookup_expr="icontains")
    ref = django_filters.CharFilter(field_name="ref")
    search = django_filters.CharFilter(method="filter_search")
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gt")

    class Meta:
        model = Pledge
        fields: list[str] = []

    def filter_location(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(selectors.pledge_in_place(value))

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return selectors.pledge_search(queryset, value) if value else queryset


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


class StatusUpdateFilter(django_filters.FilterSet):
    status = ChoiceInFilter(choices=Status.choices)
    pledge = django_filters.CharFilter(field_name="pledge__ref", help_text="A pledge's ref.")
    recorded_since = django_filters.IsoDateTimeFilter(field_name="recorded_at", lookup_expr="gt")

    class Meta:
        model = StatusUpdate
        fields: list[str] = []
