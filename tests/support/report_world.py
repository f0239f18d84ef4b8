"""A small, fixed world for the follow-up report tests; every expected row is named here.

The clock is 2025-06-09 08:00 UTC (a Monday). The weekly period of a subscription claimed then
is 2025-06-02 00:00 – 2025-06-09 00:00; the on-demand weekly period is 2025-06-02 08:00 –
2025-06-09 08:00. Both cover the same local days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import time_machine

from pledges.models import (
    LinkHealth,
    Pledge,
    Snapshot,
    Source,
    SourceCheck,
    Status,
    StatusUpdate,
    Suggestion,
)
from pledges.services.pledges import status_update_record
from tests.factories import CompanyFactory, PledgeFactory, PledgeSourceFactory, SourceFactory

NOW = dt.datetime(2025, 6, 9, 8, 0, tzinfo=dt.UTC)
BEFORE = dt.datetime(2025, 5, 1, 12, 0, tzinfo=dt.UTC)


def at(day: int, hour: int = 10, month: int = 6) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, 0, tzinfo=dt.UTC)


@dataclass
class World:
    pledges: dict[str, Pledge]
    sources: dict[str, Source]
    suggestions: dict[str, Suggestion]


def build_world() -> World:
    """Acme: A B E G H; Globex: C D F (F part of C). See the module docstring for the clock."""
    with time_machine.travel(BEFORE, tick=False):
        acme = CompanyFactory(name="Acme", slug="acme")
        globex = CompanyFactory(name="Globex", slug="globex")
        jan = dt.date(2025, 1, 1)
        specs = {
            "A": (acme, 1000, dt.date(2025, 6, 5), jan),
            "B": (acme, 3000, dt.date(2025, 6, 4), jan),
            "C": (globex, 2000, dt.date(2025, 7, 1), jan),
            "D": (globex, 400, dt.date(2025, 6, 3), jan),
            "E": (acme, 700, dt.date(2025, 12, 31), jan),
            "F": (globex, 500, dt.date(2025, 6, 20), jan),
            "G": (acme, 100, None, dt.date(2023, 1, 1)),
            "H": (acme, 200, None, dt.date(2023, 1, 1)),
        }
        pledges = {
            key: PledgeFactory(
                company=company,
                ref=f"REF-{key}",
                slug=f"pledge-{key.lower()}",
                title=f"Pledge {key} of {company.name}",
                jobs_promised=jobs,
                deadline=deadline,
                announced_on=announced,
            )
            for key, (company, jobs, deadline, announced) in specs.items()
        }
        Pledge.objects.filter(pk=pledges["F"].pk).update(part_of=pledges["C"])
        sources = {
            "a": SourceFactory(url="https://news.example.org/a", title="A hires"),
            "b": SourceFactory(url="https://news.example.org/b", title="B done"),
            "d": SourceFactory(url="https://news.example.org/d", title="D scrapped"),
            "dead": SourceFactory(
                url="https://gone.example.org/a", title="Dead link", published_on=jan
            ),
            "changed": SourceFactory(url="https://news.example.org/c", title="Edited"),
            "old_dead": SourceFactory(url="https://news.example.org/e", title="Long dead"),
            "uncited": SourceFactory(url="https://news.example.org/x", title="Uncited"),
            "g": SourceFactory(url="https://news.example.org/g", published_on=dt.date(2023, 2, 1)),
            "h": SourceFactory(url="https://news.example.org/h", published_on=dt.date(2025, 1, 1)),
        }
        for pledge, source in [
            ("A", "dead"),
            ("C", "changed"),
            ("E", "old_dead"),
            ("G", "g"),
            ("H", "h"),
        ]:
            PledgeSourceFactory(pledge=pledges[pledge], source=sources[source])
        status_update_record(
            pledge=pledges["C"],
            status=Status.STALLED,
            established_on=dt.date(2025, 4, 20),
            reason="market_conditions",
        )
        status_update_record(
            pledge=pledges["D"],
            status=Status.BROKEN,
            established_on=dt.date(2025, 4, 20),
            evidence=[sources["d"]],
            reason="company_decision",
        )
    with time_machine.travel(at(3), tick=False):
        status_update_record(
            pledge=pledges["A"],
            status=Status.IN_PROGRESS,
            established_on=dt.date(2025, 6, 2),
            explanation="Plant opened; 300 hired so far.",
            evidence=[sources["a"]],
        )
    with time_machine.travel(at(4), tick=False):
        status_update_record(
            pledge=pledges["B"],
            status=Status.KEPT,
            established_on=dt.date(2025, 6, 1),
            evidence=[sources["b"]],
        )
    Pledge.objects.filter(pk=pledges["E"].pk).update(created_at=at(4, 9))
    Pledge.objects.filter(pk=pledges["H"].pk).update(created_at=at(4, 10))
    Source.objects.filter(pk=sources["dead"].pk).update(health=LinkHealth.DEAD, health_since=at(5))
    Source.objects.filter(pk=sources["old_dead"].pk).update(
        health=LinkHealth.DEAD, health_since=at(1, month=5)
    )
    Source.objects.filter(pk=sources["uncited"].pk).update(
        health=LinkHealth.GONE, health_since=at(3)
    )
    Snapshot.objects.create(
        source=sources["dead"],
        fetched_at=at(1, month=3),
        final_url=sources["dead"].url,
        sha256="0" * 64,
    )
    SourceCheck.objects.create(source=sources["changed"], checked_at=at(6), outcome="changed")
    SourceCheck.objects.create(source=sources["changed"], checked_at=at(7), outcome="unchanged")
    SourceCheck.objects.create(
        source=sources["changed"], checked_at=at(1, month=5), outcome="changed"
    )
    suggestions = {
        "s1": Suggestion.objects.create(
            kind="status_change",
            pledge=pledges["A"],
            source=sources["a"],
            proposed_status=Status.KEPT,
            sentence='=HYPERLINK("http://evil.example") Acme says all 1,000 jobs are filled.',
        ),
        "candidate": Suggestion.objects.create(
            kind="candidate_source",
            company=globex,
            candidate_url="https://news.example.org/globex-new",
        ),
        "s2": Suggestion.objects.create(
            kind="new_evidence", pledge=pledges["C"], sentence="Globex delays the plant."
        ),
        "done": Suggestion.objects.create(
            kind="new_evidence", pledge=pledges["E"], state="accepted", sentence="Old news."
        ),
    }
    for key, created in [
        ("s1", BEFORE),
        ("candidate", at(15, month=5)),
        ("s2", at(5)),
        ("done", at(5)),
    ]:
        Suggestion.objects.filter(pk=suggestions[key].pk).update(created_at=created)
    # Outside the period: recorded before it.
    StatusUpdate.objects.filter(pledge__in=[pledges["C"], pledges["D"]]).update(recorded_at=BEFORE)
    for pledge in pledges.values():
        pledge.refresh_from_db()
    return World(pledges=pledges, sources=sources, suggestions=suggestions)
