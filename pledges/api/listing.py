"""What every list endpoint shares: strict parameters, pages, links and conditional GETs."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.utils.urls import remove_query_param, replace_query_param

from pledges import selectors
from pledges.interchange import is_ascii_number
from pledges.params import PARAMETER_PADDING

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
# Far beyond any real list, and small enough that the page's offset fits PostgreSQL's bigint
# (a page number of 39 digits used to reach the database and answer 500).
MAX_PAGE = 10**9
NOTICE = selectors.API_NOTICE
COMMON_PARAMETERS = frozenset({"page", "page_size", "format"})
# Bumped when the JSON of a pledge changes shape, so clients' cached copies are not reused.
REPRESENTATION_VERSION = "1"


def reject_unknown_parameters(request: Request, known: frozenset[str]) -> None:
    """A misspelt filter (`stauts=kept`) is an error, not a silently unfiltered answer."""
    unknown = sorted(set(request.query_params) - known - COMMON_PARAMETERS)
    if unknown:
        raise ValidationError(
            {
                name: [f"Unknown parameter. Known: {', '.join(sorted(known | COMMON_PARAMETERS))}."]
                for name in unknown
            }
        )


def _positive_int(request: Request, name: str, default: int, maximum: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    text = raw.strip(PARAMETER_PADDING)
    # ASCII digits only: `int()` would also read "١٢" and "1_0".
    if not is_ascii_number(text, len(text)):
        raise ValidationError({name: [f"{raw!r} is not a whole number."]})
    # More digits than the maximum has is out of range, and is never converted.
    if not is_ascii_number(text, len(str(maximum))) or not 1 <= int(text) <= maximum:
        raise ValidationError({name: [f"Must be between 1 and {maximum}."]})
    return int(text)


@dataclass(frozen=True)
class PageRequest:
    number: int
    size: int
    size_given: bool

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @classmethod
    def from_request(cls, request: Request) -> PageRequest:
        return cls(
            number=_positive_int(request, "page", 1, MAX_PAGE),
            size=_positive_int(request, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
            size_given=bool(request.query_params.get("page_size")),
        )

    def check_exists(self, count: int) -> None:
        if self.number > 1 and self.offset >= count:
            raise NotFound({"page": [f"There is no page {self.number}."]})

    def links(self, request: Request, count: int) -> tuple[str | None, str | None]:
        url = request.build_absolute_uri()
        following = (
            replace_query_param(url, "page", self.number + 1)
            if self.offset + self.size < count
            else None
        )
        if self.number <= 1:
            previous = None
        elif self.number == 2:
            previous = remove_query_param(url, "page")
        else:
            previous = replace_query_param(url, "page", self.number - 1)
        return following, previous


def link_header(following: str | None, previous: str | None) -> str:
    links = []
    if following:
        links.append(f'<{following}>; rel="next"')
    if previous:
        links.append(f'<{previous}>; rel="prev"')
    return ", ".join(links)


@dataclass(frozen=True)
class Version:
    """What the answer to a GET depends on: its URL and the data it reads."""

    etag: str
    last_modified: dt.datetime | None

    @classmethod
    def of(cls, request: Request, count: int, last: dt.datetime | None) -> Version:
        stamp = "|".join(
            [
                REPRESENTATION_VERSION,
                request.path,
                request.META.get("QUERY_STRING", ""),
                str(count),
                last.isoformat() if last else "",
            ]
        )
        digest = hashlib.blake2b(stamp.encode(), digest_size=16).hexdigest()
        return cls(etag=f'"{digest}"', last_modified=last)

    def not_modified(self, request: Request) -> HttpResponseBase | None:
        """The 304 (or 412) answer to a conditional request, if the client's copy is current."""
        return get_conditional_response(
            request._request,
            etag=self.etag,
            last_modified=self._timestamp(),
        )

    def _timestamp(self) -> int | None:
        return int(self.last_modified.timestamp()) if self.last_modified else None

    def stamp(self, response: HttpResponseBase) -> None:
        response["ETag"] = self.etag
        if self.last_modified:
            response["Last-Modified"] = http_date(self._timestamp())


def cache_headers(request: Request, response: HttpResponseBase) -> HttpResponseBase:
    """Public caching for anonymous reads; private for anything an editor sees."""
    if request.method in ("GET", "HEAD") and response.status_code in (200, 304):
        if request.user.is_authenticated:
            response["Cache-Control"] = "private, no-cache"
        else:
            response["Cache-Control"] = f"public, max-age={settings.API_CACHE_MAX_AGE}"
        patch_vary_headers(response, ["Authorization"])
    return response


def envelope(
    count: int, following: str | None, previous: str | None, results: Any, **extra: Any
) -> dict[str, Any]:
    return {
        "count": count,
        "next": following,
        "previous": previous,
        "notice": NOTICE,
        **extra,
        "results": results,
    }


def envelope_json(
    count: int, following: str | None, previous: str | None, results: str, **extra: Any
) -> str:
    """`envelope` as JSON text (as DRF's renderer writes it), around `results`, a JSON array
    already serialised (by the database)."""
    head = json.dumps(
        envelope(count, following, previous, None, **extra),
        ensure_ascii=False,
        separators=(",", ":"),
    )
    # The head ends with `"results":null}`: put the array in place of the null.
    return head[: -len("null}")] + results + "}"
