"""Pledge documents (migration 0016, `services.documents`): the API reads each pledge's JSON
prepared ahead, and a document never outlives a change to what it shows."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.urls import reverse
from django_celery_beat.models import PeriodicTask
from rest_framework.test import APIClient

from pledges import selectors, selectors_api
from pledges.models import (
    Company,
    Pledge,
    PledgeDocument,
    PledgeLocation,
    PledgeSource,
    Source,
    StatusUpdate,
)
from pledges.services.documents import documents_build, documents_missing, documents_write
from pledges.services.exports import csv_header_line, csv_lines
from pledges.services.pledges import status_update_record
from tests.factories import CompanyFactory, PledgeSourceFactory, SourceFactory
from tests.test_api_helpers import make_pledge

API, PAGE = "http://testserver/api/v1/pledges/", "https://tracker.example.org/pledges/"


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


def _pledges() -> list[Pledge]:
    company = CompanyFactory(name="Zürich Énergie", slug="zurich-energie", country="CH")
    other = CompanyFactory(name="Other Co", slug="other-co")
    parent = make_pledge(ref="D1", company=company, locations=("US-WI",), status="kept")
    child = make_pledge(
        ref="D2",
        company=company,
        title='Quote " and \\ backslash, {braces}',
        summary="Line one\nline two}",
        locations=("US-OH", "Guangzhou, China"),
        sources=2,
        part_of=parent,
    )
    make_pledge(ref="D3", company=other, reannouncement_of=child, sources=0, timeframe="}")
    return list(Pledge.objects.order_by("ref"))


@pytest.fixture
def pledges(db: Any) -> list[Pledge]:
    return _pledges()


def _live(pledges: list[Pledge], page_prefix: str = PAGE) -> list[dict[str, Any]]:
    ids = [pledge.pk for pledge in pledges]
    return selectors.api_pledge_dicts(ids, api_prefix=API, page_prefix=page_prefix)


def _served(pledges: list[Pledge]) -> list[dict[str, Any]]:
    ids = [pledge.pk for pledge in pledges]
    page = selectors_api.api_pledge_page(
        Pledge.objects.filter(pk__in=ids),
        ordering=["ref"],
        offset=0,
        limit=50,
        api_prefix=API,
        page_prefix=PAGE,
    )
    rows = selectors_api.api_pledge_json(ids, api_prefix=API, page_prefix=PAGE)
    assert [json.loads(row) for row in rows] == json.loads(page.results)
    return json.loads(page.results)


def _csv_served() -> list[str]:
    published = Pledge.objects.filter(is_published=True)
    return selectors_api.api_pledge_csv_lines(published, ordering=["ref"], offset=0, limit=500)


def _csv_live() -> list[str]:
    published = Pledge.objects.filter(is_published=True)
    return list(csv_lines(selectors.export_records(published)))[1:]


def _documented() -> set[int]:
    return set(PledgeDocument.objects.values_list("pledge_id", flat=True))


def test_documents_are_built_for_published_pledges_and_read_as_they_were(pledges) -> None:
    draft = make_pledge(ref="D4", is_published=False)
    before = _served(pledges)
    assert _documented() == set()

    built = documents_build(batch_size=2)

    assert built == 3
    assert _documented() == {p.pk for p in pledges}
    assert draft.pk in [p.pk for p in Pledge.objects.all()]
    assert before == _served(pledges) == _live(pledges)
    # Nothing is missing: a second build writes nothing.
    assert documents_missing() == [] and documents_build() == 0


def test_the_list_reads_documents_in_the_same_two_statements(
    pledges, django_assert_max_num_queries
) -> None:
    documents_build()
    client = APIClient()
    client.get("/api/v1/pledges/")
    with django_assert_max_num_queries(2):
        body = client.get("/api/v1/pledges/", {"page_size": 500}).json()
    assert [p["ref"] for p in body["results"]] == ["D1", "D2", "D3"]
    assert body["results"] == _live(pledges, settings.SITE_URL + reverse("pledges:pledge-list"))


def _change_pledge(pledges: list[Pledge]) -> None:
    Pledge.objects.filter(pk=pledges[1].pk).update(jobs_promised=1234)


def _rename_company(pledges: list[Pledge]) -> None:
    Company.objects.filter(pk=pledges[0].company_id).update(name="Zürich Energy")


def _add_place(pledges: list[Pledge]) -> None:
    PledgeLocation.objects.create(pledge=pledges[1], position=5, name="US-MI")


def _move_place(pledges: list[Pledge]) -> None:
    PledgeLocation.objects.filter(pledge=pledges[1], name="US-OH").update(pledge=pledges[2])


def _drop_place(pledges: list[Pledge]) -> None:
    PledgeLocation.objects.filter(pledge=pledges[0]).delete()


def _add_source(pledges: list[Pledge]) -> None:
    PledgeSourceFactory(pledge=pledges[2], position=3)


def _drop_source(pledges: list[Pledge]) -> None:
    PledgeSource.objects.filter(pledge=pledges[1]).order_by("position").first().delete()


def _source_health(pledges: list[Pledge]) -> None:
    Source.objects.filter(pledges=pledges[1]).update(health="dead")


def _evidence_title(pledges: list[Pledge]) -> None:
    # D1's status cites its announcement: retitling it changes D1 (a source and evidence).
    update = StatusUpdate.objects.get(pledge=pledges[0])
    update.evidence.update(url="https://example.org/moved")


def _record_status(pledges: list[Pledge]) -> None:
    status_update_record(
        pledge=pledges[2],
        status="broken",
        established_on=pledges[2].announced_on + dt.timedelta(days=3),
        explanation="Closed.",
        evidence=[SourceFactory()],
        reason="other",
    )


def _add_evidence(pledges: list[Pledge]) -> None:
    StatusUpdate.objects.get(pledge=pledges[0]).evidence.add(SourceFactory())


def _drop_evidence(pledges: list[Pledge]) -> None:
    StatusUpdate.objects.get(pledge=pledges[0]).evidence.clear()


def _unpublish(pledges: list[Pledge]) -> None:
    Pledge.objects.filter(pk=pledges[2].pk).update(is_published=False)


CHANGES: list[tuple[Callable[[list[Pledge]], None], set[str]]] = [
    (_change_pledge, {"D2"}),
    (_rename_company, {"D1", "D2"}),
    (_add_place, {"D2"}),
    (_move_place, {"D2", "D3"}),
    (_drop_place, {"D1"}),
    (_add_source, {"D3"}),
    (_drop_source, {"D2"}),
    (_source_health, {"D2"}),
    (_evidence_title, {"D1"}),
    (_record_status, {"D3"}),
    (_add_evidence, {"D1"}),
    (_drop_evidence, {"D1"}),
    (_unpublish, {"D3"}),
]


@pytest.mark.parametrize(("change", "stale"), CHANGES, ids=[c.__name__ for c, _ in CHANGES])
def test_a_change_deletes_exactly_the_documents_it_makes_stale(pledges, change, stale) -> None:
    documents_build()

    change(pledges)

    refs = dict(Pledge.objects.values_list("pk", "ref"))
    assert {refs[pk] for pk in _documented()} == {"D1", "D2", "D3"} - stale
    published = list(Pledge.objects.filter(is_published=True).order_by("ref"))
    assert _served(published) == _live(published)
    assert _csv_served() == _csv_live()
    documents_build()
    assert _served(published) == _live(published)
    assert _csv_served() == _csv_live()


def test_csv_pages_read_the_lines_of_the_documents(pledges) -> None:
    live = _csv_live()
    assert _csv_served() == live and len(live) == 3
    documents_build()
    assert _csv_served() == live
    # Read from the documents, not written again: a marked line shows.
    PledgeDocument.objects.filter(pledge__ref="D2").update(csv_line="marked\r\n")
    assert _csv_served() == [live[0], "marked\r\n", live[2]]
    # Pledges with and without documents, in one page, in ref order.
    PledgeDocument.objects.filter(pledge__ref="D2").delete()
    PledgeDocument.objects.filter(pledge__ref="D3").delete()
    assert _csv_served() == live
    client = APIClient()
    whole = b"".join(client.get("/api/v1/pledges/", {"format": "csv"}).streaming_content)
    paged = b"".join(
        client.get("/api/v1/pledges/", {"format": "csv", "page_size": 2}).streaming_content
    )
    assert paged.decode() == csv_header_line() + live[0] + live[1]
    assert whole.decode() == csv_header_line() + "".join(live)


def test_a_csv_page_of_documented_pledges_is_two_statements(
    pledges, django_assert_max_num_queries
) -> None:
    documents_build()
    client = APIClient()
    client.get("/api/v1/pledges/")
    for size in (1, 3):
        with django_assert_max_num_queries(2):
            response = client.get("/api/v1/pledges/", {"format": "csv", "page_size": size})
            assert len(b"".join(response.streaming_content).splitlines()) > size


def test_a_company_change_that_shows_nowhere_keeps_the_documents(pledges) -> None:
    documents_build()
    Company.objects.filter(pk=pledges[0].company_id).update(website="https://example.org/")
    Source.objects.filter(pledges=pledges[1]).update(last_checked_at=dt.datetime.now(dt.UTC))
    assert len(_documented()) == 3


def test_deleted_pledges_take_their_documents_along(pledges) -> None:
    documents_build()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM pledges_pledge WHERE ref = 'D3'")
    assert len(_documented()) == 2
    with connection.cursor() as cursor:
        # The deferred foreign-key checks of this test's inserts first: TRUNCATE needs none.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE pledges_pledge CASCADE")
    assert _documented() == set()


def test_the_beat_task_builds_them_every_minute(db) -> None:
    task = PeriodicTask.objects.get(task="pledges.tasks.build_pledge_documents")
    assert task.enabled and (task.interval.every, task.interval.period) == (1, "minutes")


def test_the_command_builds_and_says_how_many(pledges, capsys) -> None:
    call_command("build_pledge_documents", "--no-progress")
    assert capsys.readouterr().out.strip() == "3 pledge documents built"
    call_command("build_pledge_documents", "--no-progress")
    assert capsys.readouterr().out.strip() == "0 pledge documents built"


@pytest.mark.django_db(transaction=True)
def test_a_build_waits_for_an_open_change_and_then_includes_it() -> None:
    pledges = _pledges()
    target = pledges[1]
    changed = threading.Event()
    finish = threading.Event()
    built: list[int] = []

    def editor() -> None:
        try:
            with transaction.atomic():
                PledgeLocation.objects.create(pledge=target, position=9, name="US-TX")
                changed.set()
                finish.wait(10)
        finally:
            connections.close_all()

    def builder() -> None:
        try:
            built.append(documents_build())
        finally:
            connections.close_all()

    editing = threading.Thread(target=editor)
    editing.start()
    assert changed.wait(10)
    building = threading.Thread(target=builder)
    building.start()
    time.sleep(0.5)
    # The builder is held by the editor's open transaction...
    assert building.is_alive() and not built
    finish.set()
    editing.join(10)
    building.join(10)
    # ...and then writes documents that include the editor's change.
    assert built == [3]
    body = json.loads("{" + PledgeDocument.objects.get(pledge_id=target.pk).body + "}")
    assert body["locations"] == ["US-OH", "Guangzhou, China", "US-TX"]


@pytest.mark.django_db(transaction=True)
def test_a_change_made_while_a_batch_is_written_deletes_what_it_wrote() -> None:
    pledges = _pledges()
    target = pledges[1]
    locked = threading.Event()
    release = threading.Event()

    def builder_holding_the_lock() -> None:
        # A build's batch, stopped between writing and committing.
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(728417001)")
                documents_write([target.pk])
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    def release_soon() -> None:
        time.sleep(0.5)
        release.set()

    building = threading.Thread(target=builder_holding_the_lock)
    building.start()
    assert locked.wait(10)
    threading.Thread(target=release_soon).start()
    # This waits for the batch to commit, then deletes the document it wrote.
    PledgeLocation.objects.create(pledge=target, position=9, name="US-TX")
    building.join(10)

    assert _documented() == set()
    assert _served(pledges) == _live(pledges)
