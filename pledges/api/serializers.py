"""Serializers: the documented shape of every answer, and the validated input of writes.

Pledge JSON is built by PostgreSQL (`selectors_api`; `selectors.api_pledge_dicts` on other
databases); `PledgeSerializer` describes it for the OpenAPI schema, and tests keep the three in
step.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request

from pledges.models import (
    Company,
    JobsKind,
    LinkHealth,
    Pledge,
    Source,
    SourceRole,
    Status,
    StatusReason,
    StatusUpdate,
)

# --- read: pledges ---------------------------------------------------------------------------


class CompanyBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    name = serializers.CharField()
    country = serializers.CharField(allow_null=True, help_text="ISO 3166-1 alpha-2.")


class PledgeSourceSerializer(serializers.Serializer):
    url = serializers.URLField()
    publisher = serializers.CharField(allow_null=True)
    title = serializers.CharField(allow_null=True)
    role = serializers.ChoiceField(choices=SourceRole.choices)
    health = serializers.ChoiceField(choices=LinkHealth.choices)
    archived_url = serializers.URLField(
        allow_null=True, help_text="An archived copy (not collected yet: always null)."
    )


class StatusHistorySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    established_on = serializers.DateField()
    reason = serializers.ChoiceField(
        choices=StatusReason.choices,
        allow_null=True,
        help_text="Why a pledge stalled, broke, was withdrawn or superseded (null: not given).",
    )
    explanation = serializers.CharField(allow_null=True)
    evidence = serializers.ListField(child=serializers.URLField())
    recorded_at = serializers.DateTimeField()


class PledgeLinkSerializer(serializers.Serializer):
    ref = serializers.CharField()
    url = serializers.URLField()


class PledgeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    ref = serializers.CharField()
    slug = serializers.SlugField()
    url = serializers.URLField(help_text="This pledge in the API.")
    page_url = serializers.URLField(help_text="This pledge's public page.")
    part_of = PledgeLinkSerializer(allow_null=True)
    reannouncement_of = PledgeLinkSerializer(allow_null=True)
    company = CompanyBriefSerializer()
    title = serializers.CharField()
    summary = serializers.CharField(allow_null=True)
    announced_on = serializers.DateField()
    announced_by = serializers.CharField(allow_null=True)
    made_to = serializers.CharField(allow_null=True)
    jobs_promised = serializers.IntegerField(allow_null=True, help_text="null = unknown.")
    jobs_kind = serializers.ChoiceField(choices=JobsKind.choices)
    investment_usd = serializers.IntegerField(allow_null=True, help_text="null = unknown.")
    locations = serializers.ListField(
        child=serializers.CharField(), help_text="ISO 3166-2 codes (US-WI) or free text."
    )
    deadline = serializers.DateField(allow_null=True)
    timeframe = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=Status.choices)
    status_on = serializers.DateField(allow_null=True)
    sources = PledgeSourceSerializer(many=True)
    status_history = StatusHistorySerializer(many=True, help_text="Oldest first.")
    delivered_jobs = serializers.IntegerField(
        allow_null=True,
        help_text="Jobs delivered by the latest credible observation (null: none observed).",
    )
    delivered_on = serializers.DateField(allow_null=True, help_text="That observation's date.")
    updated_at = serializers.DateTimeField()


class PledgeLedgerSerializer(serializers.Serializer):
    """What became of the promise: observations of the jobs, the company's claims, lineage,
    offsetting events, subsidies and right of reply (`selectors_ledger_json.ledger_dicts`)."""

    observations = serializers.ListField(child=serializers.DictField())
    claims = serializers.ListField(
        child=serializers.DictField(), help_text="Each with its `inflation` against the record."
    )
    lineage = serializers.ListField(
        child=serializers.DictField(),
        help_text="supersedes / superseded_by / reverses / reversed_by, with ref and source.",
    )
    planned_before = serializers.ListField(child=serializers.DictField())
    offsets = serializers.ListField(child=serializers.DictField())
    jobs_lost_since_pledge = serializers.IntegerField(allow_null=True)
    net_since_pledge = serializers.IntegerField(allow_null=True)
    subsidies = serializers.ListField(child=serializers.DictField())
    right_of_reply = serializers.ListField(child=serializers.DictField())


class PledgeDetailSerializer(PledgeSerializer):
    ledger = PledgeLedgerSerializer()


class PledgeAsOfSerializer(PledgeLedgerSerializer):
    """A pledge as the database held it at the end of `as_of` (`selectors_asof.as_of_dict`):
    that day's fields, status history and ledger (the ledger's fields at the top level, built
    by the same functions as the live ledger's)."""

    as_of = serializers.DateField()
    version_recorded_at = serializers.DateTimeField(
        help_text="When the version of the pledge shown was recorded."
    )
    ref = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField(allow_null=True)
    company = serializers.DictField()
    announced_on = serializers.DateField()
    jobs_promised = serializers.IntegerField(allow_null=True)
    jobs_kind = serializers.ChoiceField(choices=JobsKind.choices)
    investment_usd = serializers.IntegerField(allow_null=True)
    locations = serializers.ListField(child=serializers.CharField())
    status = serializers.ChoiceField(choices=Status.choices)
    status_on = serializers.DateField(allow_null=True)
    is_published = serializers.BooleanField()
    sources = serializers.ListField(child=serializers.URLField())
    status_history = serializers.ListField(child=serializers.DictField())
    delivered_jobs = serializers.IntegerField(allow_null=True)
    lineage = serializers.ListField(
        child=serializers.DictField(), help_text="Each with its relation, pledge_id and title."
    )


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "integer"}]})
class WordOrYearField(serializers.Field):
    """A facet value or summary key: a word, or a year as a number (`announced_year`)."""

    def to_representation(self, value: Any) -> Any:
        return value


