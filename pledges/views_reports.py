"""Staff-only pages of the stored follow-up reports: the list, one report, a section as CSV.

Anonymous visitors are sent to the login page; signed-in users who are not staff get 403.
Reports are read from their stored JSON: a page is two queries whatever the report's size.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.mixins import UserPassesTestMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse_lazy
from django.utils.safestring import mark_safe
from django.views.generic import DetailView, ListView, View

from pledges.models_reports import Report
from pledges.report_chart import chart_svg
from pledges.report_csv import section_csv
from pledges.services.reports import SECTIONS, chart_bars


class StaffOnlyMixin(UserPassesTestMixin):
    login_url = reverse_lazy("admin:login")

    def test_func(self) -> bool:
        user = self.request.user  # type: ignore[attr-defined]
        return bool(user.is_active and user.is_staff)


class ReportListView(StaffOnlyMixin, ListView):
    template_name = "reports/list.html"
    context_object_name = "reports"
    paginate_by = 50

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return (
            Report.objects.select_related("subscription")
            .defer("data")
            .order_by("-period_end", "-id")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sections"] = SECTIONS
        return context


class ReportDetailView(StaffOnlyMixin, DetailView):
    template_name = "reports/detail.html"
    context_object_name = "report"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return Report.objects.select_related("subscription")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        data = self.object.data
        context["data"] = data
        context["sections"] = data.get("sections", {})
        if context["sections"]:
            title, bars = chart_bars(data)
            # chart_svg escapes every text it draws.
            context["chart_svg"] = mark_safe(chart_svg(title=title, bars=bars))  # noqa: S308
        return context


class ReportSectionCsvView(StaffOnlyMixin, View):
    def get(self, request: HttpRequest, pk: int, section: str) -> HttpResponse:
        report = Report.objects.filter(pk=pk).only("id", "data").first()
        if (
            report is None
            or section not in SECTIONS
            or section not in report.data.get("sections", {})
        ):
            raise Http404("No such report section.")
        body = section_csv(report.data, section, site_url=settings.SITE_URL)
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="report-{pk}-{section}.csv"'
        return response
