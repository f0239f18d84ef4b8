"""Delivery of follow-up reports to subscriptions: exactly once per period, crash or not.

1. **Claim** (`claim_due`): for a due subscription, one transaction moves its schedule on with
   a conditional UPDATE (it matches only if `last_period_end`/`next_due_at` are still what this
   process read; a concurrent claimer updates nothing) and creates the period's `Report` row
   (state pending). A unique constraint on (subscription, period_start, period_end) backs this
   up: no second row, so no second email, for one period.
2. **Send** (`deliver`): build the data, then one conditional UPDATE pending → sending stores
   the data and takes the right to send; only the process whose UPDATE matched sends.
   A connection that cannot be opened puts the report back to pending (nothing was sent; the
   next run retries, at most `MAX_ATTEMPTS` times). Any other error, or a crash, leaves it
   failed or sending: the message may have gone out, so it is never resent automatically;
   an editor can resend it from the admin.

Periods are aligned to local midnight: a subscription claimed on a day covers from the end of
its last period (or one period back) to that day's midnight, so two claimers of the same day
compute the same period. After a long pause a catch-up covers at most `MAX_CATCH_UP`.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import smtplib
from dataclasses import dataclass, field
from email.mime.image import MIMEImage

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from pledges.models_reports import (
    PERIOD_LENGTH,
    DeliveryState,
    Report,
    ReportFrequency,
    Subscription,
)
from pledges.report_chart import chart_png
from pledges.services.reports import (
    ReportFilters,
    build_report_data,
    chart_bars,
    report_counts,
)

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
MAX_CATCH_UP = dt.timedelta(days=92)
# A pending report this old was claimed by a run that died before sending it: take it over.
ORPHAN_AFTER = dt.timedelta(minutes=30)
STUCK_AFTER = dt.timedelta(hours=1)  # sending longer than this: the sender died mid-send
EMAIL_ROWS = 15  # rows per section in the email; the stored report has them all


@dataclass
class DeliverySummary:
    claimed: list[int] = field(default_factory=list)
    sent: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def local_midnight(moment: dt.datetime) -> dt.datetime:
    """The start of `moment`'s day in the current time zone."""
    day = timezone.localdate(moment)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def due_period(
    *, subscription: Subscription, now: dt.datetime
) -> tuple[dt.datetime, dt.datetime] | None:
    """The period `subscription` is due to be sent for at `now`, or None when it is not due."""
    if not subscription.is_active:
        return None
    if subscription.next_due_at is not None and subscription.next_due_at > now:
        return None
    end = local_midnight(now)
    length = PERIOD_LENGTH[ReportFrequency(subscription.frequency)]
    start = end - length
    if subscription.last_period_end is not None:
        start = max(subscription.last_period_end, end - MAX_CATCH_UP)
    if start >= end:
        return None
    return start, end


def claim(*, subscription: Subscription, now: dt.datetime) -> Report | None:
    """Claim `subscription`'s due period: move its schedule on and create the period's report
    in one transaction. None when it is not due or another process claimed it first."""
    period = due_period(subscription=subscription, now=now)
    if period is None:
        return None
    start, end = period
    length = PERIOD_LENGTH[ReportFrequency(subscription.frequency)]
    unchanged = Q(pk=subscription.pk, is_active=True)
    for name in ("last_period_end", "next_due_at"):
        value = getattr(subscription, name)
        unchanged &= Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})
    try:
        with transaction.atomic():
            if not Subscription.objects.filter(unchanged).update(
                last_period_end=end, next_due_at=end + length, updated_at=now
            ):
                return None
            return Report.objects.create(
                subscription=subscription,
                frequency=subscription.frequency,
                period_start=start,
                period_end=end,
                filters=subscription.filters,
                delivery_state=DeliveryState.PENDING,
                claimed_at=now,
            )
    except IntegrityError:  # this period's report exists: it was claimed already
        return None


def claim_due(*, now: dt.datetime) -> list[int]:
    """Claim every due subscription; the ids of the reports to deliver, including pending
    ones a crashed run left behind. Any number of processes may run this at once."""
    ids = []
    due = Subscription.objects.filter(
        Q(next_due_at__isnull=True) | Q(next_due_at__lte=now), is_active=True
    ).order_by("id")
    for subscription in due:
        report = claim(subscription=subscription, now=now)
        if report is not None:
            ids.append(report.pk)
    orphans = Report.objects.filter(
        delivery_state=DeliveryState.PENDING, claimed_at__lt=now - ORPHAN_AFTER
    ).exclude(pk__in=ids)
    ids += list(orphans.order_by("id").values_list("id", flat=True))
    return ids


