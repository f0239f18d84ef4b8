"""Sources: one row per normalised URL."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from pledges.models import Source
from pledges.urlnorm import BadURL, normalise_url


def source_get_or_create(
    *,
    url: str,
    publisher: str = "",
    title: str = "",
    published_on: dt.date | None = None,
) -> tuple[Source, bool]:
    """The source for `url` after normalisation, created if new; blank details are filled in
    from the arguments, never overwritten."""
    try:
        normalised = normalise_url(url)
    except BadURL as exc:
        raise ValidationError({"url": str(exc)}) from None
    source, created = Source.objects.get_or_create(
        url=normalised,
        defaults={"publisher": publisher, "title": title, "published_on": published_on},
    )
    if not created:
        changed = []
        for name, value in (
            ("publisher", publisher),
            ("title", title),
            ("published_on", published_on),
        ):
            if value and not getattr(source, name):
                setattr(source, name, value)
                changed.append(name)
        if changed:
            source.save(update_fields=[*changed, "updated_at"])
    return source, created
