"""Companies and their aliases, and merging duplicates."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from simple_history.admin import SimpleHistoryAdmin

from pledges.forms import CompanyMergeForm
from pledges.models import Company, CompanyAlias, Pledge
from pledges.services.companies import company_merge
from pledges.services.pledges import pledge_refresh_search_text


class CompanyAliasInline(admin.TabularInline):
    model = CompanyAlias
    extra = 1


@admin.register(Company)
class CompanyAdmin(SimpleHistoryAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "country", "ticker", "pledge_count", "updated_at"]
    list_filter = ["country"]
    search_fields = ["name", "aliases__name", "ticker", "=wikidata_id"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CompanyAliasInline]
    actions = ["merge_companies"]
    ordering = ["name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(_pledge_count=Count("pledges"))

    @admin.display(description="pledges", ordering="_pledge_count")
    def pledge_count(self, obj: Company) -> int:
        return obj._pledge_count  # type: ignore[attr-defined]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        renamed = "name" in form.changed_data
        if renamed or any(formset.has_changed() for formset in formsets):
            # Pledges are found by their company's names: keep their search text in step.
            for pledge in Pledge.objects.filter(company=form.instance).select_related("company"):
                pledge_refresh_search_text(pledge=pledge)

    @admin.action(description="Merge selected companies into one", permissions=["change", "delete"])
    def merge_companies(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        """Ask which company to keep, then move everything onto it."""
        companies = queryset.annotate(merge_pledge_count=Count("pledges")).order_by("name")
        if companies.count() < 2:
            messages.warning(request, "Select at least two companies to merge.")
            return None
        form = CompanyMergeForm(
            request.POST if "confirm" in request.POST else None, companies=companies
        )
        if form.is_valid():
            target = form.cleaned_data["target"]
            others = [c for c in companies if c.pk != target.pk]
            company_merge(target=target, duplicates=others, user=request.user)
            self.log_change(request, target, f"Merged {', '.join(c.name for c in others)}.")
            messages.success(
                request,
                f"Merged {len(others)} compan{'y' if len(others) == 1 else 'ies'} "
                f"into {target.name}.",
            )
            return None
        return TemplateResponse(
            request,
            "admin/pledges/company/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge companies",
                "opts": self.model._meta,
                "form": form,
                "companies": companies,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
