"""Evidence suggestions: sentences that may tell a pledge's fate, put in the review queue.

Only new text is read (the sentences a change added, or a newly captured follow-up article), in
English. A sentence is flagged when it carries a sign of fate (scrapped, abandoned, cancelled,
on hold, hired 1,200, opened, began production, layoffs, withdrawn, scaled back) that is not
negated or denied ("has not abandoned", "denied reports that ... was scrapped") nor hedged
("could be scrapped"), and only for pledges whose company the article names (or an alias) --
the sentence itself may just say "the company". Each suggestion quotes the sentence verbatim.
Nothing here changes a pledge: an editor accepts or dismisses each suggestion.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings

from pledges.models import (
    Pledge,
    Snapshot,
    Source,
    SourceRole,
    Status,
    Suggestion,
    SuggestionKind,
    SuggestionState,
)

MAX_SENTENCE_CHARS = 600  # longer "sentences" are run-on page text, not a statement

# (signal, proposed status, pattern); the first match in a sentence wins.
SIGNALS: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (signal, status, re.compile(pattern, re.I))
    for signal, status, pattern in (
        ("scrapped", Status.WITHDRAWN, r"\b(?:scrap(?:ped|s|ping)?|called off|calls off)\b"),
        ("withdrawn", Status.WITHDRAWN, r"\b(?:withdr[ae]wn?|withdraws|pulled out|pulls out)\b"),
        ("cancelled", Status.WITHDRAWN, r"\b(?:cancel(?:l?ed|s|ling)?|shelved|shelves)\b"),
        ("abandoned", Status.BROKEN, r"\b(?:abandon(?:ed|s|ing)?|dropped (?:the|its) plans?)\b"),
        (
            "layoffs",
            Status.BROKEN,
            r"\b(?:lay-?offs?|laid off|lays off|job cuts|cut (?:\S+ )?jobs)\b",
        ),
        (
            "closed",
            Status.BROKEN,
            r"\b(?:close[sd]? (?:the|its) (?:plant|factory|site|facility)|shut down)\b",
        ),
        ("on hold", Status.STALLED, r"\b(?:on hold|paused|on ice|halted|suspended|delayed)\b"),
        (
            "scaled back",
            Status.PARTIALLY_KEPT,
            r"\b(?:scaled? (?:back|down)|scales (?:back|down)|fewer jobs than)\b",
        ),
        (
            "hired",
            Status.KEPT,
            r"\b(?:(?:has |have |had )?hired [0-9][0-9,.]*|now employs [0-9][0-9,.]*)",
        ),
        (
            "opened",
            Status.IN_PROGRESS,
            r"\b(?:opened|began production|begun production|started production|broke ground)\b",
        ),
    )
)
# A negation or denial before the sign, in the same clause, cancels it.
_NEGATION = re.compile(
    r"\b(?:not|never|no|n't|without|denied|denies|deny|denying|dismissed|rejected|refuted|"
    r"false|untrue|rumou?rs?)\b|n't\b",
    re.I,
)
_HEDGE = re.compile(
    r"\b(?:could|may|might|would|if|whether|considering|consider|threaten(?:s|ed)?|"
    r"plans? to|weigh(?:s|ing)?|mull(?:s|ing)?)\b",
    re.I,
)
_WORD = re.compile(r"[\w'&.-]+")
_LEGAL_SUFFIX = re.compile(
    r"[,\s]+(?:inc|corp|corporation|co|ltd|llc|plc|ag|sa|gmbh|holdings|group|company)\.?$", re.I
)


@dataclass(frozen=True)
class Finding:
    sentence: str  # verbatim
    signal: str
    proposed_status: str


def find_signals(sentences: Iterable[str]) -> list[Finding]:
    """The sentences that carry a sign of fate, not negated, denied or hedged before it."""
    found = []
    for sentence in sentences:
        if len(sentence) > MAX_SENTENCE_CHARS:
            continue
        for signal, status, pattern in SIGNALS:
            match = pattern.search(sentence)
            if match is None:
                continue
            before = sentence[: match.start()]
            if not (_NEGATION.search(before) or _HEDGE.search(before)):
                found.append(Finding(sentence, signal, status))
            break
    return found


def _tokens(text: str) -> list[str]:
    return [w.strip(".'-").lower() for w in _WORD.findall(text)]


def name_variants(name: str) -> set[tuple[str, ...]]:
    """Token sequences that name a company: "Foxconn Technology Group" also as "Foxconn
    Technology"; one-letter leftovers are never a name."""
    variants = {tuple(_tokens(name))}
    short = _LEGAL_SUFFIX.sub("", name.strip())
    if short != name.strip():
        variants.add(tuple(_tokens(short)))
    return {v for v in variants if v and len("".join(v)) > 2}


def names_in(text: str, names: dict[tuple[str, ...], int]) -> set[int]:
    """Ids whose name (token sequence, lower case) occurs in ``text``."""
    tokens = _tokens(text)
    by_first: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for seq, ident in names.items():
        by_first.setdefault(seq[0], []).append((seq, ident))
    found = set()
    for i, token in enumerate(tokens):
        for seq, ident in by_first.get(token, ()):
            if tuple(tokens[i : i + len(seq)]) == seq:
                found.add(ident)
    return found


def company_names(pledges: Sequence[Pledge]) -> dict[tuple[str, ...], int]:
    """{name token sequence: company id} for the companies of ``pledges`` and their aliases
    (aliases prefetched as ``company__aliases``)."""
    names: dict[tuple[str, ...], int] = {}
    for pledge in pledges:
        company = pledge.company
        for name in [company.name, *(a.name for a in company.aliases.all())]:
            for variant in name_variants(name):
                names[variant] = company.pk
    return names


def propose(
    *,
    source: Source,
    snapshot: Snapshot,
    sentences: Sequence[str],
    article_text: str,
    first_capture: bool,
) -> list[str]:
    """Create review-queue suggestions for the fate signs in ``sentences`` (new text of
    ``snapshot``); returns the sentences proposed. On a first capture only articles cited as
    follow-up or evidence are read: an announcement predates its pledge's fate."""
    links = source.pledge_sources.select_related("pledge__company").prefetch_related(
        "pledge__company__aliases"
    )
    if first_capture:
        links = links.exclude(role=SourceRole.ANNOUNCEMENT)
    pledges = [link.pledge for link in links]
    findings = find_signals(sentences) if pledges else []
    if not findings:
        return []
    named = names_in(article_text, company_names(pledges))
    companies = {p.company_id for p in pledges}
    if settings.EVIDENCE_COMPANY_MATCH == "cited" and len(companies) == 1:
        # An editor cited this article for this one company's pledges: that is the statement
        # that it is about the company, even when it spells the name differently.
        named |= companies
    proposed: list[str] = []
    for pledge in pledges:
        if pledge.company_id not in named:
            continue
        for finding in findings:
            _, created = Suggestion.objects.get_or_create(
                pledge=pledge,
                source=source,
                sentence=finding.sentence,
                state=SuggestionState.PENDING,
                defaults={
                    "kind": SuggestionKind.STATUS_CHANGE,
                    "company_id": pledge.company_id,
                    "snapshot": snapshot,
                    "proposed_status": finding.proposed_status,
                    "signal": finding.signal,
                },
            )
            if created and finding.sentence not in proposed:
                proposed.append(finding.sentence)
    return proposed
