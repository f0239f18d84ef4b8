"""Public pages: generic class-based views over selectors; no writes here."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Sum
from django.views.generic import DetailView, ListView, TemplateView

from pledges import selectors
from pledges.models import Pledge, Status


class HomeView(TemplateView):
    template_name = "pledges/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        published = Pledge.objects.published()
        context["by_status"] = (
            published.values("status")
            .annotate(n=Count("id"), jobs=Sum("jobs_promised"))
            .order_by("status")
        )
        context["latest"] = selectors.pledge_list()[:10]
        context["statuses"] = dict(Status.choices)
        return context


class PledgeListView(ListView):
    template_name = "pledges/pledge_list.html"
    context_object_name = "pledges"
    paginate_by = 50

    def get_queryset(self):  # type: ignore[no-untyped-def]
        queryset = selectors.pledge_list()
        status = self.request.GET.get("status")
        if status in Status.values:
            queryset = queryset.filter(status=status)
        return queryset


class PledgeDetailView(DetailView):
    template_name = "pledges/pledge_detail.html"
    context_object_name = "pledge"

    def get_object(self, queryset: Any = None) -> Pledge:
        return selectors.pledge_detail(self.kwargs["slug"])


class CompanyDetailView(TemplateView):
    template_name = "pledges/company_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["company"], context["pledges"] = selectors.company_detail(
            kwargs["slug"]
        )
        return context
