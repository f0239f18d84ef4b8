"""Behaviour every API view shares: strict `format`, JSON errors, cache headers, CSV."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponseBase, StreamingHttpResponse
from rest_framework import exceptions
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from pledges.api.listing import cache_headers
from pledges.interchange import csv_line_writer, is_ascii_number, neutralise_formula

FORMATS = ("json", "csv")


class CSVRenderer(BaseRenderer):
    """Lets `?format=csv` through content negotiation; list views stream the CSV
    themselves, and errors are answered in JSON whatever the format asked for."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None):
        raise exceptions.NotAcceptable("CSV is available on list endpoints only.")


def _csv_cell(value: Any) -> Any:
    # Text from editors and fetched pages (a source's title) must not run as a spreadsheet
    # formula (CSV injection), as in the interchange export.
    if value is None:
        return ""
    return neutralise_formula(value) if isinstance(value, str) else value


def csv_stream(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    writer = csv_line_writer()
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([_csv_cell(value) for value in row])


# Lines are sent in blocks of about this many characters: one write per line would cost the
# server a system call (and a chunk header) per row.
CSV_BLOCK = 64 * 1024


def _blocks(lines: Iterable[str]) -> Iterator[str]:
    block: list[str] = []
    size = 0
    for line in lines:
        block.append(line)
        size += len(line)
        if size >= CSV_BLOCK:
            yield "".join(block)
            block, size = [], 0
    if block:
        yield "".join(block)


def csv_response(lines: Iterator[str], filename: str) -> StreamingHttpResponse:
    """A CSV streamed in blocks of lines: the whole result is never held in memory."""
    response = StreamingHttpResponse(_blocks(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def django_errors(exc: DjangoValidationError) -> exceptions.ValidationError:
    """A model's ValidationError as DRF's, field by field (400)."""
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(exc.message_dict)
    return exceptions.ValidationError({"non_field_errors": exc.messages})


class ApiMixin:
    """For API views: JSON (or CSV on lists), errors always in JSON, cache headers on reads."""

    renderer_classes = [JSONRenderer, CSVRenderer]

    def perform_content_negotiation(self, request: Request, force: bool = False):
        requested = request.query_params.get("format")
        if requested is not None and requested not in FORMATS and not force:
            raise exceptions.ValidationError({"format": [f"Use one of: {', '.join(FORMATS)}."]})
        return super().perform_content_negotiation(request, force)  # type: ignore[misc]

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DjangoValidationError):
            exc = django_errors(exc)
        return super().handle_exception(exc)  # type: ignore[misc]

    def finalize_response(
        self, request: Request, response: HttpResponseBase, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        renderer = getattr(request, "accepted_renderer", None)
        if isinstance(response, Response) and isinstance(renderer, CSVRenderer):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        return cache_headers(request, response)


def wants_csv(request: Request) -> bool:
    return request.query_params.get("format") == "csv"


def is_id(value: str) -> bool:
    """Whether a lookup in a URL is a database id rather than a ref or slug: a bigint, so
    short enough that PostgreSQL does not refuse the number."""
    return is_ascii_number(value, 18)
