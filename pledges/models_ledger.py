"""The jobs ledger (issue #8): what became of a pledge, in sourced numbers.

Imported by `pledges.models`. Every row here cites a `Source`: the foreign key is NOT NULL in
the database and required by `full_clean()`, so an observation, claim, offset, subsidy or
lineage edge without an article behind it cannot be stored by any writer.

- `Observation`: a dated figure of delivery (jobs and/or investment as of a date), with its
  counting basis, who reported it and how far it can be trusted. A pledge's "jobs delivered"
  is its latest credible observation (denormalised onto `Pledge.delivered_*` by
  `pledges.services.ledger`), never an unsourced guess.
- `Claim`: what a politician, official or the company said (who, when, where, the number);
  a claim needs no pledge behind it.
- `PledgeLink`: lineage edges besides the `part_of` / `reannouncement_of` foreign keys of
  `Pledge`: `supersedes` (Foxconn's 2021 amendment replaces its 2017 contract) and `reverses`
  (FCA's 2019 plan reverses its 2018 Ram Heavy Duty move).
- `PriorPlan`: "planned before" evidence: an article showing the plan behind a pledge was
  public before it was announced (Exxon's Gulf investments began in 2013).
- `OffsetEvent`: layoffs and closures by the company or its parent, for "net since the pledge".
- `Subsidy`: public incentives tied to a pledge.
- `ReplyRequest`: the company's right of reply: asked on a date; answered or declined.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import connection, models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from pledges.models import Company, Pledge, Source
from pledges.urlnorm import validate_http_url

SOURCE_REQUIRED = {
    "null": "Cite the article this comes from: a ledger entry without a source is refused.",
    "blank": "Cite the article this comes from: a ledger entry without a source is refused.",
}


def _source_field(related_name: str, *, help_text: str = "The article it comes from.") -> Any:
    return models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name=related_name,
        error_messages=SOURCE_REQUIRED,
        help_text=help_text,
    )


def _amount(verbose_name: str, help_text: str = "") -> models.BigIntegerField:
    return models.BigIntegerField(
        verbose_name,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=help_text or "Empty = unknown (never zero for unknown).",
    )


def _not_negative(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}),
        name=name,
        violation_error_message=f"{field.replace('_', ' ').capitalize()} cannot be negative.",
    )


def _valid_choice(field: str, choices: type[models.TextChoices], name: str) -> Any:
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


class ReporterKind(models.TextChoices):
    COMPANY = "company", "The company"
    GOVERNMENT = "government", "Government filing or agency"
    WARN_NOTICE = "warn_notice", "WARN notice"
    JOURNALIST = "journalist", "Journalist's estimate"
    UNION = "union", "Union"
    OTHER = "other", "Other"


class Confidence(models.TextChoices):
    HIGH = "high", "High: an official figure, or several independent sources agree"
    MEDIUM = "medium", "Medium: one credible source"
    LOW = "low", "Low: a rough estimate or a disputed figure (never counted as delivered)"


# Observations of these confidences may become a pledge's "jobs delivered".
CREDIBLE_CONFIDENCE = (Confidence.HIGH, Confidence.MEDIUM)


class JobsMeasure(models.TextChoices):
    GROSS_HIRES = "gross_hires", "Gross hires (people hired, whatever left)"
    NET_HEADCOUNT = "net_headcount", "Net headcount change"
    HEADCOUNT = "headcount", "Headcount at the site"
    UNSPECIFIED = "unspecified", "Unspecified"


class JobsBasis(models.TextChoices):
    DIRECT = "direct", "Direct (the company's own jobs)"
    INDIRECT = "indirect", "Indirect (jobs at suppliers, sellers, others)"
    CONSTRUCTION = "construction", "Construction or temporary"
    RETAINED = "retained", "Retained (existing jobs 'saved')"
    UNSPECIFIED = "unspecified", "Unspecified"


class Observation(models.Model):
    """A sourced, dated figure of what a pledge delivered so far."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="observations")
    observed_on = models.DateField("as of", help_text="The date the figure describes.")
    jobs = _amount("jobs", "Jobs counted as of that date; empty = not reported.")
    investment_usd = _amount("investment (USD)", "Dollars invested as of that date.")
    measure = models.CharField(
        max_length=16, choices=JobsMeasure.choices, default=JobsMeasure.UNSPECIFIED
    )
    basis = models.CharField(
        "counting basis", max_length=16, choices=JobsBasis.choices, default=JobsBasis.UNSPECIFIED
    )
    reporter_kind = models.CharField("reported by", max_length=16, choices=ReporterKind.choices)
    reporter = models.CharField(
        max_length=200, blank=True, help_text="Who exactly: 'Wisconsin Economic Development Corp.'"
    )
    confidence = models.CharField(
        max_length=8, choices=Confidence.choices, default=Confidence.MEDIUM
    )
    source = _source_field("observations")
    note = models.TextField(blank=True, help_text="What the figure covers; any caveat.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pledge", "observed_on", "id"]
        get_latest_by = ["observed_on", "id"]
        indexes = [models.Index(fields=["pledge", "-observed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(jobs__isnull=False) | Q(investment_usd__isnull=False),
                name="observation_has_a_figure",
                violation_error_message="Give the jobs or the investment observed (or both).",
            ),
            _not_negative("jobs", "observation_jobs_not_negative"),
            _not_negative("investment_usd", "observation_investment_not_negative"),
            _valid_choice("measure", JobsMeasure, "observation_measure_valid"),
            _valid_choice("basis", JobsBasis, "observation_basis_valid"),
            _valid_choice("reporter_kind", ReporterKind, "observation_reporter_valid"),
            _valid_choice("confidence", Confidence, "observation_confidence_valid"),
        ]

    def __str__(self) -> str:
        figure = f"{self.jobs:,} jobs" if self.jobs is not None else f"${self.investment_usd:,}"
        return f"{figure} as of {self.observed_on}"

    def clean(self) -> None:
        if self.jobs is None and self.investment_usd is None:
            raise ValidationError({"jobs": "Give the jobs or the investment observed (or both)."})

    @property
    def is_credible(self) -> bool:
        return self.confidence in CREDIBLE_CONFIDENCE


class ClaimantKind(models.TextChoices):
    POLITICIAN = "politician", "Politician"
    OFFICIAL = "official", "Official or government body"
    COMPANY = "company", "The company itself"
    OTHER = "other", "Other"


class Claim(models.Model):
    """What someone said about jobs: a politician's boast, an official's figure, a company's
    statement. `pledge` is optional: a claim with no company pledge behind it is recorded too.

    `credits_politician` marks a statement that attributes the jobs to a politician or to
    their policy; when the company itself makes it (`claimant_kind=company`), the pledge's
    jobs count as *credited* in the funnel.
    """

    pledge = models.ForeignKey(
        Pledge, on_delete=models.SET_NULL, null=True, blank=True, related_name="claims"
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claims",
        help_text="The company the claim is about, when it names one (filled from the pledge).",
    )
    claimant = models.CharField("who", max_length=200)
    claimant_role = models.CharField("role", max_length=200, blank=True)
    claimant_kind = models.CharField(max_length=12, choices=ClaimantKind.choices)
    stated_on = models.DateField("when")
    venue = models.CharField("where", max_length=300, blank=True, help_text="Tweet, speech, ...")
    jobs_stated = _amount("jobs stated")
    jobs_supported = _amount(
        "jobs the sources support",
        "What the sources support for what the claim describes, when that differs from the "
        "promise (Carrier: about 800 jobs were really at risk).",
    )
    investment_stated = _amount("investment stated (USD)")
    statement = models.TextField(blank=True, help_text="The words, quoted or closely summarised.")
    credits_politician = models.BooleanField(
        default=False, help_text="The statement attributes the jobs to a politician or policy."
    )
    credited_to = models.CharField(max_length=200, blank=True)
    source = _source_field("claims")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["stated_on", "id"]
        indexes = [models.Index(fields=["stated_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(jobs_stated__isnull=False)
                | Q(investment_stated__isnull=False)
                | ~Q(statement=""),
                name="claim_says_something",
                violation_error_message="Give the number stated or the statement.",
            ),
            _not_negative("jobs_stated", "claim_jobs_not_negative"),
            _not_negative("jobs_supported", "claim_jobs_supported_not_negative"),
            _not_negative("investment_stated", "claim_investment_not_negative"),
            _valid_choice("claimant_kind", ClaimantKind, "claim_claimant_kind_valid"),
        ]

    def __str__(self) -> str:
        number = f" {self.jobs_stated:,} jobs" if self.jobs_stated is not None else ""
        return f"{self.claimant} ({self.stated_on}):{number} {self.statement[:60]}".strip()

    def clean(self) -> None:
        if self.jobs_stated is None and self.investment_stated is None and not self.statement:
            raise ValidationError({"statement": "Give the number stated or the statement."})
        if self.credits_politician and not self.credited_to.strip():
            raise ValidationError({"credited_to": "Say whom the statement credits."})

    @property
    def is_company_credit(self) -> bool:
        """The company itself credits a politician: what the funnel's last stage counts."""
        return self.claimant_kind == ClaimantKind.COMPANY and self.credits_politician


class LinkKind(models.TextChoices):
    SUPERSEDES = "supersedes", "supersedes (replaces its terms)"
    REVERSES = "reverses", "reverses (undoes it)"


class PledgeLink(models.Model):
    """`pledge` supersedes or reverses `target`, an earlier pledge, per `source`.

    Totals count only the latest pledge of a chain of supersessions; a reversal is shown but
    does not merge the two (the reversed promise was made, and broken by the later one).
    """

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=12, choices=LinkKind.choices)
    target = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="linked_by")
    source = _source_field("pledge_links")
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pledge", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pledge", "kind", "target"],
                name="pledge_link_once",
                violation_error_message="These pledges are already linked this way.",
            ),
            models.CheckConstraint(
                condition=~Q(pledge=models.F("target")),
                name="pledge_link_not_to_itself",
                violation_error_message="A pledge cannot supersede or reverse itself.",
            ),
            _valid_choice("kind", LinkKind, "pledge_link_kind_valid"),
        ]
        indexes = [models.Index(fields=["target", "kind"])]

    def __str__(self) -> str:
        return f"{self.pledge_id} {self.kind} {self.target_id}"

    def clean(self) -> None:
        if self.pledge_id and self.pledge_id == self.target_id:
            raise ValidationError({"target": "A pledge cannot supersede or reverse itself."})
        if (
            self.kind == LinkKind.SUPERSEDES
            and self.pledge_id
            and self.target_id
            and lineage_would_cycle(
                absorbed=self.target_id, absorber=self.pledge_id, ignore_link=self.pk
            )
        ):
            raise ValidationError(
                {"target": "This would make a loop of pledges counted inside each other."}
            )


