"""Admin forms of the jobs ledger: each entry's source is given by URL (linked when known after
normalisation, created otherwise), and a lineage link's other pledge by its ref, so that no
form renders a select of every source or pledge and the page's query count stays fixed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from pledges.forms import url_input
from pledges.models import (
    Claim,
    Observation,
    OffsetEvent,
    Pledge,
    PledgeLink,
    PriorPlan,
    ReplyRequest,
    Source,
    Subsidy,
)
from pledges.services.ledger import ledger_source
from pledges.urlnorm import BadURL, normalise_url

_TEXT = forms.Textarea(attrs={"rows": 2, "cols": 36})
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SourceByURLForm(forms.ModelForm):
    """A ledger entry whose source is typed (or pasted) as a URL."""

    source_url = forms.CharField(
        label="source URL",
        max_length=2000,
        widget=url_input(),
        help_text="The article it comes from (required).",
    )
    source_required = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source_url"].required = self.source_required
        if self.instance.pk and self.instance.source_id:
            self.initial.setdefault("source_url", self.instance.source.url)

    def clean_source_url(self) -> str:
        url = (self.cleaned_data.get("source_url") or "").strip()
        if not url:
            if self.source_required:
                raise ValidationError("Cite the article this comes from.")
            return ""
        try:
            return normalise_url(url)
        except BadURL as exc:
            raise ValidationError(str(exc)) from None

    _new_source_url = ""

    def _post_clean(self) -> None:
        # A known source is linked at once; a new one is created only when the entry is saved
        # (an invalid form creates nothing). `source` is no form field, so the model's "no
        # entry without a source" rule runs in the service (`ledger_entry_save`) and the
        # database; here the required `source_url` field stands for it.
        url = self.cleaned_data.get("source_url") if hasattr(self, "cleaned_data") else None
        if url:
            known = Source.objects.filter(url=url).first()
            if known is not None:
                self.instance.source = known
            else:
                self._new_source_url = url
        elif not self.source_required and "source_url" in self.changed_data:
            self.instance.source = None
        super()._post_clean()

    def save(self, commit: bool = True) -> Any:
        if self._new_source_url:
            self.instance.source = ledger_source(url=self._new_source_url)
        return super().save(commit=commit)


class ObservationForm(SourceByURLForm):
    class Meta:
        model = Observation
        fields = [
            "observed_on", "jobs", "investment_usd", "measure", "basis", "reporter_kind",
            "reporter", "confidence", "source_url", "note",
        ]  # fmt: skip
        widgets = {"note": _TEXT, "observed_on": _DATE}


class ClaimInlineForm(SourceByURLForm):
    class Meta:
        model = Claim
        fields = [
            "claimant", "claimant_role", "claimant_kind", "stated_on", "venue", "jobs_stated",
            "jobs_supported", "investment_stated", "statement", "credits_politician",
            "credited_to", "source_url", "note",
        ]  # fmt: skip
        widgets = {"statement": _TEXT, "note": _TEXT, "stated_on": _DATE}


class ClaimAdminForm(SourceByURLForm):
    """A claim on its own page: with or without a pledge behind it."""

    class Meta:
        model = Claim
        fields = ["pledge", "company", *ClaimInlineForm.Meta.fields]
        widgets = ClaimInlineForm.Meta.widgets


class PledgeLinkForm(SourceByURLForm):
    target_ref = forms.CharField(
        label="other pledge (ref)", max_length=64, help_text="The earlier pledge's ref."
    )

    class Meta:
        model = PledgeLink
        fields = ["kind", "target_ref", "source_url", "note"]
        widgets = {"note": _TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.target_id:
            self.initial.setdefault("target_ref", self.instance.target.ref)

    def clean_target_ref(self) -> str:
        ref = self.cleaned_data["target_ref"].strip()
        target = Pledge.objects.filter(ref=ref).first()
        if target is None:
            raise ValidationError(f"No pledge has the ref {ref!r}.")
        self.instance.target = target
        return ref


class PriorPlanForm(SourceByURLForm):
    class Meta:
        model = PriorPlan
        fields = ["planned_on", "description", "source_url"]
        widgets = {"description": _TEXT, "planned_on": _DATE}


class OffsetEventForm(SourceByURLForm):
    class Meta:
        model = OffsetEvent
        fields = [
            "kind", "occurred_on", "period_end", "site", "by_company", "jobs_lost",
            "description", "source_url",
        ]  # fmt: skip
        widgets = {"description": _TEXT, "occurred_on": _DATE, "period_end": _DATE}


class SubsidyForm(SourceByURLForm):
    class Meta:
        model = Subsidy
        fields = [
            "granting_body", "program", "kind", "value_usd", "awarded_on", "state", "conditions",
            "clawbacks", "clawed_back_usd", "source_url",
        ]  # fmt: skip
        widgets = {"conditions": _TEXT, "clawbacks": _TEXT, "awarded_on": _DATE}


class ReplyRequestForm(SourceByURLForm):
    source_required = False
    answer_url = forms.URLField(
        label="answer URL", max_length=2000, required=False, assume_scheme="https"
    )

    class Meta:
        model = ReplyRequest
        fields = [
            "asked_on", "asked_by", "outcome", "answered_on", "answer", "answer_url",
            "source_url", "note",
        ]  # fmt: skip
        widgets = {"answer": _TEXT, "note": _TEXT, "asked_on": _DATE, "answered_on": _DATE}