class FacetValueSerializer(serializers.Serializer):
    value = WordOrYearField()
    count = serializers.IntegerField()


# The envelope itself, not a list of them: the list action is paginated by hand.
@extend_schema_serializer(many=False)
class PledgePageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    notice = serializers.CharField()
    facets = serializers.DictField(
        child=FacetValueSerializer(many=True),
        required=False,
        help_text="With `facet=`: pledges per value, honouring every filter but the facet's own.",
    )
    results = PledgeSerializer(many=True)


class SummaryGroupSerializer(serializers.Serializer):
    key = WordOrYearField()
    pledges = serializers.IntegerField()
    counted_pledges = serializers.IntegerField()
    jobs_promised = serializers.IntegerField(allow_null=True)
    investment_usd = serializers.IntegerField(allow_null=True)


class SummaryTotalSerializer(serializers.Serializer):
    pledges = serializers.IntegerField()
    counted_pledges = serializers.IntegerField()
    jobs_promised = serializers.IntegerField(allow_null=True)
    investment_usd = serializers.IntegerField(allow_null=True)


class FunnelStageSerializer(serializers.Serializer):
    label = serializers.CharField()
    definition = serializers.CharField()
    jobs = serializers.IntegerField()
    pledges = serializers.IntegerField()


class FunnelSerializer(serializers.Serializer):
    deduplicated = serializers.CharField()
    promised = FunnelStageSerializer()
    delivered = FunnelStageSerializer()
    new = FunnelStageSerializer(help_text="Delivered jobs that did not exist before the pledge.")
    credited = FunnelStageSerializer()


class SummarySerializer(serializers.Serializer):
    notice = serializers.CharField()
    deduplicated = serializers.CharField()
    total = SummaryTotalSerializer()
    by_status = SummaryGroupSerializer(many=True)
    by_company = SummaryGroupSerializer(many=True)
    by_announced_year = SummaryGroupSerializer(many=True)
    by_jobs_kind = SummaryGroupSerializer(many=True)
    by_location = SummaryGroupSerializer(many=True)
    funnel = FunnelSerializer(
        help_text="Promised → delivered → genuinely new → credited, deduplicated likewise."
    )


# --- read: companies, sources, status updates -------------------------------------------------


def api_url(request: Request, name: str, **kwargs: Any) -> str:
    return request.build_absolute_uri(reverse(name, kwargs=kwargs))


class CompanySerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()
    country = serializers.SerializerMethodField()
    aliases = serializers.SerializerMethodField()
    pledges_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Company
        fields = [
            "id",
            "slug",
            "url",
            "page_url",
            "name",
            "country",
            "ticker",
            "website",
            "wikidata_id",
            "aliases",
            "pledges_count",
            "updated_at",
        ]
        # Blank texts are answered as null (to_representation): say so in the schema.
        extra_kwargs = {name: {"allow_null": True} for name in ("ticker", "website", "wikidata_id")}

    def get_url(self, company: Company) -> str:
        return api_url(self.context["request"], "api:company-detail", lookup=company.pk)

    def get_page_url(self, company: Company) -> str:
        return self.context["site_url"] + company.get_absolute_url()

    def get_country(self, company: Company) -> str | None:
        return company.country or None

    def get_aliases(self, company: Company) -> list[str]:
        return [alias.name for alias in company.aliases.all()]

    def to_representation(self, instance: Company) -> dict[str, Any]:
        data = super().to_representation(instance)
        for name in ("ticker", "website", "wikidata_id"):
            data[name] = data[name] or None
        return data