class PriorPlan(models.Model):
    """Evidence that a pledge's plan was public before the pledge: it is not genuinely new."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="prior_plans")
    planned_on = models.DateField(
        null=True, blank=True, help_text="When the plan was first made public, if known."
    )
    description = models.TextField(help_text="What was planned before, and by whom.")
    source = _source_field("prior_plans")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "planned-before evidence"
        verbose_name_plural = "planned-before evidence"
        ordering = ["pledge", "planned_on", "id"]

    def __str__(self) -> str:
        return f"Planned before{f' ({self.planned_on})' if self.planned_on else ''}"

    def clean(self) -> None:
        if not (self.description or "").strip():
            raise ValidationError({"description": "Say what was planned before."})


class OffsetKind(models.TextChoices):
    LAYOFF = "layoff", "Layoffs"
    CLOSURE = "closure", "Closure"
    RELOCATION = "relocation", "Work moved elsewhere"
    OTHER = "other", "Other"


class OffsetEvent(models.Model):
    """Jobs lost at the company (or its parent) at the pledge's site or in its period."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="offsets")
    kind = models.CharField(max_length=12, choices=OffsetKind.choices)
    occurred_on = models.DateField(help_text="Announced or effective on.")
    period_end = models.DateField(null=True, blank=True, help_text="For cuts spread over time.")
    site = models.CharField(max_length=300, blank=True)
    by_company = models.CharField(
        "by", max_length=200, blank=True, help_text="Blank: the pledge's company. Else the parent."
    )
    jobs_lost = _amount("jobs lost")
    description = models.TextField(blank=True)
    source = _source_field("offsets")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "offsetting event"
        ordering = ["pledge", "occurred_on", "id"]
        constraints = [
            _not_negative("jobs_lost", "offset_jobs_not_negative"),
            _valid_choice("kind", OffsetKind, "offset_kind_valid"),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True) | Q(period_end__gte=models.F("occurred_on")),
                name="offset_period_in_order",
                violation_error_message="The period cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        lost = f"{self.jobs_lost:,} jobs" if self.jobs_lost is not None else "jobs"
        return f"{self.get_kind_display()}: {lost} ({self.occurred_on})"

    def clean(self) -> None:
        if self.period_end and self.occurred_on and self.period_end < self.occurred_on:
            raise ValidationError({"period_end": "The period cannot end before it starts."})


