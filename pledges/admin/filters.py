"""Changelist filters of the pledge admin. Each one adds at most one query (its choices)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest

from pledges.interchange import is_ascii_number
from pledges.models import LinkHealth, PledgeSource, StatusUpdate, SuggestionState

YES_NO = (("yes", "Yes"), ("no", "No"))


class AnnouncedYearFilter(admin.SimpleListFilter):
    title = "year announced"
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = model_admin.model.objects.dates("announced_on", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        # Years 1-9999: Django cannot build the dates of year 0 (a 500, not a filter).
        if value and is_ascii_number(value, 4) and int(value) >= 1:
            return queryset.filter(announced_on__year=int(value))
        return queryset


class DeadlinePassedFilter(admin.SimpleListFilter):
    title = "deadline passed"
    parameter_name = "deadline_passed"

    def lookups(self, request: HttpRequest, model_admin: Any) -> tuple[tuple[str, str], ...]:
        return YES_NO

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        today = dt.date.today()
        if self.value() == "yes":
            return queryset.filter(deadline__lt=today)
        if self.value() == "no":
            return queryset.filter(Q(deadline__isnull=True) | Q(deadline__gte=today))
        return queryset


class LinkHealthFilter(admin.SimpleListFilter):
    """Pledges with at least one source in the chosen health."""

    title = "link health (any source)"
    parameter_name = "link_health"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(LinkHealth.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in LinkHealth.values:
            links = PledgeSource.objects.filter(pledge=OuterRef("pk"), source__health=self.value())
            return queryset.filter(Exists(links))
        return queryset


class HasEvidenceFilter(admin.SimpleListFilter):
    """Pledges whose status history cites at least one evidence source."""

    title = "has evidence"
    parameter_name = "has_evidence"

    def lookups(self, request: HttpRequest, model_admin: Any) -> tuple[tuple[str, str], ...]:
        return YES_NO

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        cited = StatusUpdate.evidence.through.objects.filter(statusupdate__pledge=OuterRef("pk"))
        if self.value() == "yes":
            return queryset.filter(Exists(cited))
        if self.value() == "no":
            return queryset.filter(~Exists(cited))
        return queryset


class ReviewStateFilter(admin.SimpleListFilter):
    """The review queue opens on what is pending; the rest is one click away."""

    title = "state"
    parameter_name = "state"
    ALL = "all"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [*SuggestionState.choices, (self.ALL, "All")]

    def value(self) -> str:
        return super().value() or SuggestionState.PENDING

    def choices(self, changelist: Any) -> Any:
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in SuggestionState.values:
            return queryset.filter(state=self.value())
        return queryset
