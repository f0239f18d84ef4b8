"""Pledges in the API: list (JSON or CSV, facets), detail by id|ref|slug, summary, writes.

A list request runs a fixed number of queries whatever the page size: one aggregate (exact
count and latest `updated_at`, which is also the ETag), one for the page's ids in order, four
for the pledges with their company, places, sources and status history (facets: one more
each). The JSON is built from plain rows, not model instances.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from pledges import selectors
from pledges.api.base import ApiMixin, csv_response, wants_csv
from pledges.api.filters import ORDERINGS, PledgeFilter, ordering_expressions
from pledges.api.listing import (
    PageRequest,
    Version,
    envelope,
    link_header,
    reject_unknown_parameters,
)
from pledges.api.schema import FACETS, PAGE_PARAMETERS, PLEDGE_PARAMETERS, SUMMARY_PARAMETERS
from pledges.api.serializers import (
    PledgePageSerializer,
    PledgeSerializer,
    PledgeWriteSerializer,
    StatusUpdateSerializer,
    StatusUpdateWriteSerializer,
    SummarySerializer,
)
from pledges.models import Pledge, StatusUpdate
from pledges.services import api_writes
from pledges.services.exports import csv_lines

FACET_LIMIT = 100
# Searches matching more pledges than this come in ref order unless `ordering` is given.
RANK_LIMIT = 1000
# The filter each facet ignores, so that its counts show the other values one could pick.
FACET_OWN_PARAMETER = {
    "status": "status",
    "jobs_kind": "jobs_kind",
    "company": "company",
    "location": "location",
    "announced_year": None,
}
DEDUPLICATED = (
    "A pledge that is part of, or a re-announcement of, another pledge in this selection is "
    "counted in `pledges` but left out of `counted_pledges` and of every sum (SoftBank's "
    "50,000 jobs with Sprint's 5,000 and OneWeb's 3,000 inside them add up to 50,000). A "
    "pledge naming several places counts in each of them."
)


class CanRecordStatus(permissions.BasePermission):
    """Recording a status needs `pledges.add_statusupdate`."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("pledges.add_statusupdate"))


def _filter_names() -> frozenset[str]:
    return frozenset(PledgeFilter.base_filters)


