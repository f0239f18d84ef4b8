"""Companies, sources and status updates in the API, and the one-click dataset download."""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

from django.conf import settings
from django.db.models import Count, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from pledges.api.base import ApiMixin, csv_response, csv_stream, is_id, wants_csv
from pledges.api.filters import CompanyFilter, SourceFilter, StatusUpdateFilter
from pledges.api.listing import (
    PageRequest,
    Version,
    envelope,
    link_header,
    reject_unknown_parameters,
)
from pledges.api.schema import (
    COMPANY_PARAMETERS,
    PAGE_PARAMETERS,
    SOURCE_PARAMETERS,
    STATUS_UPDATE_PARAMETERS,
)
from pledges.api.serializers import (
    CompanySerializer,
    SourceSerializer,
    SourceWriteSerializer,
    StatusUpdateSerializer,
)
from pledges.models import Company, Pledge, PledgeSource, Source, StatusUpdate
from pledges.services import api_writes
from pledges.services.dataset import dataset_ensure
from pledges.services.sources import source_get_or_create


def _flat(value: Any) -> Any:
    """A CSV cell: lists joined by a space, nested objects by their ref or id."""
    if isinstance(value, list):
        return " ".join(str(_flat(v)) for v in value)
    if isinstance(value, dict):
        return value.get("ref") or value.get("id")
    return value


class FlatListMixin(ApiMixin):
    """List (paginated JSON, or a flat CSV of every row) and detail, with ETags."""

    filterset_class: ClassVar[type]
    stamp_field: ClassVar[str] = "updated_at"
    csv_name: ClassVar[str]

    def decorate(self, rows: QuerySet) -> QuerySet:
        """What the serializer needs beyond the filtered rows (annotations, prefetches),
        added after the count so that counting stays cheap."""
        return rows

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()  # type: ignore[misc]
        context["site_url"] = settings.SITE_URL
        return context

    def list(self, request: Request) -> Any:
        reject_unknown_parameters(request, frozenset(self.filterset_class.base_filters))
        page = PageRequest.from_request(request)
        filterset = self.filterset_class(
            request.query_params, queryset=self.get_queryset(), request=request
        )
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        rows: QuerySet = filterset.qs
        if wants_csv(request):
            return self._csv(rows, page)
        stamp = rows.order_by().aggregate(n=Count("*"), last=Max(self.stamp_field))
        version = Version.of(request, stamp["n"], stamp["last"])
        not_modified = version.not_modified(request)
        if not_modified is not None:
            version.stamp(not_modified)
            return not_modified
        page.check_exists(stamp["n"])
        objects = self.decorate(rows)[page.offset : page.offset + page.size]
        data = self.get_serializer(objects, many=True).data  # type: ignore[attr-defined]
        following, previous = page.links(request, stamp["n"])
        response = Response(envelope(stamp["n"], following, previous, data))
        links = link_header(following, previous)
        if links:
            response["Link"] = links
        version.stamp(response)
        return response

    def _csv(self, rows: QuerySet, page: PageRequest) -> Any:
        rows = self.decorate(rows)
        if page.size_given:
            rows = rows[page.offset : page.offset + page.size]
        else:
            rows = rows.iterator(chunk_size=2000)
        serializer: Serializer = self.get_serializer()  # type: ignore[attr-defined]
        header = list(serializer.fields)
        lines = csv_stream(
            header,
            (
                [_flat(item[name]) for name in header]
                for item in (serializer.to_representation(obj) for obj in rows)
            ),
        )
        return csv_response(lines, self.csv_name)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        reject_unknown_parameters(request, frozenset())
        obj = self.get_object()  # type: ignore[attr-defined]
        obj = self.decorate(type(obj).objects.filter(pk=obj.pk)).get()
        version = Version.of(request, 1, getattr(obj, self.stamp_field))
        not_modified = version.not_modified(request)
        if not_modified is not None:
            version.stamp(not_modified)
            return not_modified
        response = Response(self.get_serializer(obj).data)  # type: ignore[attr-defined]
        version.stamp(response)
        return response


