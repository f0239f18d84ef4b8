"""/api/v1/ (the API), /api/v1/schema/ (OpenAPI 3) and /api/docs/ (Swagger UI, Redoc)."""

from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from pledges.api import catalog, views

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False
router.register("pledges", views.PledgeViewSet, basename="pledge")
router.register("companies", catalog.CompanyViewSet, basename="company")
router.register("sources", catalog.SourceViewSet, basename="source")
router.register("status-updates", catalog.StatusUpdateViewSet, basename="statusupdate")

v1 = [
    path("dataset.csv", catalog.DatasetView.as_view(kind="csv"), name="dataset-csv"),
    path("dataset.json", catalog.DatasetView.as_view(kind="json"), name="dataset-json"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("v1/", include(v1)),
    # The split view serves its script from a URL: the CSP allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("docs/redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
