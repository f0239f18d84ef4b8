"""Public pages of the jobs ledger: the sources behind each funnel number, a pledge as the
database described it on a past day (`?as_of=`), the funnel's figures for templates, and the
bulk dumps for download."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.generic import ListView

from pledges import selectors, selectors_asof, selectors_ledger
from pledges.models import Pledge
from pledges.params import parse_pledge_params
from pledges.services import bulk_dump


def funnel_figures(funnel: dict[str, Any], query: str = "") -> list[dict[str, Any]]:
    """The funnel's stages for a template: label, jobs, pledges, definition, and the address
    of the page listing the pledges and sources behind the number."""
    return [
        {
            "stage": stage,
            "label": funnel[stage]["label"],
            "definition": funnel[stage]["definition"],
            "jobs": funnel[stage]["jobs"],
            "pledges": funnel[stage]["pledges"],
            "url": selectors_ledger.funnel_stage_path(stage, query),
        }
        for stage in selectors_ledger.FUNNEL_STAGES
    ]


class FunnelStageView(ListView):
    """The countable pledges behind one funnel number, for the list's filters (e.g.
    `?company=foxconn`), with what each contributes and the sources: the announcement, the
    observation that counts as delivered, the company's statements crediting a politician."""

    template_name = "pledges/funnel_stage.html"
    context_object_name = "pledges"
    paginate_by = 50

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if kwargs["stage"] not in selectors_ledger.FUNNEL_STAGES:
            raise Http404("No such stage of the funnel.")
        self.params = parse_pledge_params(request.GET)
        response = super().get(request, *args, **kwargs)
        if self.params.errors:
            response.status_code = 400
        return response

    def get_queryset(self) -> Any:
        queryset, _errors = selectors.filter_pledges(selectors.pledge_list(), self.params)
        self.selection = queryset
        return selectors_ledger.funnel_stage_pledges(queryset, self.kwargs["stage"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        stage = self.kwargs["stage"]
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            stage=stage,
            label=selectors_ledger.FUNNEL_STAGES[stage],
            definition=selectors_ledger.FUNNEL_DEFINITIONS[stage],
            rows=selectors_ledger.funnel_stage_rows(list(context["pledges"]), stage),
            funnel=funnel_figures(selectors_ledger.funnel(self.selection), query.urlencode()),
            errors=self.params.errors,
            query=query.urlencode(),
            deduplicated=selectors_ledger.DEDUPLICATION_NOTE,
        )
        return context

    def get_paginator(self, queryset: Any, per_page: int, **kwargs: Any) -> Paginator:
        return Paginator(queryset, per_page, **kwargs)


def pledge_as_of_response(request: HttpRequest, pledge: Pledge, value: str) -> HttpResponse:
    """The pledge page of a past day (`?as_of=YYYY-MM-DD`): 400 with the reason for a bad
    date, 404 with the reason when the history holds no version of that day."""
    try:
        day = selectors_asof.parse_as_of(value)
    except selectors_asof.AsOfError as exc:
        return render(
            request, "pledges/as_of_error.html", {"pledge": pledge, "message": str(exc)}, status=400
        )
    try:
        snapshot = selectors_asof.pledge_as_of(pledge, day)
    except selectors_asof.AsOfUnknown as exc:
        return render(
            request, "pledges/as_of_error.html", {"pledge": pledge, "message": str(exc)}, status=404
        )
    return render(
        request,
        "pledges/pledge_as_of.html",
        {"current": pledge, "snapshot": snapshot, "old": snapshot.pledge},
    )


# --- the bulk dumps -------------------------------------------------------------------------

_CONTENT_TYPES = {
    "pledges.csv": "text/csv; charset=utf-8",
    "pledges.ndjson": "application/x-ndjson; charset=utf-8",
    "dump.sqlite": "application/vnd.sqlite3",
    "changelog.json": "application/json",
    "manifest.json": "application/json",
    "CHANGELOG.md": "text/markdown; charset=utf-8",
}


def dump_index(request: HttpRequest) -> HttpResponse:
    """The dump versions on disk, newest first, with their counts and changes."""
    versions = []
    for version in reversed(bulk_dump.dump_versions()):
        try:
            versions.append(bulk_dump.dump_manifest(version))
        except (OSError, ValueError):
            continue
    return render(
        request,
        "pledges/dumps.html",
        {"versions": versions, "files": bulk_dump.FILES, "latest": bulk_dump.dump_latest()},
    )


def dump_download(request: HttpRequest, version: str, name: str) -> FileResponse:
    """One file of a dump version (`latest` for the newest); 404 for anything else."""
    path = bulk_dump.dump_file(version, name)
    if path is None:
        raise Http404("No such dump file.")
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=name, content_type=_CONTENT_TYPES[name]
    )
    response["Cache-Control"] = "public, max-age=300"
    return response
