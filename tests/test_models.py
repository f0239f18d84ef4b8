"""Every model rule is rejected with a clear message by full_clean and by the database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError

from pledges.models import Company, CompanyAlias, Pledge, Source, Status
from pledges.services.pledges import status_update_record
from tests.factories import CompanyFactory, PledgeFactory, SourceFactory

pytestmark = pytest.mark.django_db


def _messages(exc: ValidationError) -> str:
    return " ".join(str(m) for msgs in exc.message_dict.values() for m in msgs)


def test_pledge_negative_jobs_rejected_by_clean_and_database() -> None:
    pledge = PledgeFactory.build(company=CompanyFactory(), jobs_promised=-1)
    with pytest.raises(ValidationError) as exc:
        pledge.full_clean()
    assert "jobs_promised" in exc.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        pledge.save()


def test_pledge_without_jobs_or_investment_rejected() -> None:
    pledge = PledgeFactory.build(company=CompanyFactory(), jobs_promised=None, investment_usd=None)
    with pytest.raises(ValidationError) as exc:
        pledge.full_clean()
    assert "at least one of jobs promised and investment" in _messages(exc.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        pledge.save()


def test_pledge_unknown_jobs_is_not_zero() -> None:
    pledge = PledgeFactory(jobs_promised=None, investment_usd=5_000_000)
    pledge.refresh_from_db()
    assert pledge.jobs_promised is None


def test_pledge_deadline_before_announcement_rejected() -> None:
    pledge = PledgeFactory.build(
        company=CompanyFactory(), announced_on=dt.date(2017, 1, 9), deadline=dt.date(2016, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        pledge.full_clean()
    assert "deadline cannot be before the announcement" in _messages(exc.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        pledge.save()


def test_pledge_ref_unique() -> None:
    PledgeFactory(ref="alibaba-2017-01")
    with pytest.raises(IntegrityError), transaction.atomic():
        PledgeFactory(ref="alibaba-2017-01", slug="other")


def test_pledge_cannot_be_part_of_itself() -> None:
    pledge = PledgeFactory()
    pledge.part_of = pledge
    with pytest.raises(ValidationError):
        pledge.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        pledge.save()


def test_source_only_http_urls() -> None:
    for url in ("ftp://example.org/a", "javascript:alert(1)", "https://user:pw@example.org/"):
        with pytest.raises(ValidationError):
            Source(url=url).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(url="ftp://example.org/a")


def test_source_url_unique() -> None:
    SourceFactory(url="https://example.org/a")
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFactory(url="https://example.org/a")


def test_company_name_unique_case_insensitive() -> None:
    CompanyFactory(name="Alibaba Group")
    with pytest.raises(ValidationError) as exc:
        Company(name="ALIBABA GROUP", slug="x").full_clean()
    assert "already exists" in _messages(exc.value)


def test_company_country_must_be_iso_code() -> None:
    with pytest.raises(ValidationError):
        Company(name="X", slug="x", country="usa").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.create(name="X", slug="x", country="us")


def test_company_alias_names_one_company() -> None:
    a, b = CompanyFactory(), CompanyFactory()
    CompanyAlias.objects.create(company=a, name="Alibaba")
    with pytest.raises(IntegrityError), transaction.atomic():
        CompanyAlias.objects.create(company=b, name="alibaba")


def test_company_with_pledges_cannot_be_deleted() -> None:
    pledge = PledgeFactory()
    with pytest.raises(ProtectedError):
        pledge.company.delete()


@pytest.mark.parametrize("status", ["kept", "partially_kept", "broken", "withdrawn", "superseded"])
def test_status_update_verdict_needs_evidence(status: str) -> None:
    pledge = PledgeFactory()
    with pytest.raises(ValidationError) as exc:
        status_update_record(pledge=pledge, status=status, established_on=dt.date(2018, 9, 19))
    assert "without at least one evidence source" in _messages(exc.value)
    assert not pledge.status_updates.exists()


def test_status_update_in_progress_needs_no_evidence() -> None:
    pledge = PledgeFactory()
    status_update_record(pledge=pledge, status="in_progress", established_on=dt.date(2018, 1, 1))
    pledge.refresh_from_db()
    assert (pledge.status, pledge.status_on) == ("in_progress", dt.date(2018, 1, 1))


def test_status_update_before_announcement_rejected() -> None:
    pledge = PledgeFactory(announced_on=dt.date(2017, 1, 9))
    with pytest.raises(ValidationError) as exc:
        status_update_record(pledge=pledge, status="stalled", established_on=dt.date(2016, 12, 31))
    assert "before the announcement" in _messages(exc.value)


def test_status_update_latest_becomes_current_status() -> None:
    pledge = PledgeFactory()
    evidence = [SourceFactory()]
    status_update_record(
        pledge=pledge,
        status="withdrawn",
        established_on=dt.date(2018, 9, 19),
        evidence=evidence,
        reason="trade_policy",
    )
    status_update_record(
        pledge=pledge, status="stalled", established_on=dt.date(2018, 1, 29), reason="other"
    )
    pledge.refresh_from_db()
    # The history is ordered by the date a status became true, not by entry order.
    assert (pledge.status, pledge.status_on) == (Status.WITHDRAWN, dt.date(2018, 9, 19))
    assert pledge.status_updates.count() == 2


def test_pledge_invalid_status_rejected_by_database() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Pledge.objects.filter(pk=PledgeFactory().pk).update(status="forgotten")


def test_identifier_columns_compare_byte_by_byte_on_postgresql() -> None:
    """Migration 0018 gives these columns `COLLATE "C"` outside the models (SQLite has no
    such collation); a later migration that retypes one must keep it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, a.attname, co.collname FROM pg_attribute a"
            " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_collation co ON co.oid = a.attcollation"
            " WHERE (c.relname, a.attname) IN"
            " (('pledges_source', 'url'), ('pledges_pledge', 'ref'), ('pledges_pledge', 'slug'))"
            " ORDER BY 1, 2"
        )
        assert cursor.fetchall() == [
            ("pledges_pledge", "ref", "C"),
            ("pledges_pledge", "slug", "C"),
            ("pledges_source", "url", "C"),
        ]
    # Byte order: capitals before small letters, whatever the database's own collation.
    for ref in ("b-1", "B-2", "a-3"):
        PledgeFactory(ref=ref)
    assert list(Pledge.objects.order_by("ref").values_list("ref", flat=True)) == [
        "B-2",
        "a-3",
        "b-1",
    ]
