from django.urls import path

from pledges import views_recheck
from pledges.views import embeds, feeds, ledger, pages

app_name = "pledges"

urlpatterns = [
    path("", pages.HomeView.as_view(), name="home"),
    path("pledges/", pages.PledgeListView.as_view(), name="pledge-list"),
    # Not under pledges/: "csv" would be a valid pledge slug.
    path("pledges.csv", pages.pledge_list_csv, name="pledge-list-csv"),
    path("pledges/<slug:slug>/", pages.PledgeDetailView.as_view(), name="pledge-detail"),
    path("pledges/<slug:slug>/badge.svg", embeds.pledge_badge, name="pledge-badge"),
    path("pledges/<slug:slug>/embed/", embeds.pledge_embed, name="pledge-embed"),
    path("companies/<slug:slug>/", pages.CompanyDetailView.as_view(), name="company-detail"),
    path("funnel/<slug:stage>/", ledger.FunnelStageView.as_view(), name="funnel-stage"),
    path("dumps/", ledger.dump_index, name="dump-index"),
    path("dumps/<str:version>/<str:name>", ledger.dump_download, name="dump-download"),
    path("sources/<int:pk>/archive/", pages.SourceArchiveView.as_view(), name="source-archive"),
    path("recheck/", views_recheck.RecheckStatusView.as_view(), name="recheck"),
    path("feeds/pledges/", feeds.NewPledgesFeed(), name="feed-pledges"),
    path("feeds/status-changes/", feeds.StatusChangesFeed(), name="feed-status"),
    path(
        "companies/<slug:slug>/feeds/pledges/",
        feeds.NewPledgesFeed(),
        name="company-feed-pledges",
    ),
    path(
        "companies/<slug:slug>/feeds/status-changes/",
        feeds.StatusChangesFeed(),
        name="company-feed-status",
    ),
]