class SourceSerializer(serializers.ModelSerializer):
    url = serializers.URLField(read_only=True)
    api_url = serializers.SerializerMethodField()
    archived_url = serializers.SerializerMethodField()
    pledges = serializers.SerializerMethodField()

    class Meta:
        model = Source
        fields = [
            "id",
            "api_url",
            "url",
            "publisher",
            "title",
            "published_on",
            "health",
            "health_since",
            "last_checked_at",
            "moved_to",
            "archived_url",
            "pledges",
            "updated_at",
        ]
        extra_kwargs = {name: {"allow_null": True} for name in ("publisher", "title", "moved_to")}

    def get_api_url(self, source: Source) -> str:
        return api_url(self.context["request"], "api:source-detail", pk=source.pk)

    def get_archived_url(self, source: Source) -> str | None:
        return None

    def get_pledges(self, source: Source) -> list[str]:
        """Refs of the pledges citing this source."""
        return sorted(link.pledge.ref for link in source.pledge_sources.all())

    def to_representation(self, instance: Source) -> dict[str, Any]:
        data = super().to_representation(instance)
        for name in ("publisher", "title", "moved_to"):
            data[name] = data[name] or None
        return data


class StatusUpdateSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    pledge = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()
    reason = serializers.SerializerMethodField()
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = StatusUpdate
        fields = [
            "id",
            "url",
            "pledge",
            "status",
            "established_on",
            "reason",
            "explanation",
            "evidence",
            "recorded_at",
        ]

    def get_url(self, update: StatusUpdate) -> str:
        return api_url(self.context["request"], "api:statusupdate-detail", pk=update.pk)

    @extend_schema_field(PledgeLinkSerializer)
    def get_pledge(self, update: StatusUpdate) -> dict[str, Any]:
        url = api_url(self.context["request"], "api:pledge-detail", lookup=update.pledge_id)
        return {"ref": update.pledge.ref, "url": url}

    def get_evidence(self, update: StatusUpdate) -> list[str]:
        return [source.url for source in update.evidence.all()]

    @extend_schema_field(serializers.ChoiceField(choices=StatusReason.choices, allow_null=True))
    def get_reason(self, update: StatusUpdate) -> str | None:
        return update.reason or None

    def get_explanation(self, update: StatusUpdate) -> str | None:
        return update.explanation or None


# --- write ----------------------------------------------------------------------------------


class SlugLookupField(serializers.SlugRelatedField):
    """SlugRelatedField that refuses a NUL before the lookup (PostgreSQL cannot compare one:
    the lookup would fail with a 500)."""

    default_error_messages = {
        **serializers.SlugRelatedField.default_error_messages,
        "null_characters": "Null characters are not allowed.",
    }

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("null_characters")
        return super().to_internal_value(data)


class PledgeWriteSerializer(serializers.Serializer):
    """A pledge as an editor sends it. The status is not here: record a status update."""

    ref = serializers.RegexField(r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=64)
    company = SlugLookupField(slug_field="slug", queryset=Company.objects.all())
    title = serializers.CharField(max_length=300)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    announced_on = serializers.DateField()
    announced_by = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    made_to = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    jobs_promised = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    jobs_kind = serializers.ChoiceField(choices=JobsKind.choices, default=JobsKind.UNSPECIFIED)
    investment_usd = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    deadline = serializers.DateField(required=False, allow_null=True)
    timeframe = serializers.CharField(max_length=200, required=False, allow_blank=True)
    locations = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=50
    )
    source_urls = serializers.ListField(
        child=serializers.URLField(max_length=2000),
        max_length=50,
        help_text="The first is the announcement.",
    )
    part_of = SlugLookupField(
        slug_field="ref", queryset=Pledge.objects.all(), required=False, allow_null=True
    )
    reannouncement_of = SlugLookupField(
        slug_field="ref", queryset=Pledge.objects.all(), required=False, allow_null=True
    )
    is_published = serializers.BooleanField(default=True)

    def validate_source_urls(self, value: list[str]) -> list[str]:
        if not value and not self.partial:
            raise serializers.ValidationError("Give at least one source URL.")
        return value


class SourceWriteSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=2000)
    publisher = serializers.CharField(max_length=200, required=False, allow_blank=True)
    title = serializers.CharField(max_length=500, required=False, allow_blank=True)
    published_on = serializers.DateField(required=False, allow_null=True)


class StatusUpdateWriteSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    established_on = serializers.DateField()
    reason = serializers.ChoiceField(
        choices=StatusReason.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required for stalled, broken, withdrawn and superseded.",
    )
    explanation = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = serializers.ListField(
        child=serializers.URLField(max_length=2000),
        required=False,
        default=list,
        max_length=50,
        help_text="URLs of the articles that show it; required for a verdict.",
    )
