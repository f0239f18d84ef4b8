"""Follow-up reports and the subscriptions that deliver them (imported by `pledges.models`).

A `Subscription` is data editors manage in the admin: who gets which report how often, with
optional filters. Each delivered (or on-demand) report is a stored `Report` row; the row of a
subscription's period is created in the same transaction as the claim that moves the
subscription's schedule on, and a unique constraint on (subscription, period) makes a second
row for the same period impossible, so a period is never sent twice to one subscription.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import Q
from django.urls import reverse

from pledges.models import Company, Status

MAX_RECIPIENTS = 50


class ReportFrequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"


PERIOD_LENGTH = {
    ReportFrequency.DAILY: dt.timedelta(days=1),
    ReportFrequency.WEEKLY: dt.timedelta(days=7),
    ReportFrequency.MONTHLY: dt.timedelta(days=30),
}


def split_recipients(text: str) -> list[str]:
    """The addresses of a recipients field: separated by commas, semicolons or white space,
    lower-cased, duplicates dropped, in the order given."""
    seen: dict[str, None] = {}
    for part in re.split(r"[\s,;]+", text or ""):
        if part:
            seen.setdefault(part.lower(), None)
    return list(seen)


def validate_recipients(text: str) -> None:
    addresses = split_recipients(text)
    if not addresses:
        raise ValidationError("Give at least one email address.")
    if len(addresses) > MAX_RECIPIENTS:
        raise ValidationError(f"At most {MAX_RECIPIENTS} recipients per subscription.")
    bad = []
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            bad.append(address)
    if bad:
        raise ValidationError(
            "Not an email address: %(bad)s", params={"bad": ", ".join(bad[:5])[:300]}
        )


class Subscription(models.Model):
    """Who receives a follow-up report, how often, about which pledges."""

    name = models.CharField(max_length=200, help_text="e.g. 'Business desk, Midwest'.")
    recipients = models.TextField(
        validators=[validate_recipients],
        help_text=f"Email addresses, one per line or comma-separated (at most {MAX_RECIPIENTS}).",
    )
    frequency = models.CharField(
        max_length=10, choices=ReportFrequency.choices, default=ReportFrequency.WEEKLY
    )
    # Filters: empty means "any". PROTECT: deleting the company must not silently widen a
    # newsroom's report to every company.
    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_subscriptions",
    )
    location = models.CharField(
        max_length=200,
        blank=True,
        help_text="US-WI: that place; US: the country or any place in it; other text: any "
        "place containing it.",
    )
    status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    is_active = models.BooleanField(default=True)
    # The schedule, moved on only by the claim in pledges.services.report_delivery.
    last_period_end = models.DateTimeField(null=True, blank=True, editable=False)
    next_due_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Empty: due at the next daily run."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["is_active", "next_due_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=ReportFrequency.values),
                name="subscription_frequency_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="") | Q(status__in=Status.values),
                name="subscription_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # One address per line: what the admin shows is what will be used.
        self.recipients = "\n".join(split_recipients(self.recipients))
        self.location = self.location.strip()

    @property
    def recipient_list(self) -> list[str]:
        return split_recipients(self.recipients)

    @property
    def filters(self) -> dict[str, object]:
        """The filters as stored on each of this subscription's reports."""
        return {
            "company_id": self.company_id,
            "location": self.location,
            "status": self.status,
        }


class DeliveryState(models.TextChoices):
    ON_DEMAND = "on_demand", "On demand (not sent)"
    PENDING = "pending", "Claimed, not sent yet"
    SENDING = "sending", "Sending (outcome unknown if it stays here)"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Report(models.Model):
    """A follow-up report of one period, its data frozen as JSON when it was generated."""

    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    frequency = models.CharField(max_length=10, choices=ReportFrequency.choices)
    generated_at = models.DateTimeField(null=True, blank=True)
    filters = models.JSONField(default=dict, blank=True)
    data = models.JSONField(default=dict, blank=True)
    # Section -> number of items: what the list page shows without loading `data`.
    counts = models.JSONField(default=dict, blank=True)
    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    delivery_state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.ON_DEMAND
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    send_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_to = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-period_end", "-id"]
        indexes = [
            models.Index(fields=["-period_end", "-id"]),
            models.Index(fields=["delivery_state", "claimed_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "period_start", "period_end"],
                name="report_period_once_per_subscription",
                violation_error_message="This subscription already has a report of this period.",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")),
                name="report_period_not_empty",
            ),
            models.CheckConstraint(
                condition=Q(delivery_state__in=DeliveryState.values),
                name="report_delivery_state_valid",
            ),
        ]

    def __str__(self) -> str:
        period = f"{self.period_start:%Y-%m-%d} – {self.period_end:%Y-%m-%d}"
        return f"{self.get_frequency_display()} report, {period}"

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", kwargs={"pk": self.pk})
