"""Celery entry points of the follow-up reports (registered through `pledges.tasks`).

Beat runs `send_due_reports` once a day (the entry is created by migration 0008): it claims
every due subscription and fans the deliveries out, one task per report, so one slow mail
server or a large report does not hold up the others. Both tasks are safe to run twice.
"""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from pledges.services import report_delivery

DELIVER_TIME_LIMIT = 240


@shared_task(acks_late=True, ignore_result=True, time_limit=120, soft_time_limit=100)
def send_due_reports() -> int:
    """Claim the due subscriptions' periods and enqueue their delivery; how many."""
    report_ids = report_delivery.claim_due(now=timezone.now())
    for report_id in report_ids:
        deliver_report.delay(report_id)
    return len(report_ids)


@shared_task(
    acks_late=True,
    ignore_result=True,
    time_limit=DELIVER_TIME_LIMIT,
    soft_time_limit=DELIVER_TIME_LIMIT - 20,
)
def deliver_report(report_id: int) -> bool:
    """Build and send one claimed report (a no-op unless it is still pending)."""
    return report_delivery.deliver(report_id=report_id)