class SubsidyKind(models.TextChoices):
    TAX_CREDIT = "tax_credit", "Tax credits"
    TAX_ABATEMENT = "tax_abatement", "Tax abatement"
    GRANT = "grant", "Grant"
    LOAN = "loan", "Loan"
    INFRASTRUCTURE = "infrastructure", "Infrastructure"
    TRAINING = "training", "Training funds"
    PACKAGE = "package", "Package of several"
    OTHER = "other", "Other"


class SubsidyState(models.TextChoices):
    OFFERED = "offered", "Offered"
    AWARDED = "awarded", "Awarded"
    RENEGOTIATED = "renegotiated", "Renegotiated"
    DENIED = "denied", "Denied"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CLAWED_BACK = "clawed_back", "Clawed back"
    UNKNOWN = "unknown", "Unknown"


class Subsidy(models.Model):
    """A public incentive tied to a pledge: who grants it, how much, on what conditions."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="subsidies")
    granting_body = models.CharField(max_length=200)
    program = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=16, choices=SubsidyKind.choices)
    value_usd = _amount("value (USD)", "The most it can be worth; empty = unknown.")
    awarded_on = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=SubsidyState.choices)
    conditions = models.TextField(blank=True, help_text="Jobs, wages, investment it depends on.")
    clawbacks = models.TextField(blank=True, help_text="Clawback terms, and any money taken back.")
    clawed_back_usd = _amount("clawed back (USD)")
    source = _source_field("subsidies")
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "subsidies"
        ordering = ["pledge", "awarded_on", "id"]
        constraints = [
            _not_negative("value_usd", "subsidy_value_not_negative"),
            _not_negative("clawed_back_usd", "subsidy_clawback_not_negative"),
            _valid_choice("kind", SubsidyKind, "subsidy_kind_valid"),
            _valid_choice("state", SubsidyState, "subsidy_state_valid"),
        ]

    def __str__(self) -> str:
        value = f" up to ${self.value_usd:,}" if self.value_usd is not None else ""
        return f"{self.granting_body}: {self.get_kind_display()}{value}"


class ReplyOutcome(models.TextChoices):
    PENDING = "pending", "Asked, no answer yet"
    ANSWERED = "answered", "Answered"
    DECLINED = "declined", "Declined to comment"
    NO_ANSWER = "no_answer", "Did not answer"


class ReplyRequest(models.Model):
    """The company's right of reply: it was asked on a date, and answered or declined."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="replies")
    asked_on = models.DateField()
    asked_by = models.CharField(max_length=200, help_text="Who asked: us, or a newsroom.")
    outcome = models.CharField(
        max_length=10, choices=ReplyOutcome.choices, default=ReplyOutcome.PENDING
    )
    answered_on = models.DateField(null=True, blank=True)
    answer = models.TextField(blank=True, help_text="The answer, in full or quoted.")
    answer_url = models.URLField(
        max_length=2000, blank=True, validators=[validate_http_url], help_text="Where it is."
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
        help_text="An article reporting the request or the answer, if any.",
    )
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "right of reply"
        verbose_name_plural = "right of reply"
        ordering = ["pledge", "asked_on", "id"]
        constraints = [
            _valid_choice("outcome", ReplyOutcome, "reply_outcome_valid"),
            models.CheckConstraint(
                condition=~Q(outcome="answered") | ~Q(answer="") | ~Q(answer_url=""),
                name="reply_answer_given",
                violation_error_message="Give the answer or a link to it.",
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=models.F("asked_on")),
                name="reply_answered_after_asked",
                violation_error_message="An answer cannot come before the question.",
            ),
        ]

    def __str__(self) -> str:
        return f"Asked {self.asked_on} by {self.asked_by}: {self.get_outcome_display()}"

    def clean(self) -> None:
        errors = {}
        if self.outcome == ReplyOutcome.ANSWERED and not (self.answer or self.answer_url):
            errors["answer"] = "Give the answer or a link to it."
        if self.answered_on and self.asked_on and self.answered_on < self.asked_on:
            errors["answered_on"] = "An answer cannot come before the question."
        if errors:
            raise ValidationError(errors)


