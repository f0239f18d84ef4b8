"""The review queue: what the re-check jobs found, for editors to accept or dismiss."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from pledges.admin.filters import ReviewStateFilter
from pledges.forms import SuggestionReviewForm
from pledges.models import Suggestion, SuggestionState
from pledges.services.review import suggestion_accept, suggestion_dismiss

DETAILS = [
    "kind",
    "state",
    "pledge_link",
    "company",
    "proposed_status",
    "signal",
    "sentence",
    "article",
    "snapshot_link",
    "candidate_url",
    "created_at",
    "reviewed_by",
    "reviewed_at",
    "dismiss_reason",
    "status_update",
]


@admin.register(Suggestion)
class SuggestionAdmin(SimpleHistoryAdmin):
    list_display = [
        "created_at",
        "kind",
        "pledge",
        "excerpt",
        "proposed_status",
        "snapshot_link",
        "state",
    ]
    list_display_links = ["created_at", "excerpt"]
    list_filter = [ReviewStateFilter, "kind", "proposed_status"]
    list_select_related = ["pledge", "source"]
    search_fields = ["sentence", "=pledge__ref", "pledge__title", "candidate_url"]
    ordering = ["created_at", "id"]
    readonly_fields = DETAILS

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .select_related("pledge", "company", "source", "reviewed_by", "status_update")
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the jobs propose; editors decide

    def has_change_permission(self, request: HttpRequest, obj: Suggestion | None = None) -> bool:
        if obj is not None and obj.state != SuggestionState.PENDING:
            return False  # a decision is final; its history stays
        return super().has_change_permission(request, obj)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fieldsets: list[Any] = [(None, {"fields": DETAILS})]
        if obj is not None and self.has_change_permission(request, obj):
            fieldsets.append(
                (
                    "Your decision",
                    {
                        "fields": [
                            "decision",
                            ("status", "established_on"),
                            "status_reason",
                            "explanation",
                            "reason",
                        ]
                    },
                )
            )
        return fieldsets

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> type[ModelForm]:
        kwargs["form"] = SuggestionReviewForm
        kwargs["fields"] = []  # the decision fields are the form's own
        return super().get_form(request, obj, **kwargs)

    @admin.display(description="sentence")
    def excerpt(self, obj: Suggestion) -> str:
        return Truncator(obj.sentence or obj.candidate_url).chars(140)

    @admin.display(description="pledge")
    def pledge_link(self, obj: Suggestion) -> str:
        if obj.pledge_id is None:
            return "—"
        url = reverse("admin:pledges_pledge_change", args=[obj.pledge_id])
        return format_html('<a href="{}">{}</a>', url, obj.pledge)

    @admin.display(description="article")
    def article(self, obj: Suggestion) -> str:
        if obj.source_id is None:
            return "—"
        return format_html(
            '<a href="{}" rel="noopener noreferrer nofollow" target="_blank">{}</a>',
            obj.source.url,
            obj.source,
        )

    @admin.display(description="snapshot")
    def snapshot_link(self, obj: Suggestion) -> str:
        if obj.snapshot_id is None:
            return "—"
        url = reverse("admin:pledges_snapshot_change", args=[obj.snapshot_id])
        return format_html('<a href="{}">snapshot #{}</a>', url, obj.snapshot_id)

    def save_model(self, request: HttpRequest, obj: Suggestion, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if data["decision"] == SuggestionReviewForm.ACCEPT:
            suggestion_accept(
                suggestion=obj,
                user=request.user,
                status=data.get("status") or "",
                established_on=data.get("established_on"),
                explanation=data.get("explanation") or "",
                reason=data.get("status_reason") or "",
            )
        else:
            suggestion_dismiss(suggestion=obj, user=request.user, reason=data["reason"])
        obj.refresh_from_db()

    def construct_change_message(
        self, request: HttpRequest, form: Any, formsets: Any, add: bool = False
    ) -> str:  # type: ignore[override]
        data = form.cleaned_data
        if data.get("decision") == SuggestionReviewForm.DISMISS:
            return f"Dismissed: {data.get('reason', '').strip()}"
        return f"Accepted{' as ' + data['status'] if data.get('status') else ''}."
