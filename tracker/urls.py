"""Top-level URL configuration: the admin, the public pages and (later) the API."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("pledges.urls")),
]