class CompanyViewSet(FlatListMixin, viewsets.ReadOnlyModelViewSet):
    """Companies that made pledges, with their number of published pledges."""

    serializer_class = CompanySerializer
    filterset_class = CompanyFilter
    lookup_field = "lookup"
    lookup_value_regex = r"[^/]+"
    csv_name = "companies.csv"

    def get_queryset(self) -> QuerySet[Company]:
        return Company.objects.order_by("name", "id")

    def decorate(self, rows: QuerySet) -> QuerySet:
        published = Pledge.objects.published().filter(company=OuterRef("pk"))
        return rows.annotate(
            pledges_count=Coalesce(
                Subquery(published.order_by().values("company").annotate(n=Count("*")).values("n")),
                0,
            )
        ).prefetch_related("aliases")

    def get_object(self) -> Company:
        value = self.kwargs["lookup"]
        field = "pk" if is_id(value) else "slug"
        return get_object_or_404(self.get_queryset(), **{field: value})

    @extend_schema(parameters=[*COMPANY_PARAMETERS, *PAGE_PARAMETERS])
    def list(self, request: Request) -> Any:
        return super().list(request)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "lookup", str, OpenApiParameter.PATH, description="The company's id or slug."
            )
        ]
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return super().retrieve(request, *args, **kwargs)


class SourceViewSet(
    FlatListMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Articles cited by pledges, with their link health. Editors may add and correct them."""

    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    csv_name = "sources.csv"
    queryset = Source.objects.all()

    def get_queryset(self) -> QuerySet[Source]:
        return Source.objects.order_by("url")

    def decorate(self, rows: QuerySet) -> QuerySet:
        links = PledgeSource.objects.select_related("pledge")
        return rows.prefetch_related(Prefetch("pledge_sources", queryset=links))

    @extend_schema(parameters=[*SOURCE_PARAMETERS, *PAGE_PARAMETERS])
    def list(self, request: Request) -> Any:
        return super().list(request)

    @extend_schema(
        request=SourceWriteSerializer, responses={201: SourceSerializer, 200: SourceSerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Add a source (editors: `pledges.add_source`); an existing URL (after
        normalisation) answers 200 with the existing source, its blank details filled in."""
        serializer = SourceWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        source, created = source_get_or_create(**serializer.validated_data)
        body = self.get_serializer(self.get_queryset().get(pk=source.pk)).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=SourceWriteSerializer, responses=SourceSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Correct a source's publisher, title or date (editors: `pledges.change_source`)."""
        source = self.get_object()
        serializer = SourceWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        api_writes.source_update(source=source, data=serializer.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=source.pk)).data)


class StatusUpdateViewSet(FlatListMixin, viewsets.ReadOnlyModelViewSet):
    """Every status given to a pledge, when, why, and on what evidence (append-only)."""

    serializer_class = StatusUpdateSerializer
    filterset_class = StatusUpdateFilter
    stamp_field = "recorded_at"
    csv_name = "status-updates.csv"

    def get_queryset(self) -> QuerySet[StatusUpdate]:
        return StatusUpdate.objects.filter(pledge__is_published=True).order_by(
            "-recorded_at", "-id"
        )

    def decorate(self, rows: QuerySet) -> QuerySet:
        return rows.select_related("pledge").prefetch_related("evidence")

    @extend_schema(parameters=[*STATUS_UPDATE_PARAMETERS, *PAGE_PARAMETERS])
    def list(self, request: Request) -> Any:
        return super().list(request)


class DatasetView(ApiMixin, APIView):
    """Every published pledge in one file: `dataset.csv` (the interchange CSV) or
    `dataset.json`. Built after changes, not per request (see pledges.services.dataset)."""

    permission_classes = [permissions.AllowAny]
    kind = "csv"

    @extend_schema(responses=OpenApiResponse(OpenApiTypes.BINARY, description="The whole dataset."))
    def get(self, request: Request) -> Any:
        dataset = dataset_ensure()
        digest = hashlib.blake2b(dataset.stamp.encode(), digest_size=16).hexdigest()
        version = Version(etag=f'"{digest}-{self.kind}"', last_modified=None)
        not_modified = version.not_modified(request)
        if not_modified is not None:
            version.stamp(not_modified)
            return not_modified
        path = dataset.csv_path if self.kind == "csv" else dataset.json_path
        content_type = "text/csv; charset=utf-8" if self.kind == "csv" else "application/json"
        response = FileResponse(
            path.open("rb"),
            as_attachment=True,
            filename=f"pledges.{self.kind}",
            content_type=content_type,
        )
        version.stamp(response)
        return response
