"""The pledge data model.

Rules live twice on purpose: in `clean()` (clear messages for editors and importers) and as
database constraints (nothing else can write a pledge that breaks them).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from pledges.indexes import NullsLastIndex
from pledges.urlnorm import validate_http_url

country_code_validator = RegexValidator(
    r"^[A-Z]{2}$", "Use an ISO 3166-1 alpha-2 country code such as US or CN."
)
wikidata_validator = RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata id looks like Q1359568.")


class Status(models.TextChoices):
    """The follow-up taxonomy of the interchange format (shared/spec/pledges-csv.md)."""

    ANNOUNCED = "announced", "Announced (not yet rated)"
    IN_PROGRESS = "in_progress", "In progress"
    STALLED = "stalled", "Stalled"
    PARTIALLY_KEPT = "partially_kept", "Partially kept"
    KEPT = "kept", "Kept"
    BROKEN = "broken", "Broken"
    WITHDRAWN = "withdrawn", "Withdrawn"
    SUPERSEDED = "superseded", "Superseded"
    UNVERIFIABLE = "unverifiable", "Unverifiable"


# A verdict on how a pledge ended must point at the article that shows it.
STATUSES_NEEDING_EVIDENCE = frozenset(
    {
        Status.KEPT,
        Status.PARTIALLY_KEPT,
        Status.BROKEN,
        Status.WITHDRAWN,
        Status.SUPERSEDED,
    }
)
FINAL_STATUSES = frozenset(STATUSES_NEEDING_EVIDENCE | {Status.UNVERIFIABLE})


class StatusReason(models.TextChoices):
    """Why a pledge stalled, broke, was withdrawn or superseded (the jobs ledger, issue #8)."""

    MARKET_CONDITIONS = "market_conditions", "Market conditions"
    TRADE_POLICY = "trade_policy", "Trade policy"
    MERGER = "merger", "Merger or acquisition"
    SUBSIDY = "subsidy", "Subsidy denied or withdrawn"
    COMPANY_DECISION = "company_decision", "Company decision"
    POLITICAL_CHANGE = "political_change", "Political change"
    OTHER = "other", "Other (say which in the explanation)"


# A status update giving one of these statuses must say why (services and the admin's form;
# rows imported from the CSV, which has no reason column, may lack one).
STATUSES_NEEDING_REASON = frozenset(
    {Status.BROKEN, Status.WITHDRAWN, Status.STALLED, Status.SUPERSEDED}
)


class JobsKind(models.TextChoices):
    DIRECT = "direct", "Direct (the company hires)"
    INDIRECT = "indirect", "Indirect (jobs at others)"
    RETAINED = "retained", "Retained (jobs 'saved')"
    UNSPECIFIED = "unspecified", "Unspecified"


class SourceRole(models.TextChoices):
    ANNOUNCEMENT = "announcement", "Announcement"
    FOLLOW_UP = "follow_up", "Follow-up"
    EVIDENCE = "evidence", "Evidence"


class LinkHealth(models.TextChoices):
    """A source's health, derived from its recent checks (shared/spec/recheck.md)."""

    UNKNOWN = "unknown", "Not checked yet"
    ALIVE = "alive", "Alive"
    CHANGED = "changed", "Changed"
    MOVED = "moved", "Moved"
    BLOCKED = "blocked", "Blocked or paywalled"
    SUSPECT = "suspect", "Suspect"
    DEAD = "dead", "Dead"
    GONE = "gone", "Gone"


class CheckOutcome(models.TextChoices):
    """One check's outcome; the words are the re-check contract's."""

    OK = "ok"
    UNCHANGED = "unchanged"
    CHANGED = "changed"
    MOVED = "moved"
    REDIRECTED = "redirected"
    NOT_FOUND = "not_found"
    GONE = "gone"
    SOFT_404 = "soft_404"
    BLOCKED = "blocked"
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"
    TIMEOUT = "timeout"
    TOO_LARGE = "too_large"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    PROTOCOL_ERROR = "protocol_error"
    DNS_ERROR = "dns_error"
    REFUSED = "refused"
    DISALLOWED = "disallowed"


class Company(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    country = models.CharField(
        "headquarters country",
        max_length=2,
        blank=True,
        validators=[country_code_validator],
        help_text="ISO 3166-1 alpha-2, e.g. CN.",
    )
    ticker = models.CharField(max_length=20, blank=True)
    website = models.URLField(max_length=500, blank=True, validators=[validate_http_url])
    wikidata_id = models.CharField(
        "Wikidata id", max_length=20, blank=True, validators=[wikidata_validator]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "companies"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="company_name_unique_ci",
                violation_error_message="A company with this name already exists.",
            ),
            models.CheckConstraint(
                condition=Q(country="") | Q(country__regex=r"^[A-Z]{2}$"),
                name="company_country_iso",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pledges:company-detail", kwargs={"slug": self.slug})


class CompanyAlias(models.Model):
    """Another spelling of a company's name, used to match imports and news articles."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "company aliases"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="company_alias_unique_ci",
                violation_error_message="This alias already names a company.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class PledgeQuerySet(models.QuerySet):
    def published(self) -> PledgeQuerySet:
        return self.filter(is_published=True)


class Pledge(models.Model):
    # Indexed by (company, announced_on) below; an index on company alone would only slow
    # down imports. Likewise ref and slug are unique through Meta constraints, not unique=True,
    # which on PostgreSQL adds a second, LIKE-pattern index nothing here uses.
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="pledges", db_index=False
    )
    ref = models.CharField(
        max_length=64,
        validators=[RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9._-]*$", "Use letters, digits, . _ -")],
        help_text="Stable external id (P0000123, alibaba-2017-01).",
    )
    slug = models.SlugField(max_length=120, db_index=False)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    announced_on = models.DateField()
    announced_by = models.CharField(max_length=200, blank=True)
    made_to = models.CharField(max_length=200, blank=True)
    jobs_promised = models.BigIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Empty = unknown.",
    )
    jobs_kind = models.CharField(
        max_length=16, choices=JobsKind.choices, default=JobsKind.UNSPECIFIED
    )
    investment_usd = models.BigIntegerField(
        "investment (USD)", null=True, blank=True, validators=[MinValueValidator(0)]
    )
    deadline = models.DateField(null=True, blank=True)
    timeframe = models.CharField(max_length=200, blank=True, help_text="e.g. 'over five years'")
    # Denormalised from the latest StatusUpdate (services keep it in step) for fast filtering.
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ANNOUNCED)
    status_on = models.DateField(null=True, blank=True)
    reannouncement_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reannouncements",
        db_index=False,  # partial index below: few pledges are re-announcements
    )
    part_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parts",
        help_text="A pledge counted inside a bigger one (Sprint's 5,000 in SoftBank's 50,000).",
        db_index=False,  # partial index below: few pledges are part of another
    )
    is_published = models.BooleanField(default=True)
    # Denormalised from the latest credible Observation (pledges.services.ledger keeps them in
    # step) so that lists filter and sum "jobs delivered" without a subquery per row.
    delivered_jobs = models.BigIntegerField(null=True, blank=True, editable=False)
    delivered_on = models.DateField(null=True, blank=True, editable=False)
    delivered_observation = models.ForeignKey(
        "Observation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        db_index=False,  # partial index below: most pledges have no observation
    )
    # Title, summary, company name and aliases, kept by services for full-text search
    # (PostgreSQL stores and indexes its tsvector, `search_vector`: migration 0012).
    search_text = models.TextField(blank=True, editable=False)
    sources = models.ManyToManyField("Source", through="PledgeSource", related_name="pledges")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords()

    objects = PledgeQuerySet.as_manager()

    class Meta:
        ordering = ["ref"]
        constraints = [
            models.UniqueConstraint(
                fields=["ref"],
                name="pledge_ref_unique",
                violation_error_message="Another pledge has this ref.",
            ),
            models.UniqueConstraint(
                fields=["slug"],
                name="pledge_slug_unique",
                violation_error_message="Another pledge has this slug.",
            ),
            models.CheckConstraint(
                condition=Q(jobs_promised__isnull=True) | Q(jobs_promised__gte=0),
                name="pledge_jobs_not_negative",
                violation_error_message="Jobs promised cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(investment_usd__isnull=True) | Q(investment_usd__gte=0),
                name="pledge_investment_not_negative",
                violation_error_message="Investment cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(jobs_promised__isnull=False) | Q(investment_usd__isnull=False),
                name="pledge_has_jobs_or_investment",
                violation_error_message="Give at least one of jobs promised and investment.",
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gte=models.F("announced_on")),
                name="pledge_deadline_after_announcement",
                violation_error_message="The deadline cannot be before the announcement.",
            ),
            models.CheckConstraint(
                condition=Q(status_on__isnull=True) | Q(status_on__gte=models.F("announced_on")),
                name="pledge_status_after_announcement",
                violation_error_message="A status cannot be established before the announcement.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="pledge_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(jobs_kind__in=JobsKind.values),
                name="pledge_jobs_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(part_of=models.F("id")), name="pledge_not_part_of_itself"
            ),
            models.CheckConstraint(
                condition=~Q(reannouncement_of=models.F("id")),
                name="pledge_not_reannouncement_of_itself",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "announced_on"]),
            models.Index(fields=["company", "announced_on"]),
            models.Index(fields=["announced_on"]),
            # Published only, as the API and the pages read them: index-only counts of all
            # published pledges, of a status, of a range of jobs since a date; and the largest
            # pledges first (of a status) without sorting.
            NullsLastIndex(
                models.F("jobs_promised").desc(nulls_last=True),
                "announced_on",
                name="pledge_published_jobs",
                condition=Q(is_published=True),
            ),
            NullsLastIndex(
                "status",
                models.F("jobs_promised").desc(nulls_last=True),
                name="pledge_published_status_jobs",
                condition=Q(is_published=True),
            ),
            models.Index(fields=["investment_usd"]),
            models.Index(fields=["deadline"]),
            # Partial: imports (no observations yet) pay nothing for them.
            models.Index(
                fields=["delivered_jobs"],
                condition=Q(delivered_jobs__isnull=False),
                name="pledge_delivered_jobs",
            ),
            models.Index(
                fields=["delivered_observation"],
                condition=Q(delivered_observation__isnull=False),
                name="pledge_delivered_observation",
            ),
            # The foreign keys that most pledges leave empty: only the filled ones are
            # indexed (`part_of=...`, `parts`, and SET NULL when the other pledge goes).
            models.Index(
                fields=["part_of"], condition=Q(part_of__isnull=False), name="pledge_part_of"
            ),
            models.Index(
                fields=["reannouncement_of"],
                condition=Q(reannouncement_of__isnull=False),
                name="pledge_reannouncement_of",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pledges:pledge-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.jobs_promised is None and self.investment_usd is None:
            errors["jobs_promised"] = "Give at least one of jobs promised and investment."
        if self.deadline and self.announced_on and self.deadline < self.announced_on:
            errors["deadline"] = "The deadline cannot be before the announcement."
        if self.status_on and self.announced_on and self.status_on < self.announced_on:
            errors["status_on"] = "A status cannot be established before the announcement."
        if self.pk and (self.part_of_id == self.pk or self.reannouncement_of_id == self.pk):
            errors["part_of"] = "A pledge cannot be related to itself."
        elif self.pk and (self.part_of_id or self.reannouncement_of_id):
            from pledges.models_ledger import lineage_would_cycle

            proposed = [(self.pk, self.part_of_id)] if self.part_of_id else []
            if self.reannouncement_of_id:
                proposed.append((self.reannouncement_of_id, self.pk))
            if lineage_would_cycle(proposed=proposed, ignore_pledge_columns=self.pk):
                errors["part_of"] = (
                    "These related pledges would make a loop of pledges counted inside each "
                    "other (part of / re-announces / supersedes)."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def is_deadline_passed(self) -> bool:
        return bool(self.deadline and self.deadline < dt.date.today())


class PledgeLocation(models.Model):
    """A place a pledge names: an ISO 3166-2 code (US-WI), a country (US) or free text."""

    # The (pledge, position) unique index serves lookups by pledge.
    pledge = models.ForeignKey(
        Pledge, on_delete=models.CASCADE, related_name="locations", db_index=False
    )
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pledge", "position"]
        constraints = [
            models.UniqueConstraint(fields=["pledge", "position"], name="pledge_location_position")
        ]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name


class Source(models.Model):
    """An article, one row per normalised URL, shared by every pledge that cites it."""

    url = models.URLField(max_length=2000, validators=[validate_http_url])
    publisher = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=500, blank=True)
    published_on = models.DateField(null=True, blank=True)
    # Kept up to date by the re-check jobs.
    health = models.CharField(max_length=16, choices=LinkHealth.choices, default=LinkHealth.UNKNOWN)
    health_since = models.DateTimeField(null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    next_check_at = models.DateTimeField(null=True, blank=True, db_index=True)
    moved_to = models.URLField(max_length=2000, blank=True)
    # Re-check state (pledges.services.checks): validators for a conditional GET of
    # `validator_url`, the last article-text fingerprint, and the run that claimed the source.
    # db_default: bulk loaders (COPY) that list only the older columns keep working.
    etag = models.CharField(max_length=500, blank=True, db_default="")
    last_modified = models.CharField(max_length=100, blank=True, db_default="")
    validator_url = models.URLField(max_length=2000, blank=True, db_default="")
    fingerprint = models.CharField(max_length=64, blank=True, db_default="")
    claimed_by = models.ForeignKey(
        "CheckRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # partial index below: only sources being checked are claimed
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(
        excluded_fields=[
            "etag",
            "last_modified",
            "validator_url",
            "fingerprint",
            "claimed_by",
            "claimed_at",
        ]
    )

    class Meta:
        ordering = ["url"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"],
                name="source_url_unique",
                violation_error_message="This URL is already a source.",
            ),
            models.CheckConstraint(
                condition=Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="source_url_http",
                violation_error_message="Only http(s) URLs can be sources.",
            ),
        ]
        indexes = [
            models.Index(fields=["health"]),
            models.Index(
                fields=["claimed_by"],
                condition=Q(claimed_by__isnull=False),
                name="source_claimed_by",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url


class PledgeSource(models.Model):
    # The (pledge, source) unique index serves lookups by pledge.
    pledge = models.ForeignKey(
        Pledge, on_delete=models.CASCADE, related_name="pledge_sources", db_index=False
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="pledge_sources")
    role = models.CharField(max_length=16, choices=SourceRole.choices, default=SourceRole.FOLLOW_UP)
    quote = models.TextField(blank=True, help_text="The sentence of the article that matters.")
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pledge", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pledge", "source"], name="pledge_source_once"),
        ]

    def __str__(self) -> str:
        return f"{self.pledge_id} ← {self.source_id} ({self.role})"


class StatusUpdate(models.Model):
    """One status a pledge was given, when, why, and on what evidence. Append-only history."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="status_updates")
    status = models.CharField(max_length=16, choices=Status.choices)
    established_on = models.DateField(help_text="The date the status became true.")
    explanation = models.TextField(blank=True)
    reason = models.CharField(
        max_length=20,
        choices=StatusReason.choices,
        blank=True,
        db_default="",
        help_text="Required for stalled, broken, withdrawn and superseded.",
    )
    evidence = models.ManyToManyField(Source, blank=True, related_name="evidence_for")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[evidence])

    class Meta:
        ordering = ["pledge", "established_on", "id"]
        get_latest_by = ["established_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="status_update_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(reason="") | Q(reason__in=StatusReason.values),
                name="status_update_reason_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["recorded_at"]),
            models.Index(fields=["established_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} on {self.established_on}"

    def clean(self) -> None:
        if (
            self.pledge_id
            and self.established_on
            and self.established_on < self.pledge.announced_on
        ):
            raise ValidationError(
                {"established_on": "A status cannot be established before the announcement."}
            )


class PledgeDocument(models.Model):
    """A published pledge's JSON as the API shows it, prepared ahead of reading.

    Built by `services.documents` (a Celery beat task and `build_pledge_documents`), read by
    `selectors_api`, and deleted on PostgreSQL by triggers (migration 0016) in the same
    transaction as any change to what it shows: the pledge, its company, places, sources and
    status history. So a document that exists is current, and a pledge without one is
    serialised afresh. `body` is the JSON object's members from `company` on, without the
    braces: the members that depend on the request (its URLs, the links to other pledges) are
    written around it when it is read. `csv_line` is its row of the API's CSV pages.

    No foreign-key constraint: checking one costs a lock on the pledge row per document
    built; the triggers delete a deleted pledge's document instead.
    """

    pledge = models.OneToOneField(
        Pledge,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    body = models.TextField()
    # Its interchange CSV line (shared/spec/pledges-csv.md), CRLF included.
    csv_line = models.TextField()

    def __str__(self) -> str:
        return f"API document of pledge {self.pledge_id}"


class CheckRunKind(models.TextChoices):
    ALL = "all", "All sources"
    DUE = "due", "Due sources"
    SELECTED = "selected", "Selected sources"


class CheckRun(models.Model):
    """One batch of enqueued re-checks (a `recheck` command, a beat tick, an admin action);
    its checks point at it, so progress is `checks.count()` out of `total`."""

    kind = models.CharField(max_length=10, choices=CheckRunKind.choices)
    total = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    requested_by = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.total}) at {self.created_at:%Y-%m-%d %H:%M}"


class SourceCheck(models.Model):
    """One re-check of a source. Append-only: every check is a new row."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="checks")
    run = models.ForeignKey(
        CheckRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="checks"
    )
    checked_at = models.DateTimeField(db_index=True)
    due_at = models.DateTimeField(null=True, blank=True, help_text="When the check was due.")
    host = models.CharField(max_length=255, blank=True, help_text="Politeness key of the URL.")
    outcome = models.CharField(max_length=24, choices=CheckOutcome.choices)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)
    redirects = models.JSONField(default=list, blank=True, help_text="[status, from, to] per hop")
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    elapsed_ms = models.PositiveIntegerField(null=True, blank=True)
    evidence = models.JSONField(
        default=list, blank=True, help_text="Sentences this check proposed for review."
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["source", "-checked_at"]
        get_latest_by = "checked_at"
        indexes = [
            models.Index(fields=["source", "-checked_at"]),
            models.Index(fields=["host", "-checked_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["run", "source"], name="source_check_once_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.outcome} at {self.checked_at:%Y-%m-%d %H:%M}"


class Snapshot(models.Model):
    """A kept copy of a source as fetched: the extracted article text and a WARC record.

    Content-addressed: `sha256` is the hash of the raw response body, and the WARC file is
    stored under that name, so the same bytes are kept once however often they are fetched.
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="snapshots")
    fetched_at = models.DateTimeField(db_index=True)
    final_url = models.URLField(max_length=2000)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    fingerprint = models.CharField(
        max_length=64, blank=True, help_text="Hash of the normalised article text."
    )
    title = models.CharField(max_length=500, blank=True)
    text = models.TextField(blank=True, help_text="The extracted article text.")
    warc_path = models.CharField(max_length=300, blank=True)
    page_modified_on = models.DateField(null=True, blank=True)
    notes = models.JSONField(default=list, blank=True, help_text="Correction:/Update: notes.")
    added_sentences = models.JSONField(default=list, blank=True)
    removed_sentences = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["source", "-fetched_at"]
        get_latest_by = "fetched_at"

    def __str__(self) -> str:
        return f"{self.source_id} at {self.fetched_at:%Y-%m-%d %H:%M}"


class SuggestionKind(models.TextChoices):
    STATUS_CHANGE = "status_change", "Possible status change"
    NEW_EVIDENCE = "new_evidence", "New evidence"
    CANDIDATE_SOURCE = "candidate_source", "Candidate source (news discovery)"


class SuggestionState(models.TextChoices):
    PENDING = "pending", "Pending review"
    ACCEPTED = "accepted", "Accepted"
    DISMISSED = "dismissed", "Dismissed"


class Suggestion(models.Model):
    """Something a re-check job found for an editor to review. Nothing changes a pledge's
    status until an editor accepts it."""

    kind = models.CharField(max_length=20, choices=SuggestionKind.choices)
    state = models.CharField(
        max_length=10, choices=SuggestionState.choices, default=SuggestionState.PENDING
    )
    pledge = models.ForeignKey(
        Pledge, on_delete=models.CASCADE, related_name="suggestions", null=True, blank=True
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="suggestions", null=True, blank=True
    )
    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="suggestions", null=True, blank=True
    )
    snapshot = models.ForeignKey(
        Snapshot, on_delete=models.SET_NULL, related_name="suggestions", null=True, blank=True
    )
    candidate_url = models.URLField(max_length=2000, blank=True)
    proposed_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    signal = models.CharField(
        max_length=40, blank=True, help_text="What was recognised: scrapped, hired, opened, ..."
    )
    sentence = models.TextField(blank=True, help_text="Quoted verbatim from the snapshot.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    dismiss_reason = models.TextField(blank=True)
    status_update = models.ForeignKey(
        StatusUpdate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["state", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="dismissed") | ~Q(dismiss_reason=""),
                name="suggestion_dismissal_has_reason",
                violation_error_message="Say why the suggestion is dismissed.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.sentence[:60] or self.candidate_url}"


class NewsFeed(models.Model):
    """An RSS/Atom feed editors registered for news discovery."""

    url = models.URLField(max_length=2000, validators=[validate_http_url])
    name = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "url"]
        constraints = [models.UniqueConstraint(fields=["url"], name="news_feed_url_unique")]

    def __str__(self) -> str:
        return self.name or self.url


# Follow-up reports and the jobs ledger (observations, claims, lineage, offsets, subsidies,
# right of reply) live in their own modules; imported here so Django registers them.
from pledges.models_ledger import (  # noqa: E402, F401
    Claim,
    Observation,
    OffsetEvent,
    PledgeLink,
    PriorPlan,
    ReplyRequest,
    Subsidy,
)
from pledges.models_reports import Report, Subscription  # noqa: E402, F401
