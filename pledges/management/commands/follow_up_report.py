"""`manage.py follow_up_report [--period daily|weekly|monthly] [--since DATE] [--send]`

Builds and stores an on-demand report of every published pledge for the 24 hours, 7 days or
30 days ending now (from local midnight of --since instead), and prints a summary with the
report's address. With --send, also builds each active subscription of that frequency its own
(filtered) report of the same period and emails it; a period already sent to a subscription
is not sent again. Subscriptions' daily schedule is not changed by this command.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from pledges.models_reports import ReportFrequency, Subscription
from pledges.services import report_delivery
from pledges.services.reports import SECTIONS, report_create, report_period


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--since {text!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = "Build a follow-up report now (and optionally email it to the subscriptions)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--period", choices=ReportFrequency.values, default=ReportFrequency.WEEKLY
        )
        parser.add_argument("--since", type=_date, help="start of the period (YYYY-MM-DD)")
        parser.add_argument(
            "--send",
            action="store_true",
            help="also email each active subscription of this frequency its report",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        since = options["since"]
        if since is not None and since >= timezone.localdate(now):
            raise CommandError("--since must be a day before today")
        start, end = report_period(frequency=options["period"], now=now, since=since)
        report = report_create(frequency=options["period"], period_start=start, period_end=end)
        self.stdout.write(
            f"Report #{report.pk}: {options['period']}, {start:%Y-%m-%d %H:%M} to "
            f"{end:%Y-%m-%d %H:%M} ({timezone.get_current_timezone_name()})"
        )
        for key, title in SECTIONS.items():
            self.stdout.write(f"  {title}: {report.counts[key]}")
        totals = report.data["sections"]["totals"]
        self.stdout.write(
            f"  Jobs promised {totals['jobs_promised']:,}, in kept pledges "
            f"{totals['jobs_kept']:,} ({totals['nested']} nested pledges counted once)"
        )
        self.stdout.write(f"  {settings.SITE_URL}{report.get_absolute_url()}")
        if options["send"]:
            self._send(frequency=options["period"], start=start, end=end)

    def _send(self, *, frequency: str, start: dt.datetime, end: dt.datetime) -> None:
        subscriptions = Subscription.objects.filter(is_active=True, frequency=frequency)
        sent = 0
        for subscription in subscriptions.order_by("id"):
            claimed = report_delivery.send_now(
                subscription=subscription, period_start=start, period_end=end
            )
            if claimed is None:
                self.stdout.write(f"  {subscription.name}: this period was sent already")
            elif report_delivery.deliver(report_id=claimed.pk):
                sent += 1
                self.stdout.write(f"  {subscription.name}: sent report #{claimed.pk}")
            else:
                claimed.refresh_from_db()
                self.stdout.write(f"  {subscription.name}: not sent ({claimed.error})")
        self.stdout.write(f"Sent {sent} of {subscriptions.count()} {frequency} subscription(s).")
