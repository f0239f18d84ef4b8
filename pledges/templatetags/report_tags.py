"""Filters for the follow-up report templates (pages and emails), over stored JSON values."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from pledges.models import Status

register = template.Library()
_LABELS = dict(Status.choices)


@register.filter
def status_label(value: str | None) -> str:
    """'partially_kept' → 'Partially kept'; unknown values as they are."""
    return _LABELS.get(value or "", value or "")


@register.filter
def when(value: str | None) -> str:
    """An ISO date or date-time from a report's data, as '2025-06-03' or '2025-06-03 14:05'
    (local time)."""
    if not value:
        return ""
    try:
        if "T" not in value:
            return dt.date.fromisoformat(value).isoformat()
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M")


@register.filter
def http_only(url: str | None) -> str:
    """The URL if it is http(s), else '': never a javascript: or data: link in a report."""
    url = (url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else ""


@register.filter
def number(value: int | None) -> str:
    """1000000 → '1,000,000'; None → 'unknown'."""
    return "unknown" if value is None else f"{value:,}"