class PledgeViewSet(ApiMixin, viewsets.GenericViewSet):
    """Pledges. Anyone may read; editors with a token and the model permissions may write."""

    queryset = Pledge.objects.all()
    serializer_class = PledgeSerializer
    lookup_field = "lookup"
    lookup_url_kwarg = "lookup"
    # refs may contain dots (alibaba-2017.01), so no format suffix here.
    lookup_value_regex = r"[^/]+"

    # --- reading -----------------------------------------------------------------------------

    def _filtered(self, request: Request, params: Any | None = None) -> QuerySet[Pledge]:
        filterset = PledgeFilter(
            params if params is not None else request.query_params,
            queryset=selectors.api_pledges(),
            request=request,
        )
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return filterset.qs

    def _ordering(self, request: Request) -> list[Any] | None:
        value = request.query_params.get("ordering")
        if not value:
            return None
        try:
            return ordering_expressions(value)
        except KeyError:
            known = ", ".join(ORDERINGS)
            raise ValidationError(
                {"ordering": [f"{value!r} is not one of {known} (prefix - for descending)."]}
            ) from None

    def _facets(self, request: Request) -> list[str]:
        raw = request.query_params.get("facet", "")
        names = [name.strip() for name in raw.split(",") if name.strip()]
        unknown = [name for name in names if name not in FACETS]
        if unknown:
            raise ValidationError(
                {"facet": [f"Unknown facet {', '.join(unknown)}; use {', '.join(FACETS)}."]}
            )
        return list(dict.fromkeys(names))

    def _prefixes(self, request: Request) -> tuple[str, str]:
        from django.conf import settings

        api_prefix = request.build_absolute_uri(reverse("api:pledge-list"))
        page_prefix = settings.SITE_URL + reverse("pledges:pledge-list")
        return api_prefix, page_prefix

    @extend_schema(
        parameters=[*PLEDGE_PARAMETERS, *PAGE_PARAMETERS],
        responses={
            (200, "application/json"): PledgePageSerializer,
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="The interchange CSV (shared/spec/pledges-csv.md)"
            ),
        },
    )
    def list(self, request: Request) -> Any:
        """Pledges matching the filters, 50 a page (or `page_size`), `?format=csv` for the
        interchange CSV of the whole filtered set (or of one page with `page_size`)."""
        reject_unknown_parameters(request, _filter_names() | {"ordering", "facet"})
        page = PageRequest.from_request(request)
        ordering = self._ordering(request)
        facets = self._facets(request)
        pledges = self._filtered(request)
        search = request.query_params.get("search", "").strip()

        if wants_csv(request):
            return self._csv(pledges, page, ordering or ["ref"])

        count, last = selectors.pledge_stamp(pledges)
        version = Version.of(request, count, last)
        not_modified = version.not_modified(request)
        if not_modified is not None:
            version.stamp(not_modified)
            return not_modified
        page.check_exists(count)
        if ordering is None:
            ordering = ["ref"]
            # Relevance costs a ts_rank per matching pledge: affordable for a focused search,
            # not for one that matches a large part of the database (then: by ref).
            if search and count <= RANK_LIMIT:
                ordering = [selectors.pledge_search_rank(search).desc(), "ref"]
        ids = list(
            pledges.order_by(*ordering).values_list("id", flat=True)[
                page.offset : page.offset + page.size
            ]
        )
        api_prefix, page_prefix = self._prefixes(request)
        results = selectors.api_pledge_dicts(ids, api_prefix=api_prefix, page_prefix=page_prefix)
        following, previous = page.links(request, count)
        extra = {}
        if facets:
            extra["facets"] = {name: self._facet(request, name) for name in facets}
        response = Response(envelope(count, following, previous, results, **extra))
        links = link_header(following, previous)
        if links:
            response["Link"] = links
        version.stamp(response)
        return response

    def _facet(self, request: Request, name: str) -> list[dict[str, Any]]:
        own = FACET_OWN_PARAMETER[name]
        params = request.query_params.copy()
        if own:
            params.pop(own, None)
        rows = selectors.pledge_facet(self._filtered(request, params), name, limit=FACET_LIMIT)
        return [{"value": value, "count": n} for value, n in rows]

    def _csv(self, pledges: QuerySet[Pledge], page: PageRequest, ordering: list[Any]) -> Any:
        if page.size_given:
            ids = list(
                pledges.order_by(*ordering).values_list("id", flat=True)[
                    page.offset : page.offset + page.size
                ]
            )
            pledges = Pledge.objects.filter(id__in=ids)
        return csv_response(csv_lines(selectors.export_records(pledges)), "pledges.csv")

    def get_object(self) -> Pledge:
        """A pledge by id (digits), else by ref, else by slug: published ones for readers,
        any for editors' writes."""
        value = self.kwargs["lookup"]
        pledges = (
            selectors.api_pledges()
            if self.request.method in permissions.SAFE_METHODS
            else Pledge.objects.all()
        )
        pledge = None
        if value.isdigit():
            pledge = pledges.filter(pk=int(value)).first()
        pledge = pledge or pledges.filter(ref=value).first()
        pledge = pledge or get_object_or_404(pledges, slug=value)
        self.check_object_permissions(self.request, pledge)
        return pledge

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "lookup",
                str,
                OpenApiParameter.PATH,
                description="The pledge's id (digits), ref, or slug, tried in that order.",
            )
        ],
        responses=PledgeSerializer,
    )
    def retrieve(self, request: Request, lookup: str) -> Any:
        """One pledge, by id, ref or slug."""
        reject_unknown_parameters(request, frozenset())
        pledge = self.get_object()
        version = Version.of(request, 1, pledge.updated_at)
        not_modified = version.not_modified(request)
        if not_modified is not None:
            version.stamp(not_modified)
            return not_modified
        response = self._pledge_response(request, pledge.pk)
        version.stamp(response)
        return response

    def _pledge_response(self, request: Request, pk: int, code: int = 200) -> Response:
        api_prefix, page_prefix = self._prefixes(request)
        (data,) = selectors.api_pledge_dicts([pk], api_prefix=api_prefix, page_prefix=page_prefix)
        return Response(data, status=code)

    @extend_schema(parameters=SUMMARY_PARAMETERS, responses=SummarySerializer)
    @action(detail=False, methods=["get"])
    def summary(self, request: Request) -> Response:
        """Counts and sums of jobs and investment of the filtered pledges, in total and by
        status, company, announced year, jobs kind and location, without double counting."""
        reject_unknown_parameters(request, _filter_names())
        pledges = self._filtered(request)
        count, last = selectors.pledge_stamp(pledges)
        version = Version.of(request, count, last)
        not_modified = version.not_modified(request)
        if not_modified is not None:
            version.stamp(not_modified)
            return not_modified  # type: ignore[return-value]
        data = selectors.pledge_summary(pledges)
        response = Response({"notice": selectors.API_NOTICE, "deduplicated": DEDUPLICATED, **data})
        version.stamp(response)
        return response

    # --- writing -----------------------------------------------------------------------------

    @extend_schema(request=PledgeWriteSerializer, responses={201: PledgeSerializer})
    def create(self, request: Request) -> Response:
        """Add a pledge (editors: `pledges.add_pledge`)."""
        serializer = PledgeWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pledge = api_writes.pledge_create(data=serializer.validated_data, user=request.user)
        return self._pledge_response(request, pledge.pk, status.HTTP_201_CREATED)

    @extend_schema(request=PledgeWriteSerializer, responses=PledgeSerializer)
    def update(self, request: Request, lookup: str, partial: bool = False) -> Response:
        """Change a pledge (editors: `pledges.change_pledge`). PATCH changes only the fields
        given."""
        pledge = self.get_object()
        serializer = PledgeWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        api_writes.pledge_update(pledge=pledge, data=serializer.validated_data, user=request.user)
        return self._pledge_response(request, pledge.pk)

    @extend_schema(request=PledgeWriteSerializer, responses=PledgeSerializer)
    def partial_update(self, request: Request, lookup: str) -> Response:
        return self.update(request, lookup, partial=True)

    @extend_schema(request=StatusUpdateWriteSerializer, responses={201: StatusUpdateSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path="status-updates",
        permission_classes=[CanRecordStatus],
    )
    def status_updates(self, request: Request, lookup: str) -> Response:
        """Record a status with its evidence (editors: `pledges.add_statusupdate`). A verdict
        (kept, partially kept, broken, withdrawn, superseded) needs at least one evidence URL;
        the pledge's current status follows its latest status update."""
        pledge = self.get_object()
        serializer = StatusUpdateWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            update = api_writes.pledge_status_record(
                pledge=pledge,
                status=data["status"],
                established_on=data["established_on"],
                explanation=data["explanation"],
                evidence_urls=data["evidence"],
                user=request.user,
            )
        update = (
            StatusUpdate.objects.select_related("pledge")
            .prefetch_related("evidence")
            .get(pk=update.pk)
        )
        body = StatusUpdateSerializer(update, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)