def _message(*, report: Report, recipients: list[str]) -> EmailMultiAlternatives:
    """The email: plain text, HTML, and the totals chart as an inline PNG (Content-ID)."""
    data = report.data
    title, bars = chart_bars(data)
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
    # Short enough never to be folded: <chart.ID.RANDOM@domain>.
    chart_id = f"<chart.{report.pk}.{secrets.token_hex(6)}@{domain}>"
    context = {
        "report": report,
        "data": data,
        "sections": data["sections"],
        "site_url": settings.SITE_URL,
        "report_url": settings.SITE_URL + report.get_absolute_url(),
        "chart_cid": chart_id[1:-1],
        "chart_title": title,
        "email_rows": EMAIL_ROWS,
        "subscription": report.subscription,
    }
    subject = render_to_string("reports/email_subject.txt", context).strip().splitlines()[0]
    message = EmailMultiAlternatives(
        subject=subject[:200],
        body=render_to_string("reports/email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
    message.attach_alternative(render_to_string("reports/email.html", context), "text/html")
    # multipart/related around the alternatives, so the HTML can show the image by its cid.
    message.mixed_subtype = "related"
    image = MIMEImage(chart_png(title=title, bars=bars), "png")
    image.add_header("Content-ID", chart_id)
    image.add_header("Content-Disposition", "inline", filename="totals.png")
    message.attach(image)
    return message


def _fail(report: Report, *, state: str, error: str) -> None:
    Report.objects.filter(pk=report.pk).update(
        delivery_state=state, error=error[:2000], attempts=report.attempts + 1
    )
    log.warning("report %s: %s (%s)", report.pk, state, error[:200])


def deliver(*, report_id: int, now: dt.datetime | None = None) -> bool:
    """Build and send the pending report `report_id`; True when this call sent it. Safe to
    call from several processes at once: only one of them sends."""
    now = now or timezone.now()
    report = Report.objects.select_related("subscription").filter(pk=report_id).first()
    if report is None or report.delivery_state != DeliveryState.PENDING:
        return False
    subscription = report.subscription
    if subscription is None or not subscription.is_active or not subscription.recipient_list:
        Report.objects.filter(pk=report.pk, delivery_state=DeliveryState.PENDING).update(
            delivery_state=DeliveryState.FAILED, error="The subscription was removed or paused."
        )
        return False
    data = build_report_data(
        period_start=report.period_start,
        period_end=report.period_end,
        filters=ReportFilters.of(subscription),
    )
    recipients = subscription.recipient_list
    # The claim to send: stores the data sent, and matches in one process only.
    if not Report.objects.filter(pk=report.pk, delivery_state=DeliveryState.PENDING).update(
        delivery_state=DeliveryState.SENDING,
        data=data,
        counts=report_counts(data),
        filters=data["filters"],
        generated_at=now,
        send_started_at=now,
        sent_to="\n".join(recipients),
    ):
        return False
    report.data, report.counts = data, report_counts(data)
    message = _message(report=report, recipients=recipients)
    connection = get_connection()
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as exc:  # nothing was sent: try again later
        state = (
            DeliveryState.PENDING if report.attempts + 1 < MAX_ATTEMPTS else DeliveryState.FAILED
        )
        _fail(report, state=state, error=f"cannot connect to the mail server: {exc}")
        return False
    try:
        connection.send_messages([message])
    except Exception as exc:  # whatever it was, the message may have gone out: never resend
        _fail(report, state=DeliveryState.FAILED, error=f"{type(exc).__name__}: {exc}")
        return False
    finally:
        connection.close()
    Report.objects.filter(pk=report.pk).update(
        delivery_state=DeliveryState.SENT, sent_at=timezone.now(), error=""
    )
    return True


def send_due(*, now: dt.datetime) -> DeliverySummary:
    """Claim and deliver every due subscription in this process (the command and tests;
    the beat task fans the deliveries out to workers instead)."""
    summary = DeliverySummary()
    for report_id in claim_due(now=now):
        summary.claimed.append(report_id)
        if deliver(report_id=report_id, now=now):
            summary.sent.append(report_id)
        else:
            state = Report.objects.filter(pk=report_id).values_list("delivery_state", flat=True)
            (summary.failed if state.first() == DeliveryState.FAILED else summary.skipped).append(
                report_id
            )
    return summary


def send_now(
    *, subscription: Subscription, period_start: dt.datetime, period_end: dt.datetime
) -> Report | None:
    """Create and claim a report of an explicit period for `subscription` (the command's
    `--send`), leaving its schedule alone. None when that period was sent already."""
    try:
        with transaction.atomic():
            return Report.objects.create(
                subscription=subscription,
                frequency=subscription.frequency,
                period_start=period_start,
                period_end=period_end,
                filters=subscription.filters,
                delivery_state=DeliveryState.PENDING,
                claimed_at=timezone.now(),
            )
    except IntegrityError:
        return None


def release_for_resend(*, report: Report) -> bool:
    """An editor's decision to send a failed report, or one stuck in sending for over an
    hour (a crash mid-send), again: back to pending. True when it was released."""
    now = timezone.now()
    stuck = Q(delivery_state=DeliveryState.SENDING, send_started_at__lt=now - STUCK_AFTER)
    return bool(
        Report.objects.filter(Q(delivery_state=DeliveryState.FAILED) | stuck)
        .filter(pk=report.pk, subscription__isnull=False)
        .update(delivery_state=DeliveryState.PENDING, claimed_at=now, error="")
    )
