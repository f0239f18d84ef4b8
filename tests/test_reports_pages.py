"""The staff pages of stored reports, their CSV, the follow_up_report command, the daily task."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from pledges.models import Report
from pledges.services.reports import report_create, report_period
from tests.factories import SubscriptionFactory
from tests.support.report_world import NOW, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def report() -> Report:
    build_world()
    start, end = report_period(frequency="weekly", now=NOW)
    with time_machine.travel(NOW, tick=False):
        return report_create(frequency="weekly", period_start=start, period_end=end)


@pytest.fixture
def staff_client(client, editor):  # type: ignore[no-untyped-def]
    client.force_login(editor)
    return client


def test_reports_pages_send_anonymous_visitors_to_login(client, report: Report) -> None:  # type: ignore[no-untyped-def]
    for url in [
        reverse("reports:list"),
        reverse("reports:detail", args=[report.pk]),
        reverse("reports:section-csv", args=[report.pk, "stale"]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login") + "?next=")


def test_reports_pages_refuse_users_who_are_not_staff(client, report: Report) -> None:  # type: ignore[no-untyped-def]
    client.force_login(User.objects.create_user("reader", "r@example.org", "x-long-password"))
    assert client.get(reverse("reports:list")).status_code == 403
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 403
    csv_url = reverse("reports:section-csv", args=[report.pk, "stale"])
    assert client.get(csv_url).status_code == 403


def test_reports_list_shows_counts(
    staff_client, report: Report, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        Report.objects.create(
            frequency="daily",
            period_start=NOW - dt.timedelta(days=1),
            period_end=NOW,
            counts=report.counts,
            subscription=SubscriptionFactory(),
        )
    with django_assert_max_num_queries(6):
        response = staff_client.get(reverse("reports:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'href="/reports/{report.pk}/"' in body
    assert "everyone (on demand)" in body
    assert body.count("<tr>") == 7  # header + 6 reports


def test_report_page_renders_every_section(
    staff_client, report: Report, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(5):
        response = staff_client.get(reverse("reports:detail", args=[report.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for title in [
        "Deadlines passed, pledge not kept: 2",
        "Coming due in the next 90 days: 2",
        "Status changes: 2",
        "Pending review suggestions: 3",
        "Sources that died or changed: 2",
        "Stale pledges (no new evidence for 12 months): 1",
        "New pledges: 2",
    ]:
        assert title in body
    assert '<a href="/pledges/pledge-d/">Pledge D of Globex</a>' in body
    assert "<svg" in body and "Jobs promised: 7,400; in kept pledges: 3,000 (40.5%)" in body
    assert "=HYPERLINK(&quot;http://evil.example&quot;)" in body
    assert f'href="/reports/{report.pk}/sources.csv"' in body


def test_report_section_csv_downloads(
    staff_client, report: Report, settings, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = "https://pledges.example.org"
    with django_assert_max_num_queries(3):
        response = staff_client.get(reverse("reports:section-csv", args=[report.pk, "suggestions"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="report-{report.pk}-suggestions.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["kind"] for row in rows] == ["status_change", "candidate_source", "new_evidence"]
    assert rows[0]["sentence"].startswith("'=HYPERLINK(")  # no formula in a spreadsheet
    assert rows[0]["url"] == "https://pledges.example.org/pledges/pledge-a/"
    sources = staff_client.get(reverse("reports:section-csv", args=[report.pk, "sources"]))
    first = next(csv.DictReader(io.StringIO(sources.content.decode())))
    assert (first["event"], first["has_archive"], first["pledge_refs"]) == ("dead", "yes", "REF-A")
    totals = staff_client.get(reverse("reports:section-csv", args=[report.pk, "totals"]))
    assert totals.content.decode().splitlines()[-1] == "all,8,1,7400"


def test_report_section_csv_unknown_section_is_404(staff_client, report: Report) -> None:  # type: ignore[no-untyped-def]
    url = reverse("reports:section-csv", args=[report.pk, "passwords"])
    assert staff_client.get(url).status_code == 404
    assert staff_client.get(reverse("reports:detail", args=[report.pk + 99])).status_code == 404


def test_follow_up_report_command_prints_a_summary() -> None:
    build_world()
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("follow_up_report", "--period", "weekly", stdout=out)
    text = out.getvalue()
    report = Report.objects.get()
    assert f"Report #{report.pk}: weekly, 2025-06-02 08:00 to 2025-06-09 08:00" in text
    assert "  Deadlines passed, pledge not kept: 2" in text
    assert "  Stale pledges: 1" in text
    assert "Jobs promised 7,400, in kept pledges 3,000 (1 nested pledges counted once)" in text
    assert f"/reports/{report.pk}/" in text
    assert mail.outbox == []


def test_follow_up_report_command_since_and_send(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world = build_world()
    SubscriptionFactory(frequency="daily", name="Daily desk")
    SubscriptionFactory(frequency="daily", company=world.pledges["C"].company, name="Globex desk")
    SubscriptionFactory(frequency="weekly")
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command(
            "follow_up_report", "--period", "daily", "--since", "2025-06-01", "--send", stdout=out
        )
        call_command(
            "follow_up_report", "--period", "daily", "--since", "2025-06-01", "--send", stdout=out
        )
    text = out.getvalue()
    assert "daily, 2025-06-01 00:00 to 2025-06-09 08:00" in text
    assert text.count("Sent 2 of 2 daily subscription(s).") == 1
    assert "Daily desk: this period was sent already" in text
    assert len(mail.outbox) == 2
    globex = next(m for m in mail.outbox if "Globex desk" in m.subject)
    assert "Acme" not in globex.body


def test_follow_up_report_command_rejects_a_bad_since() -> None:
    with pytest.raises(CommandError, match="not a date"):
        call_command("follow_up_report", "--since", "last week")


def test_daily_beat_entry_is_registered() -> None:
    from django_celery_beat.models import PeriodicTask

    from tracker.celery import app

    entry = PeriodicTask.objects.get(task="pledges.tasks_reports.send_due_reports")
    assert entry.enabled and entry.crontab is not None
    assert (entry.crontab.minute, entry.crontab.hour, entry.crontab.day_of_week) == ("0", "6", "*")
    import pledges.tasks  # noqa: F401  (what the worker's autodiscovery imports)

    assert "pledges.tasks_reports.send_due_reports" in app.tasks
    assert "pledges.tasks_reports.deliver_report" in app.tasks


def test_daily_task_claims_and_delivers(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from pledges import tasks_reports

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    build_world()
    SubscriptionFactory()
    enqueued: list[int] = []

    def run_inline(report_id: int) -> None:  # what a worker would do with the message
        enqueued.append(report_id)
        tasks_reports.deliver_report(report_id)

    monkeypatch.setattr(tasks_reports.deliver_report, "delay", run_inline)
    with time_machine.travel(NOW, tick=False):
        assert tasks_reports.send_due_reports() == 1
        assert tasks_reports.send_due_reports() == 0
        assert tasks_reports.deliver_report(enqueued[0]) is False  # a redelivered message
    assert len(enqueued) == 1
    assert len(mail.outbox) == 1


def test_admin_lists_subscriptions_and_reports(
    client, report: Report, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(User.objects.create_superuser("boss", "boss@example.org", "x-long-pass"))
    SubscriptionFactory(name="Midwest desk")
    for url in [
        reverse("admin:pledges_subscription_changelist"),
        reverse("admin:pledges_subscription_add"),
        reverse("admin:pledges_report_change", args=[report.pk]),
    ]:
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:pledges_report_changelist"))
    assert response.status_code == 200
    assert f'href="/reports/{report.pk}/"' in response.content.decode()


def test_admin_send_again_resends_a_failed_report(client, settings) -> None:  # type: ignore[no-untyped-def]
    from pledges.models_reports import DeliveryState
    from pledges.services import report_delivery

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    build_world()
    subscription = SubscriptionFactory()
    failed = report_delivery.claim(subscription=subscription, now=NOW)
    Report.objects.filter(pk=failed.pk).update(delivery_state=DeliveryState.FAILED, error="boom")
    client.force_login(User.objects.create_superuser("boss", "boss@example.org", "x-long-pass"))
    response = client.post(
        reverse("admin:pledges_report_changelist"),
        {"action": "send_again", "_selected_action": [failed.pk]},
    )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.delivery_state == DeliveryState.SENT
    assert len(mail.outbox) == 1
