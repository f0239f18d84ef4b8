"""Pledges in the API: list (JSON or CSV, facets), detail by id|ref|slug, summary, writes.

A list request runs two statements whatever the page size (`selectors_api`): the exact count,
latest `updated_at` (the ETag and Last-Modified) and the page's ids in order; then the page's
pledges with their company, places, sources, status history and delivered jobs, as JSON built by
PostgreSQL and sent as it is. A conditional GET, or a search without `ordering`, reads the count
first (one statement more); facets add one each. A pledge by itself also carries its ledger.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from pledges import selectors, selectors_api, selectors_asof, selectors_ledger
from pledges.api.base import ApiMixin, csv_response, is_id, wants_csv
from pledges.api.filters import ORDERINGS, PLEDGE_FILTERS, ordering_expressions, pledge_filter
from pledges.api.listing import (
    PageRequest,
    Version,
    envelope_json,
    link_header,
    reject_unknown_parameters,
)
from pledges.api.schema import (
    AS_OF_PARAMETER,
    FACETS,
    PAGE_PARAMETERS,
    PLEDGE_PARAMETERS,
    SUMMARY_PARAMETERS,
)
from pledges.api.serializers import (
    PledgeAsOfSerializer,
    PledgeDetailSerializer,
    PledgePageSerializer,
    PledgeSerializer,
    PledgeWriteSerializer,
    StatusUpdateSerializer,
    StatusUpdateWriteSerializer,
    SummarySerializer,
)
from pledges.models import Pledge, StatusUpdate
from pledges.services import api_writes
from pledges.services.exports import csv_header_line, csv_lines

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
DEDUPLICATED = selectors_ledger.DEDUPLICATION_NOTE + (
    " Such a pledge is counted in `pledges` but left out of `counted_pledges` and of every sum."
    " A pledge naming several places counts in each of them."
)


def _is_iso_day(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


class CanRecordStatus(permissions.BasePermission):
    """Recording a status needs `pledges.add_statusupdate`."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("pledges.add_statusupdate"))


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
        return pledge_filter(
            selectors.api_pledges(), params if params is not None else request.query_params
        )

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
        reject_unknown_parameters(request, PLEDGE_FILTERS | {"ordering", "facet"})
        page = PageRequest.from_request(request)
        ordering = self._ordering(request)
        facets = self._facets(request)
        pledges = self._filtered(request)
        search = request.query_params.get("search", "").strip()

        if wants_csv(request):
            return self._csv(pledges, page, ordering or ["ref"])

        api_prefix, page_prefix = self._prefixes(request)
        # The count and newest change come with the page, in the same statement, unless they
        # decide something first: a conditional GET (304 before any row is read), or a search
        # without `ordering` (relevance only for focused searches).
        stamp = None
        if (ordering is None and search) or self._conditional(request):
            stamp = selectors_api.api_pledge_stamp(pledges)
            version = Version.of(request, *stamp)
            not_modified = version.not_modified(request)
            if not_modified is not None:
                version.stamp(not_modified)
                return not_modified
        if ordering is None:
            ordering = ["ref"]
            # Relevance costs a ts_rank per matching pledge: affordable for a focused search,
            # not for one that matches a large part of the database (then: by ref).
            if search and stamp is not None and stamp[0] <= RANK_LIMIT:
                ordering = [selectors.pledge_search_rank(search).desc(), "ref"]
        found = selectors_api.api_pledge_page(
            pledges,
            ordering=ordering,
            offset=page.offset,
            limit=page.size,
            api_prefix=api_prefix,
            page_prefix=page_prefix,
            with_stamp=stamp is None,
        )
        count, last = stamp or (found.count, found.last_updated)
        page.check_exists(count)
        following, previous = page.links(request, count)
        extra = {}
        if facets:
            extra["facets"] = {name: self._facet(request, name) for name in facets}
        body = envelope_json(count, following, previous, found.results, **extra)
        response = HttpResponse(body, content_type="application/json")
        links = link_header(following, previous)
        if links:
            response["Link"] = links
        Version.of(request, count, last).stamp(response)
        return response

    @staticmethod
    def _conditional(request: Request) -> bool:
        return "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META

    def _facet(self, request: Request, name: str) -> list[dict[str, Any]]:
        own = FACET_OWN_PARAMETER[name]
        params = request.query_params.copy()
        if own:
            params.pop(own, None)
        rows = selectors.pledge_facet(self._filtered(request, params), name, limit=FACET_LIMIT)
        return [{"value": value, "count": n} for value, n in rows]

    def _csv(self, pledges: QuerySet[Pledge], page: PageRequest, ordering: list[Any]) -> Any:
        if page.size_given:
            lines = selectors_api.api_pledge_csv_lines(
                pledges, ordering=ordering, offset=page.offset, limit=page.size
            )
            return csv_response(iter([csv_header_line(), *lines]), "pledges.csv")
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
        if is_id(value):
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
            ),
            AS_OF_PARAMETER,
        ],
        responses=PolymorphicProxySerializer(
            component_name="PledgeOrSnapshot",
            serializers=[PledgeDetailSerializer, PledgeAsOfSerializer],
            resource_type_field_name=None,
        ),
    )
    def retrieve(self, request: Request, lookup: str) -> Any:
        """One pledge, by id, ref or slug, with its ledger; `as_of=YYYY-MM-DD` for what the
        database said of it at the end of that day (its history)."""
        reject_unknown_parameters(request, frozenset({"as_of"}))
        day, as_of = None, request.query_params.get("as_of", "").strip()
        if as_of:  # empty: today's pledge, as for every other parameter
            try:
                day = selectors_asof.parse_as_of(as_of)
            except selectors_asof.AsOfError as error:
                # A well-formed day still to come is one the database knows nothing of yet: a
                # 404, like a day before the pledge, not a bad request.
                unknown = NotFound if _is_iso_day(as_of) else ValidationError
                raise unknown({"as_of": [str(error)]}) from None
        pledge = self.get_object()
        version = Version.of(request, 1, pledge.updated_at)
        not_modified = version.not_modified(request)
        if not_modified is not None:
            version.stamp(not_modified)
            return not_modified
        if day is not None:
            try:
                snapshot = selectors_asof.pledge_as_of(pledge, day)
            except selectors_asof.AsOfUnknown as error:
                raise NotFound({"as_of": [str(error)]}) from None
            response = Response(selectors_asof.as_of_dict(snapshot))
        else:
            response = self._pledge_response(request, pledge.pk)
        version.stamp(response)
        return response

    def _pledge_response(self, request: Request, pk: int, code: int = 200) -> HttpResponse:
        api_prefix, page_prefix = self._prefixes(request)
        body = selectors_api.api_pledge_detail_json(
            pk, api_prefix=api_prefix, page_prefix=page_prefix
        )
        return HttpResponse(body, status=code, content_type="application/json")

    @extend_schema(parameters=SUMMARY_PARAMETERS, responses=SummarySerializer)
    @action(detail=False, methods=["get"])
    def summary(self, request: Request) -> Response:
        """Counts and sums of jobs and investment of the filtered pledges, in total and by
        status, company, announced year, jobs kind and location, without double counting."""
        reject_unknown_parameters(request, PLEDGE_FILTERS)
        pledges = self._filtered(request)
        count, last = selectors.pledge_stamp(pledges)
        version = Version.of(request, count, last)
        not_modified = version.not_modified(request)
        if not_modified is not None:
            version.stamp(not_modified)
            return not_modified  # type: ignore[return-value]
        data = selectors.pledge_summary(pledges)
        response = Response(
            {
                "notice": selectors.API_NOTICE,
                "deduplicated": DEDUPLICATED,
                **data,
            }
        )
        version.stamp(response)
        return response

    # --- writing -----------------------------------------------------------------------------

    @extend_schema(request=PledgeWriteSerializer, responses={201: PledgeDetailSerializer})
    def create(self, request: Request) -> Response:
        """Add a pledge (editors: `pledges.add_pledge`)."""
        serializer = PledgeWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pledge = api_writes.pledge_create(data=serializer.validated_data, user=request.user)
        return self._pledge_response(request, pledge.pk, status.HTTP_201_CREATED)

    @extend_schema(request=PledgeWriteSerializer, responses=PledgeDetailSerializer)
    def update(self, request: Request, lookup: str, partial: bool = False) -> Response:
        """Change a pledge (editors: `pledges.change_pledge`). PATCH changes only the fields
        given."""
        pledge = self.get_object()
        serializer = PledgeWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        api_writes.pledge_update(pledge=pledge, data=serializer.validated_data, user=request.user)
        return self._pledge_response(request, pledge.pk)

    @extend_schema(request=PledgeWriteSerializer, responses=PledgeDetailSerializer)
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
                reason=data["reason"],
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
