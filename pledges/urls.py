from django.urls import path

from pledges import views

app_name = "pledges"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("pledges/", views.PledgeListView.as_view(), name="pledge-list"),
    path("pledges/<slug:slug>/", views.PledgeDetailView.as_view(), name="pledge-detail"),
    path(
        "companies/<slug:slug>/",
        views.CompanyDetailView.as_view(),
        name="company-detail",
    ),
]
