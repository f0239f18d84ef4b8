"""Refuse URLs with a NUL byte before any view sees them.

A NUL cannot be stored or even compared by PostgreSQL ("text fields cannot contain NUL"), so a
`%00` in a filter, a search or a slug would otherwise reach the database and end as a 500.
No pledge, company, place or search ever contains one: the request is malformed (400).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

MESSAGE = "The address contains a NUL character (%00), which no pledge, name or search has."


class RejectNulBytesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": MESSAGE}, status=400)
            return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