# --- lineage graph -----------------------------------------------------------------------------
# "Absorbing" edges (child, parent): the child's jobs are counted in the parent when both are in
# the same set. part_of: the part is inside the whole. reannouncement_of and supersedes: the
# earlier version is replaced by the later one, so only the latest of a chain counts.

# Each edge is labelled with where it is stored: the pledge row's id for the two foreign keys,
# minus the link's id for a PledgeLink (so an edit can leave its own edge out).
LINEAGE_EDGES_SQL = """
SELECT id AS child, part_of_id AS parent, id AS src FROM pledges_pledge
WHERE part_of_id IS NOT NULL
UNION ALL
SELECT reannouncement_of_id, id, id FROM pledges_pledge WHERE reannouncement_of_id IS NOT NULL
UNION ALL
SELECT target_id, pledge_id, -id FROM pledges_pledgelink WHERE kind = 'supersedes'
"""


def _absorbing_edges(
    *, ignore_pledge_columns: int | None, ignore_link: int | None
) -> list[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT child, parent, src FROM ({LINEAGE_EDGES_SQL}) e")
        rows = cursor.fetchall()
    return [
        (child, parent)
        for child, parent, src in rows
        if not (ignore_pledge_columns is not None and src == ignore_pledge_columns)
        and not (ignore_link is not None and src == -ignore_link)
    ]


def lineage_would_cycle(
    *,
    absorbed: int | None = None,
    absorber: int | None = None,
    proposed: Iterable[tuple[int, int]] = (),
    ignore_pledge_columns: int | None = None,
    ignore_link: int | None = None,
) -> bool:
    """Whether adding the edge `absorbed` → `absorber` (and any `proposed` (child, parent)
    edges) to the stored lineage would make a loop, in which every pledge would be counted
    inside another and none at all. `ignore_pledge_columns` leaves out the edges a pledge's
    own `part_of` / `reannouncement_of` store (being replaced); `ignore_link` a link's own."""
    new_edges = list(proposed)
    if absorbed is not None and absorber is not None:
        new_edges.append((absorbed, absorber))
    if not new_edges:
        return False
    parents: dict[int, set[int]] = defaultdict(set)
    for child, parent in [
        *_absorbing_edges(ignore_pledge_columns=ignore_pledge_columns, ignore_link=ignore_link),
        *new_edges,
    ]:
        parents[child].add(parent)
    for child, parent in new_edges:
        if child == parent:
            return True
        seen, todo = set(), [parent]
        while todo:
            node = todo.pop()
            if node == child:
                return True
            if node not in seen:
                seen.add(node)
                todo.extend(parents.get(node, ()))
    return False
