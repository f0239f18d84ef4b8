"""Sources (added by URL alone), status updates, and the read-only rows the jobs write."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.urls import URLPattern, path, reverse
from simple_history.admin import SimpleHistoryAdmin

from pledges.forms import SourceAdminForm
from pledges.models import NewsFeed, Snapshot, Source, SourceCheck, StatusUpdate
from pledges.services.fetching import page_details
from pledges.services.sources import source_get_or_create
from pledges.urlnorm import BadURL, normalise_url

SOURCE_LOOKUP_JS = "pledges/admin/source_lookup.js"


def _details(source: Source) -> dict[str, Any]:
    return {
        "title": source.title,
        "publisher": source.publisher,
        "published_on": source.published_on.isoformat() if source.published_on else "",
    }


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    form = SourceAdminForm
    list_display = ["__str__", "publisher", "published_on", "health", "last_checked_at", "cited"]
    list_filter = ["health"]
    search_fields = ["url", "title", "publisher"]
    ordering = ["url"]  # explicit: the count annotation groups, which drops Meta.ordering
    readonly_fields = [
        "health",
        "health_since",
        "last_checked_at",
        "next_check_at",
        "moved_to",
        "created_at",
        "updated_at",
    ]

    class Media:
        js = [SOURCE_LOOKUP_JS]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(_cited=Count("pledge_sources"))

    @admin.display(description="pledges citing it", ordering="_cited")
    def cited(self, obj: Source) -> int:
        return obj._cited  # type: ignore[attr-defined]

    def get_fields(self, request: HttpRequest, obj: Source | None = None) -> list[str]:
        fields = ["url", "title", "publisher", "published_on"]
        return fields if obj is None else fields + self.readonly_fields

    def get_readonly_fields(self, request: HttpRequest, obj: Source | None = None) -> list[str]:
        return [] if obj is None else self.readonly_fields

    def get_urls(self) -> list[URLPattern]:
        lookup = path(
            "lookup/",
            self.admin_site.admin_view(self.lookup_view),
            name="pledges_source_lookup",
        )
        return [lookup, *super().get_urls()]

    def lookup_view(self, request: HttpRequest) -> JsonResponse:
        """JSON for the form script: the known source with this URL, or the page's details as
        fetched by the safe fetcher. Never raises on a bad URL or an unreachable page."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        url = request.GET.get("url", "").strip()
        try:
            normalised = normalise_url(url)
        except BadURL as exc:
            return JsonResponse({"error": str(exc)}, status=400)
        existing = Source.objects.filter(url=normalised).first()
        if existing is not None:
            return JsonResponse({"url": normalised, "existing": existing.pk, **_details(existing)})
        details = page_details(normalised)
        return JsonResponse(
            {
                "url": normalised,
                "existing": None,
                "title": details.title,
                "publisher": details.publisher,
                "published_on": details.published_on.isoformat() if details.published_on else "",
                "error": details.error,
            }
        )

    def save_model(self, request: HttpRequest, obj: Source, form: Any, change: bool) -> None:
        existing = getattr(form, "existing", None)
        if change or existing is None:
            super().save_model(request, obj, form, change)
            return
        # Already a source: link that one, filling in what it lacks, never a second row.
        source, _ = source_get_or_create(
            url=obj.url, title=obj.title, publisher=obj.publisher, published_on=obj.published_on
        )
        obj.pk = source.pk
        obj.refresh_from_db()
        obj._linked_existing = True  # type: ignore[attr-defined]

    def response_add(self, request: HttpRequest, obj: Source, post_url_continue: Any = None):  # type: ignore[no-untyped-def]
        if getattr(obj, "_linked_existing", False):
            messages.info(request, "This URL is already a source; here it is (nothing duplicated).")
            return HttpResponseRedirect(reverse("admin:pledges_source_change", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)


@admin.register(StatusUpdate)
class StatusUpdateAdmin(SimpleHistoryAdmin):
    """Browse and audit status updates; they are added on the pledge's page."""

    list_display = ["pledge", "status", "reason", "established_on", "recorded_by", "recorded_at"]
    list_filter = ["status", "reason"]
    list_select_related = ["pledge", "recorded_by"]
    search_fields = ["=pledge__ref", "pledge__title", "explanation"]
    fields = [
        "pledge",
        "status",
        "established_on",
        "reason",
        "explanation",
        "evidence",
        "recorded_by",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the re-check jobs write: looked at, never edited (superusers may delete)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(SourceCheck)
class SourceCheckAdmin(ReadOnlyAdmin):
    list_display = ["source", "checked_at", "outcome", "http_status"]
    list_filter = ["outcome"]
    list_select_related = ["source"]
    search_fields = ["source__url"]
    date_hierarchy = "checked_at"


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    list_display = ["source", "fetched_at", "title", "http_status", "sha256"]
    list_select_related = ["source"]
    search_fields = ["source__url", "title", "=sha256"]
    date_hierarchy = "fetched_at"


@admin.register(NewsFeed)
class NewsFeedAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["__str__", "url", "is_active", "last_polled_at", "last_error"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    readonly_fields = ["etag", "last_modified", "last_polled_at", "last_error"]
