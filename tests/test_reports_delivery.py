"""Delivery of follow-up reports: the email's parts, and exactly once per subscription and
period however often, however concurrently, the daily job runs (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import email
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, connection, connections, transaction

from pledges.models import Report, Subscription
from pledges.models_reports import DeliveryState
from pledges.services import report_delivery
from tests.factories import SubscriptionFactory
from tests.support.report_world import NOW, build_world

ROOT = Path(__file__).resolve().parent.parent
WEEK_START = dt.datetime(2025, 6, 2, tzinfo=dt.UTC)
MIDNIGHT = dt.datetime(2025, 6, 9, tzinfo=dt.UTC)


class ExplodingBackend(BaseEmailBackend):
    """Connects, then fails while sending: the outcome is unknown."""

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        raise ConnectionResetError("connection reset during DATA")


@pytest.fixture(autouse=True)
def _mail(settings):  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://pledges.example.org"
    settings.DEFAULT_FROM_EMAIL = "Pledge Tracker <reports@pledges.example.org>"


def _parts(message: mail.EmailMessage) -> dict[str, list[email.message.Message]]:
    parsed = email.message_from_bytes(message.message().as_bytes())
    found: dict[str, list[email.message.Message]] = {}
    for part in parsed.walk():
        found.setdefault(part.get_content_type(), []).append(part)
    return found


@pytest.mark.django_db
def test_send_due_email_has_text_html_and_inline_chart() -> None:
    world = build_world()
    subscription = SubscriptionFactory(recipients="ed@newsroom.example\nDesk@Newsroom.example")
    summary = report_delivery.send_due(now=NOW)
    assert len(summary.sent) == 1
    report = Report.objects.get(pk=summary.sent[0])
    assert (report.period_start, report.period_end) == (WEEK_START, MIDNIGHT)
    assert report.delivery_state == DeliveryState.SENT and report.sent_at is not None
    subscription.refresh_from_db()
    assert subscription.last_period_end == MIDNIGHT
    assert subscription.next_due_at == MIDNIGHT + dt.timedelta(days=7)

    (message,) = mail.outbox
    assert message.to == ["ed@newsroom.example", "desk@newsroom.example"]
    assert message.from_email == "Pledge Tracker <reports@pledges.example.org>"
    assert message.subject.startswith("Pledge Tracker weekly report")
    assert "2 deadlines passed, 2 status changes, 3 to review" in message.subject
    link = f"https://pledges.example.org/reports/{report.pk}/"
    text = message.body
    assert link in text
    assert "== Deadlines passed, pledge not kept: 2" in text
    assert "- 2025-06-03 Globex: Pledge D of Globex (Broken, 400 jobs)" in text
    assert "Announced (not yet rated) -> In progress as of 2025-06-02" in text
    assert "evidence: https://news.example.org/a" in text
    assert '"=HYPERLINK("http://evil.example") Acme says' in text  # plain text: as written
    assert "dead 2025-06-05 10:00: https://gone.example.org/a (archived 2025-03-01" in text
    assert "Jobs promised: 7,400; in kept pledges: 3,000 (40.5%)" in text
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html
    assert 'href="https://pledges.example.org/pledges/pledge-a/"' in html
    assert "=HYPERLINK(&quot;http://evil.example&quot;)" in html
    assert world.pledges["G"].title in html  # stale

    parts = _parts(message)
    assert parts["multipart/related"] and parts["multipart/alternative"]
    assert len(parts["text/plain"]) == 1 and len(parts["text/html"]) == 1
    (image,) = parts["image/png"]
    cid = "".join(image["Content-ID"].split()).strip("<>")
    assert cid.startswith(f"chart.{report.pk}.") and cid.endswith("@pledges.example.org")
    assert f'src="cid:{cid}"' in parts["text/html"][0].get_payload(decode=True).decode()
    assert image.get_payload(decode=True).startswith(b"\x89PNG")


@pytest.mark.django_db
def test_send_due_company_subscription_gets_only_its_rows() -> None:
    world = build_world()
    SubscriptionFactory(company=world.pledges["A"].company)
    report_delivery.send_due(now=NOW)
    (message,) = mail.outbox
    assert "Pledge A of Acme" in message.body
    assert "Globex" not in message.body
    assert "Globex" not in message.alternatives[0][0]
    report = Report.objects.get()
    assert report.filters["company"] == "Acme"
    for section in report.data["sections"].values():
        assert all(row.get("company", "Acme") == "Acme" for row in section["rows"])


@pytest.mark.django_db
def test_send_due_twice_sends_each_period_once() -> None:
    build_world()
    SubscriptionFactory(frequency="weekly")
    SubscriptionFactory(frequency="daily")
    assert len(report_delivery.send_due(now=NOW).sent) == 2
    assert report_delivery.send_due(now=NOW).claimed == []
    assert report_delivery.send_due(now=NOW + dt.timedelta(hours=5)).claimed == []
    # The next day only the daily subscription is due, for the next day.
    later = report_delivery.send_due(now=NOW + dt.timedelta(days=1))
    (report,) = Report.objects.filter(pk__in=later.sent)
    assert report.frequency == "daily"
    assert (report.period_start, report.period_end) == (MIDNIGHT, MIDNIGHT + dt.timedelta(days=1))
    assert len(mail.outbox) == 3
    assert Report.objects.count() == 3


@pytest.mark.django_db
def test_claim_with_a_stale_read_claims_once() -> None:
    subscription = SubscriptionFactory()
    first = Subscription.objects.get(pk=subscription.pk)
    second = Subscription.objects.get(pk=subscription.pk)  # read before the first claim
    assert report_delivery.claim(subscription=first, now=NOW) is not None
    assert report_delivery.claim(subscription=second, now=NOW) is None
    assert Report.objects.filter(subscription=subscription).count() == 1


@pytest.mark.django_db
def test_report_period_is_unique_per_subscription() -> None:
    subscription = SubscriptionFactory()
    fields = {"subscription": subscription, "frequency": "weekly"}
    Report.objects.create(period_start=WEEK_START, period_end=MIDNIGHT, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(period_start=WEEK_START, period_end=MIDNIGHT, **fields)


@pytest.mark.django_db(transaction=True)
def test_send_due_in_two_threads_at_once_sends_each_subscription_once() -> None:
    build_world()
    subscriptions = [SubscriptionFactory(frequency=f) for f in ("daily", "weekly", "monthly")]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            report_delivery.send_due(now=NOW)
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert len(mail.outbox) == 3
    assert sorted(m.subject.split()[2] for m in mail.outbox) == ["daily", "monthly", "weekly"]
    for subscription in subscriptions:
        (report,) = Report.objects.filter(subscription=subscription)
        assert report.delivery_state == DeliveryState.SENT


_CHILD = """
import datetime as dt, pathlib, time
go = pathlib.Path({go!r})
pathlib.Path({ready!r}).touch()
while not go.exists():
    time.sleep(0.01)
