"""Staff pages of the follow-up reports, under /reports/."""

from django.urls import path

from pledges import views_reports

app_name = "reports"

urlpatterns = [
    path("", views_reports.ReportListView.as_view(), name="list"),
    path("<int:pk>/", views_reports.ReportDetailView.as_view(), name="detail"),
    path(
        "<int:pk>/<slug:section>.csv",
        views_reports.ReportSectionCsvView.as_view(),
        name="section-csv",
    ),
]
