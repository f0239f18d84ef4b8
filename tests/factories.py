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