from pledges.services.report_delivery import send_due
summary = send_due(now=dt.datetime(2025, 6, 9, 8, tzinfo=dt.UTC))
print("sent", len(summary.sent))
"""


@pytest.mark.django_db(transaction=True)
def test_send_due_in_two_processes_at_once_sends_each_subscription_once(tmp_path: Path) -> None:
    build_world()
    for frequency in ("daily", "weekly", "monthly", "weekly"):
        SubscriptionFactory(frequency=frequency)
    db = connection.settings_dict
    outbox = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_URL": f"file://{outbox}",
        "DEBUG": "0",
        "SECRET_KEY": "test-only",
        "LOG_LEVEL": "WARNING",
    }
    go = tmp_path / "go"
    children = []
    for n in range(2):
        code = _CHILD.format(go=str(go), ready=str(tmp_path / f"ready{n}"))
        children.append(
            subprocess.Popen(
                [sys.executable, "manage.py", "shell", "-c", code],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"ready{n}").exists() for n in range(2)):
        assert time.monotonic() < deadline, "children did not start"
        time.sleep(0.05)
    go.touch()
    outputs = [child.communicate(timeout=120) for child in children]
    assert all(child.returncode == 0 for child in children), outputs
    sent = sorted(int(out.split("sent ")[-1]) for out, _ in outputs)
    assert sum(sent) == 4, outputs
    messages = [
        line
        for path in outbox.iterdir()
        for line in path.read_text().splitlines()
        if line.startswith("Subject: ")
    ]
    assert len(messages) == 4
    assert Report.objects.filter(delivery_state=DeliveryState.SENT).count() == 4


@pytest.mark.django_db
def test_crash_after_claim_is_sent_once_by_the_next_run() -> None:
    build_world()
    subscription = SubscriptionFactory()
    report = report_delivery.claim(subscription=subscription, now=NOW)  # then the worker died
    assert report is not None and mail.outbox == []
    # A run soon after leaves it to its claimer; the next day's run takes it over.
    assert report_delivery.send_due(now=NOW + dt.timedelta(minutes=5)).claimed == []
    summary = report_delivery.send_due(now=NOW + dt.timedelta(days=1))
    assert summary.sent == [report.pk]
    assert report_delivery.send_due(now=NOW + dt.timedelta(days=2)).sent == []
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_crash_while_sending_is_never_resent_automatically() -> None:
    build_world()
    subscription = SubscriptionFactory()
    report = report_delivery.claim(subscription=subscription, now=NOW)
    Report.objects.filter(pk=report.pk).update(
        delivery_state=DeliveryState.SENDING, send_started_at=NOW
    )
    assert report_delivery.send_due(now=NOW + dt.timedelta(days=1)).sent == []
    assert report_delivery.deliver(report_id=report.pk) is False
    assert mail.outbox == []
    # An editor decides to send it again once it has been stuck for over an hour.
    with time_machine.travel(NOW + dt.timedelta(minutes=30), tick=False):
        assert report_delivery.release_for_resend(report=report) is False
    with time_machine.travel(NOW + dt.timedelta(hours=2), tick=False):
        assert report_delivery.release_for_resend(report=report) is True
    assert report_delivery.deliver(report_id=report.pk) is True
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_mail_server_down_keeps_the_report_pending(settings) -> None:  # type: ignore[no-untyped-def]
    build_world()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    SubscriptionFactory()
    summary = report_delivery.send_due(now=NOW)
    report = Report.objects.get()
    assert summary.sent == [] and report.delivery_state == DeliveryState.PENDING
    assert report.attempts == 1 and "cannot connect to the mail server" in report.error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert report_delivery.send_due(now=NOW + dt.timedelta(days=1)).sent == [report.pk]
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_error_while_sending_fails_without_retry(settings) -> None:  # type: ignore[no-untyped-def]
    build_world()
    settings.EMAIL_BACKEND = "tests.test_reports_delivery.ExplodingBackend"
    SubscriptionFactory()
    summary = report_delivery.send_due(now=NOW)
    report = Report.objects.get()
    assert summary.failed == [report.pk]
    assert report.delivery_state == DeliveryState.FAILED
    assert "ConnectionResetError" in report.error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert report_delivery.send_due(now=NOW + dt.timedelta(days=1)).claimed == []
    assert mail.outbox == []


@pytest.mark.django_db
def test_paused_subscription_is_not_claimed() -> None:
    SubscriptionFactory(is_active=False)
    assert report_delivery.send_due(now=NOW).claimed == []
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_claim_catches_up_from_the_last_period_end() -> None:
    subscription = SubscriptionFactory(
        frequency="weekly",
        last_period_end=MIDNIGHT - dt.timedelta(days=10),
        next_due_at=MIDNIGHT - dt.timedelta(days=3),
    )
    report = report_delivery.claim(subscription=subscription, now=NOW)
    assert (report.period_start, report.period_end) == (
        MIDNIGHT - dt.timedelta(days=10),
        MIDNIGHT,
    )


@pytest.mark.django_db
def test_subscription_recipients_are_validated_and_normalised() -> None:
    from django.core.exceptions import ValidationError

    subscription = SubscriptionFactory.build(
        recipients="a@example.org, B@example.org;a@example.org"
    )
    subscription.full_clean()
    assert subscription.recipients == "a@example.org\nb@example.org"
    subscription.recipients = "a@example.org, not-an-address"
    with pytest.raises(ValidationError, match="not-an-address"):
        subscription.full_clean()
