"""The pledge admin: a pledge with its sources, places and status history on one page."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, Prefetch, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from pledges.admin.filters import (
    AnnouncedYearFilter,
    DeadlinePassedFilter,
    HasEvidenceFilter,
    LinkHealthFilter,
)
from pledges.admin.imports import PledgeImportExportMixin
from pledges.admin.ledger import LEDGER_INLINES, save_ledger_formset
from pledges.admin.sources import SOURCE_LOOKUP_JS
from pledges.forms import (
    PledgeSourceFormSet,
    PledgeSourceInlineForm,
    StatusUpdateFormSet,
    StatusUpdateInlineForm,
)
from pledges.models import Pledge, PledgeLocation, PledgeSource, Source, StatusUpdate
from pledges.services.companies import free_slug
from pledges.services.pledges import (
    pledge_refresh_search_text,
    pledge_refresh_status,
    status_update_record,
)


class PledgeSourceInline(admin.TabularInline):
    model = PledgeSource
    form = PledgeSourceInlineForm
    formset = PledgeSourceFormSet
    extra = 0
    min_num = 1  # a pledge is only as good as its sources (the CSV requires one too)

    class Media:
        js = [SOURCE_LOOKUP_JS]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("source")

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        return super().get_formset(request, obj, validate_min=True, **kwargs)


class PledgeLocationInline(admin.TabularInline):
    model = PledgeLocation
    extra = 0
    fields = ["position", "name"]


class StatusUpdateInline(admin.TabularInline):
    """Append-only: new statuses go through `status_update_record`; old ones are read-only."""

    model = StatusUpdate
    form = StatusUpdateInlineForm
    formset = StatusUpdateFormSet
    extra = 1
    fields = [
        "status",
        "established_on",
        "reason",
        "explanation",
        "evidence",
        "cite_pledge_sources",
        "recorded_by",
        "recorded_at",
    ]
    readonly_fields = ["recorded_by", "recorded_at"]
    autocomplete_fields = ["evidence"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .select_related("recorded_by")
            .prefetch_related(
                Prefetch("evidence", queryset=Source.objects.only("id", "title", "url"))
            )
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Pledge)
class PledgeAdmin(PledgeImportExportMixin, SimpleHistoryAdmin):
    list_display = [
        "ref",
        "title",
        "company",
        "announced_on",
        "jobs_promised",
        "jobs_kind",
        "status",
        "deadline",
        "source_count",
        "is_published",
    ]
    list_display_links = ["ref", "title"]
    list_filter = [
        "status",
        "jobs_kind",
        AnnouncedYearFilter,
        DeadlinePassedFilter,
        LinkHealthFilter,
        HasEvidenceFilter,
        "is_published",
    ]
    list_select_related = ["company"]
    list_per_page = 100
    search_fields = ["=ref", "title", "search_text"]
    search_help_text = "Ref, title, summary, or the company's name or aliases."
    ordering = ["-announced_on", "ref"]
    autocomplete_fields = ["company", "part_of", "reannouncement_of"]
    prepopulated_fields = {"slug": ["ref"]}
    readonly_fields = ["status", "status_on", "created_at", "updated_at"]
    inlines = [PledgeSourceInline, PledgeLocationInline, StatusUpdateInline, *LEDGER_INLINES]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["company", "title", "ref", "slug", "summary", "is_published"]}),
        (
            "The promise",
            {
                "fields": [
                    ("announced_on", "announced_by", "made_to"),
                    ("jobs_promised", "jobs_kind", "investment_usd"),
                    ("deadline", "timeframe"),
                ]
            },
        ),
        ("Status (add a status update below)", {"fields": [("status", "status_on")]}),
        (
            "Related pledges",
            {"fields": ["part_of", "reannouncement_of"], "classes": ["collapse"]},
        ),
        ("Record", {"fields": [("created_at", "updated_at")], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(_source_count=Count("pledge_sources"))

    @admin.display(description="sources", ordering="_source_count")
    def source_count(self, obj: Pledge) -> int:
        return obj._source_count  # type: ignore[attr-defined]

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> type[ModelForm]:
        form = super().get_form(request, obj, **kwargs)
        if "slug" in form.base_fields:
            form.base_fields["slug"].required = False
            form.base_fields["slug"].help_text = "Part of the public address; blank: from the ref."
        return form

    def has_delete_permission(self, request: HttpRequest, obj: Pledge | None = None) -> bool:
        """Superusers delete anything; others only drafts, one at a time (no bulk delete, since
        a selection may hold published pledges)."""
        if request.user.is_superuser:
            return True
        if obj is None or obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Pledge, form: Any, change: bool) -> None:
        if not obj.slug:
            root = free_slug(obj.ref, set(), max_length=110)
            taken = set(Pledge.objects.filter(slug__startswith=root).values_list("slug", flat=True))
            obj.slug = free_slug(obj.ref, taken, max_length=110)
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is StatusUpdate:
            self._save_status_updates(request, formset)
        elif save_ledger_formset(request, formset):
            pass  # saved through pledges.services.ledger
        else:
            super().save_formset(request, form, formset, change)

    def _save_status_updates(self, request: HttpRequest, formset: BaseInlineFormSet) -> None:
        pledge = formset.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for form in formset.deleted_forms:
            if form.instance.pk is not None:
                form.instance._history_user = request.user
                form.instance.delete()
                formset.deleted_objects.append(form.instance)
        for form in formset.extra_forms:
            if not form.has_changed() or formset._should_delete_form(form):
                continue
            data = form.cleaned_data
            evidence = list(data.get("evidence") or [])
            if data.get("cite_pledge_sources"):
                evidence += Source.objects.filter(pledge_sources__pledge=pledge)
            update = status_update_record(
                pledge=pledge,
                status=data["status"],
                established_on=data["established_on"],
                explanation=data.get("explanation", ""),
                evidence=list(dict.fromkeys(evidence)),
                user=request.user,
                reason=data.get("reason") or "",
            )
            formset.new_objects.append(update)
        if formset.deleted_objects:
            pledge_refresh_status(pledge=pledge)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        pledge_refresh_search_text(pledge=form.instance)
