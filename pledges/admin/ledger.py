"""The jobs ledger in the editors' workspace: inlines on the pledge page (observations, claims,
lineage links, planned-before evidence, offsetting events, subsidies, right of reply) and a
page of its own for claims, which need no pledge. Every save and delete goes through
`pledges.services.ledger`, so the rules (a source for everything, "jobs delivered" kept in step,
no loops of pledges counted inside each other) are the admin's too."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from pledges.admin.sources import SOURCE_LOOKUP_JS
from pledges.forms_ledger import (
    ClaimAdminForm,
    ClaimInlineForm,
    ObservationForm,
    OffsetEventForm,
    PledgeLinkForm,
    PriorPlanForm,
    ReplyRequestForm,
    SubsidyForm,
)
from pledges.models import (
    Claim,
    Observation,
    OffsetEvent,
    PledgeLink,
    PriorPlan,
    ReplyRequest,
    Subsidy,
)
from pledges.services.ledger import LEDGER_MODELS, ledger_entry_delete, ledger_entry_save


class LedgerInline(admin.StackedInline):
    extra = 0
    related = ("source",)

    class Media:
        js = [SOURCE_LOOKUP_JS]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related(*self.related)


class ObservationInline(LedgerInline):
    model = Observation
    form = ObservationForm
    readonly_fields = ["recorded_by", "recorded_at"]
    related = ("source", "recorded_by")
    verbose_name_plural = "observations of what was delivered (the latest credible one counts)"


class ClaimInline(LedgerInline):
    model = Claim
    form = ClaimInlineForm
    verbose_name_plural = "claims about this pledge (politicians, officials, the company)"


class PledgeLinkInline(LedgerInline):
    model = PledgeLink
    fk_name = "pledge"
    form = PledgeLinkForm
    related = ("source", "target")
    verbose_name_plural = "lineage: this pledge supersedes or reverses an earlier one"


class PriorPlanInline(LedgerInline):
    model = PriorPlan
    form = PriorPlanForm


class OffsetEventInline(LedgerInline):
    model = OffsetEvent
    form = OffsetEventForm
    verbose_name_plural = "offsetting events (layoffs, closures by the company or its parent)"


class SubsidyInline(LedgerInline):
    model = Subsidy
    form = SubsidyForm


class ReplyRequestInline(LedgerInline):
    model = ReplyRequest
    form = ReplyRequestForm


LEDGER_INLINES = [
    ObservationInline,
    ClaimInline,
    PledgeLinkInline,
    PriorPlanInline,
    OffsetEventInline,
    SubsidyInline,
    ReplyRequestInline,
]


def save_ledger_formset(request: HttpRequest, formset: BaseInlineFormSet) -> bool:
    """Save a ledger inline through the services (True), or say it is no ledger inline."""
    if formset.model not in LEDGER_MODELS:
        return False
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.deleted_forms:
        if form.instance.pk is not None:
            ledger_entry_delete(entry=form.instance, user=request.user)
            formset.deleted_objects.append(form.instance)
    for form in formset.forms:
        if form in formset.deleted_forms or not form.has_changed():
            continue
        is_new = form.instance.pk is None
        entry = form.save(commit=False)
        setattr(entry, formset.fk.name, formset.instance)
        ledger_entry_save(entry=entry, user=request.user)
        if is_new:
            formset.new_objects.append(entry)
        else:
            formset.changed_objects.append((entry, form.changed_data))
    return True


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    """Every claim, including those with no company pledge behind them."""

    form = ClaimAdminForm
    list_display = [
        "claimant",
        "stated_on",
        "jobs_stated",
        "jobs_supported",
        "claimant_kind",
        "credits_politician",
        "pledge",
        "company",
    ]
    list_filter = ["claimant_kind", "credits_politician", ("pledge", admin.EmptyFieldListFilter)]
    list_select_related = ["pledge", "company"]
    search_fields = ["claimant", "statement", "=pledge__ref", "company__name"]
    autocomplete_fields = ["pledge", "company"]
    date_hierarchy = "stated_on"
    ordering = ["-stated_on", "-id"]

    class Media:
        js = [SOURCE_LOOKUP_JS]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("source")

    def save_model(self, request: HttpRequest, obj: Claim, form: Any, change: bool) -> None:
        ledger_entry_save(entry=obj, user=request.user)

    def delete_model(self, request: HttpRequest, obj: Claim) -> None:
        ledger_entry_delete(entry=obj, user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for claim in queryset:
            ledger_entry_delete(entry=claim, user=request.user)
