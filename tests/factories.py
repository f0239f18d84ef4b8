"""factory_boy factories for the pledge models."""

from __future__ import annotations

import datetime as dt

import factory

from pledges.models import Company, Pledge, PledgeSource, Source, SourceRole


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")
    country = "US"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    url = factory.Sequence(lambda n: f"https://news.example.org/article/{n}")
    publisher = "Example News"
    title = factory.Sequence(lambda n: f"Article {n}")


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    company = factory.SubFactory(CompanyFactory)
    ref = factory.Sequence(lambda n: f"P{n:07d}")
    slug = factory.LazyAttribute(lambda o: o.ref.lower())
    title = factory.Sequence(lambda n: f"Pledge {n} of new jobs")
    announced_on = dt.date(2017, 1, 9)
    jobs_promised = 1000


class PledgeSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PledgeSource

    pledge = factory.SubFactory(PledgeFactory)
    source = factory.SubFactory(SourceFactory)
    role = SourceRole.ANNOUNCEMENT


class ReviewSnapshotFactory(factory.django.DjangoModelFactory):
    """A snapshot as the re-check jobs keep it (for review-queue tests)."""

    class Meta:
        model = "pledges.Snapshot"

    source = factory.SubFactory(SourceFactory)
    fetched_at = factory.LazyFunction(lambda: dt.datetime(2018, 9, 20, 12, tzinfo=dt.UTC))
    final_url = factory.LazyAttribute(lambda o: o.source.url)
    http_status = 200
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    title = "Alibaba drops its US jobs pledge"
    text = "Jack Ma said the promise of one million jobs can no longer be kept."


class SuggestionFactory(factory.django.DjangoModelFactory):
    """A pending suggestion that a pledge was withdrawn, quoting its snapshot."""

    class Meta:
        model = "pledges.Suggestion"

    kind = "status_change"
    pledge = factory.SubFactory(PledgeFactory)
    snapshot = factory.SubFactory(ReviewSnapshotFactory)
    source = factory.LazyAttribute(lambda o: o.snapshot.source)
    proposed_status = "withdrawn"
    signal = "withdrawn"
    sentence = "Jack Ma said the promise of one million jobs can no longer be kept."


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """An active weekly follow-up report subscription of every pledge."""

    class Meta:
        model = "pledges.Subscription"

    name = factory.Sequence(lambda n: f"Desk {n}")
    recipients = factory.Sequence(lambda n: f"desk{n}@newsroom.example")
    frequency = "weekly"
