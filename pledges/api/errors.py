"""Django's error pages for URLs under /api/ that no API view matched: JSON, like the API."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A JSON 404 under /api/ (a client parsing JSON must not get an HTML page), Django's
    page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)  # type: ignore[arg-type]
