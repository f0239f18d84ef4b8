"""Spreadsheet import (upload, preview, confirm) and CSV export of the pledge changelist.

Both reuse the command's services: `import_pledges` (through `services.admin_import`) and
`export_records` + `csv_lines`, so the admin reads and writes exactly the interchange format.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone

from pledges import selectors
from pledges.forms import ImportUploadForm
from pledges.interchange import is_ascii_number
from pledges.services import admin_import
from pledges.services.exports import csv_lines
from pledges.services.imports import InvalidFile

SESSION_KEY = "pledge_import_tokens"
MAX_PENDING_IMPORTS = 5
PREVIEW_REFS = 500


def _csv_response(queryset: QuerySet) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(selectors.export_records(queryset)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="pledges-{stamp}.csv"'
    return response


class PledgeImportExportMixin:
    """Adds import/, import/confirm/ and export/ to a ModelAdmin of Pledge."""

    actions = ["export_selected_csv"]
    change_list_template = "admin/pledges/pledge/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view  # type: ignore[attr-defined]
        return [
            path("import/", wrap(self.import_view), name="pledges_pledge_import"),
            path(
                "import/confirm/",
                wrap(self.import_confirm_view),
                name="pledges_pledge_import_confirm",
            ),
            path("export/", wrap(self.export_view), name="pledges_pledge_export"),
            *super().get_urls(),  # type: ignore[misc]
        ]

    @admin.action(description="Export selected pledges as CSV", permissions=["view"])
    def export_selected_csv(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        return _csv_response(queryset)

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """The changelist as filtered and searched (same query string), as the canonical CSV."""
        if not self.has_view_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)  # type: ignore[attr-defined]
        except IncorrectLookupParameters:
            return HttpResponseRedirect(reverse("admin:pledges_pledge_changelist"))
        return _csv_response(changelist.get_queryset(request))

    def _check_import_permission(self, request: HttpRequest) -> None:
        if not (
            self.has_add_permission(request)  # type: ignore[attr-defined]
            and self.has_change_permission(request)  # type: ignore[attr-defined]
        ):
            raise PermissionDenied

    def _render_import(self, request: HttpRequest, context: dict[str, Any]) -> TemplateResponse:
        opts = self.model._meta  # type: ignore[attr-defined]
        return TemplateResponse(
            request,
            "admin/pledges/pledge/import.html",
            {
                **self.admin_site.each_context(request),  # type: ignore[attr-defined]
                "opts": opts,
                "title": "Import pledges from a CSV file",
                "max_bytes": settings.IMPORT_MAX_UPLOAD_BYTES,
                **context,
            },
        )

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a CSV, then see the dry run: counts and every invalid line."""
        self._check_import_permission(request)
        declared = request.META.get("CONTENT_LENGTH") or "0"
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if is_ascii_number(declared, 18) and int(declared) > limit + 65536:
            # Refuse before Django reads the body into a temporary file.
            messages.error(request, f"The file is larger than the limit of {limit:,} bytes.")
            return self._render_import(request, {"form": ImportUploadForm()})
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method != "POST" or not form.is_valid():
            return self._render_import(request, {"form": form})
        upload = form.cleaned_data["file"]
        try:
            token = admin_import.upload_store(chunks=upload.chunks(), size=upload.size)
        except ValidationError as exc:
            form.add_error("file", exc)
            return self._render_import(request, {"form": form})
        report = admin_import.import_preview(token=token, user=request.user)
        if report.ok:
            pending = [*request.session.get(SESSION_KEY, []), token][-MAX_PENDING_IMPORTS:]
            request.session[SESSION_KEY] = pending
        else:
            admin_import.upload_discard(token=token)
        return self._render_import(
            request,
            {
                "report": report,
                "token": token if report.ok else "",
                "file_name": upload.name,
                "actions": list(report.actions.items())[:PREVIEW_REFS],
                "more_actions": max(0, len(report.actions) - PREVIEW_REFS),
            },
        )

    def import_confirm_view(self, request: HttpRequest) -> HttpResponse:
        """Import the previewed upload (POST with its token), or cancel it."""
        self._check_import_permission(request)
        changelist = reverse("admin:pledges_pledge_changelist")
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:pledges_pledge_import"))
        token = request.POST.get("token", "")
        pending = request.session.get(SESSION_KEY, [])
        if token not in pending:
            messages.error(request, "This import has expired; upload the file again.")
            return HttpResponseRedirect(reverse("admin:pledges_pledge_import"))
        request.session[SESSION_KEY] = [t for t in pending if t != token]
        if "cancel" in request.POST:
            admin_import.upload_discard(token=token)
            messages.info(request, "Import cancelled; nothing was imported.")
            return HttpResponseRedirect(changelist)
        try:
            report = admin_import.import_confirm(token=token, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(reverse("admin:pledges_pledge_import"))
        except InvalidFile as exc:
            admin_import.upload_discard(token=token)
            return self._render_import(request, {"report": exc.report, "token": ""})
        messages.success(
            request,
            f"Imported: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged.",
        )
        return HttpResponseRedirect(changelist)
