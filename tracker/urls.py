"""Top-level URL configuration: the admin, the public pages and (later) the API."""

from django.contrib import admin
from django.urls import include, path

from tracker import health

urlpatterns = [
    # Answered by tracker.health.HealthCheckMiddleware first; named here for reverse().
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/", include("pledges.api.urls")),
    path("reports/", include("pledges.urls_reports")),
    path("", include("pledges.urls")),
]

# Unmatched URLs under /api/ answer JSON like the API (pledges.api.errors).
handler404 = "pledges.api.errors.not_found"
