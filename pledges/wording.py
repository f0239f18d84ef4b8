"""How the pages, feeds and structured data word a pledge: one sentence, written once.

Plain text out; whoever puts it in HTML or XML escapes it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.template.defaultfilters import date as format_date

from pledges.charts import thousands
from pledges.models import JobsKind, Pledge

_KIND_WORDS = {
    JobsKind.DIRECT: "direct jobs",
    JobsKind.INDIRECT: "indirect jobs (at other companies)",
    JobsKind.RETAINED: "existing jobs kept",
    JobsKind.UNSPECIFIED: "jobs",
}


def money(value: int) -> str:
    """50000000000 → '$50 billion', 16000000 → '$16 million', 950000 → '$950,000'."""
    for size, word in ((1_000_000_000, "billion"), (1_000_000, "million")):
        if value >= size:
            return f"${value / size:.1f}".removesuffix(".0") + f" {word}"
    return f"${value:,}"


def jobs_phrase(pledge: Pledge) -> str:
    """'1,000,000 indirect jobs (at other companies)', or 'an unknown number of jobs'."""
    kind = _KIND_WORDS.get(pledge.jobs_kind, "jobs")
    if pledge.jobs_promised is None:
        return f"an unknown number of {kind}"
    return f"{thousands(pledge.jobs_promised)} {kind}"


def promise_sentence(pledge: Pledge, locations: Sequence[str] = ()) -> str:
    """Who promised how many jobs of what kind, to whom, when, where and by when.

    "Alibaba Group promised 1,000,000 indirect jobs (at other companies) to Donald Trump
    (President-elect) on 9 January 2017, in US and Midwestern United States, by 9 January
    2022 (over five years)."
    """
    parts = [f"{pledge.company.name} promised {jobs_phrase(pledge)}"]
    if pledge.investment_usd is not None:
        parts.append(f" and an investment of {money(pledge.investment_usd)}")
    if pledge.made_to:
        parts.append(f" to {pledge.made_to}")
    parts.append(f" on {format_date(pledge.announced_on, 'j F Y')}")
    if locations:
        places = list(locations)
        joined = places[0] if len(places) == 1 else f"{', '.join(places[:-1])} and {places[-1]}"
        parts.append(f", in {joined}")
    if pledge.deadline:
        parts.append(f", by {format_date(pledge.deadline, 'j F Y')}")
        if pledge.timeframe:
            parts.append(f" ({pledge.timeframe})")
    elif pledge.timeframe:
        parts.append(f", {pledge.timeframe}")
    else:
        parts.append(", with no deadline given")
    return "".join(parts) + "."
