"""Forms of the editors' workspace (the admin): sources by URL, status updates, review, import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse_lazy

from pledges.models import (
    STATUSES_NEEDING_EVIDENCE,
    STATUSES_NEEDING_REASON,
    PledgeSource,
    Source,
    Status,
    StatusReason,
    StatusUpdate,
    Suggestion,
)
from pledges.services.review import suggestion_default_date
from pledges.services.sources import source_get_or_create
from pledges.urlnorm import BadURL, normalise_url

SOURCE_DETAILS = ("title", "publisher", "published_on")


def _normalised(url: str) -> str:
    try:
        return normalise_url(url)
    except BadURL as exc:
        raise ValidationError(str(exc)) from None


def url_input() -> forms.URLInput:
    """A URL box whose page details the admin's script fetches (see source_lookup.js)."""
    return forms.URLInput(
        attrs={
            "data-lookup-url": reverse_lazy("admin:pledges_source_lookup"),
            "class": "vURLField source-lookup",
            "placeholder": "https://",
        }
    )


class SourceAdminForm(forms.ModelForm):
    """A source added by its URL alone: the details are fetched into the form, editable.
    Adding a URL that is already a source (after normalisation) opens that source instead."""

    url = forms.URLField(label="URL", max_length=2000, assume_scheme="https", widget=url_input())

    class Meta:
        model = Source
        fields = ["url", "title", "publisher", "published_on"]

    existing: Source | None = None

    def clean_url(self) -> str:
        url = _normalised(self.cleaned_data["url"])
        others = Source.objects.filter(url=url).exclude(pk=self.instance.pk)
        if self.instance.pk is None:
            self.existing = others.first()
        elif others.exists():
            raise ValidationError("Another source has this URL.")
        return url

    def _get_validation_exclusions(self) -> set[str]:
        exclude = super()._get_validation_exclusions()
        if self.existing is not None:  # a duplicate is linked, not refused
            exclude.add("url")
        return exclude


class PledgeSourceInlineForm(forms.ModelForm):
    """One source of a pledge, given by URL: an existing source is linked, a new one created.
    Title, publisher and date are the shared source's: editing them here edits the source."""

    url = forms.CharField(label="URL", max_length=2000, widget=url_input())
    title = forms.CharField(max_length=500, required=False)
    publisher = forms.CharField(max_length=200, required=False)
    published_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    class Meta:
        model = PledgeSource
        fields = ["url", "title", "publisher", "published_on", "role", "quote", "position"]
        widgets = {"quote": forms.Textarea(attrs={"rows": 2, "cols": 40})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.source_id:
            source = self.instance.source
            self.initial.setdefault("url", source.url)
            for name in SOURCE_DETAILS:
                self.initial.setdefault(name, getattr(source, name))

    def clean_url(self) -> str:
        return _normalised(self.cleaned_data["url"])

    def save(self, commit: bool = True) -> PledgeSource:
        data = self.cleaned_data
        details = {name: data.get(name) or None for name in SOURCE_DETAILS}
        source, created = source_get_or_create(
            url=data["url"],
            title=details["title"] or "",
            publisher=details["publisher"] or "",
            published_on=details["published_on"],
        )
        edited = [
            name
            for name in SOURCE_DETAILS
            if name in self.changed_data
            and details[name]
            and getattr(source, name) != details[name]
        ]
        if not created and edited:
            for name in edited:
                setattr(source, name, details[name])
            source.full_clean()
            source.save()
        self.instance.source = source
        return super().save(commit=commit)


class PledgeSourceFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        seen: set[str] = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            url = form.cleaned_data.get("url")
            if url and url in seen:
                form.add_error("url", "This source is listed twice.")
            elif url:
                seen.add(url)


class StatusUpdateInlineForm(forms.ModelForm):
    """A new status of the pledge. Saved through `status_update_record`, never edited after."""

    cite_pledge_sources = forms.BooleanField(
        label="cite this pledge's sources as evidence",
        required=False,
        initial=True,
        help_text="Adds every source of the pledge (including the ones added above).",
    )

    class Meta:
        model = StatusUpdate
        fields = ["status", "established_on", "reason", "explanation", "evidence"]
        widgets = {"explanation": forms.Textarea(attrs={"rows": 2, "cols": 40})}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        status = data.get("status")
        if self.instance.pk is None and status:
            if status in STATUSES_NEEDING_EVIDENCE and not (
                data.get("evidence") or data.get("cite_pledge_sources")
            ):
                self.add_error("evidence", f"Rating a pledge {status!r} needs evidence.")
            if status in STATUSES_NEEDING_REASON and not data.get("reason"):
                self.add_error("reason", f"Say why the pledge is {status.replace('_', ' ')}.")
            if status == Status.ANNOUNCED and not (data.get("explanation") or "").strip():
                self.add_error("explanation", "Say why the rating is taken back.")
        return data


class StatusUpdateFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        announced_on = getattr(self.instance, "announced_on", None)
        for form in self.extra_forms:
            established_on = getattr(form, "cleaned_data", {}).get("established_on")
            if announced_on and established_on and established_on < announced_on:
                form.add_error(
                    "established_on", "A status cannot be established before the announcement."
                )


class SuggestionReviewForm(forms.ModelForm):
    """An editor's decision on a pending suggestion."""

    ACCEPT, DISMISS = "accept", "dismiss"

    decision = forms.ChoiceField(
        choices=[(ACCEPT, "Accept"), (DISMISS, "Dismiss")], widget=forms.RadioSelect
    )
    status = forms.ChoiceField(
        label="status to record",
        choices=[("", "(none: only add the article as evidence)"), *Status.choices],
        required=False,
    )
    established_on = forms.DateField(
        label="established on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Default: the day the snapshot saw it.",
    )
    status_reason = forms.ChoiceField(
        label="why (stalled, broken, withdrawn, superseded)",
        choices=[("", "---------"), *StatusReason.choices],
        required=False,
    )
    explanation = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    reason = forms.CharField(
        label="reason for dismissing", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    class Meta:
        model = Suggestion
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].initial = self.instance.proposed_status

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        suggestion = self.instance
        if data.get("decision") == self.DISMISS and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say why the suggestion is dismissed.")
        if data.get("decision") == self.ACCEPT:
            pledge = suggestion.pledge
            if pledge is None:
                self.add_error("decision", "This suggestion names no pledge to accept it for.")
            established_on = data.get("established_on") or suggestion_default_date(
                suggestion=suggestion
            )
            if pledge and data.get("status") and established_on < pledge.announced_on:
                self.add_error(
                    "established_on", "A status cannot be established before the announcement."
                )
            status = data.get("status")
            if status in STATUSES_NEEDING_REASON and not data.get("status_reason"):
                self.add_error("status_reason", f"Say why the pledge is {status}.")
            has_source = suggestion.source_id or suggestion.candidate_url
            if status in STATUSES_NEEDING_EVIDENCE and not has_source:
                self.add_error("status", "This suggestion has no article to serve as evidence.")
        return data


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="The interchange format: the columns of `export_pledges`, UTF-8.",
    )


class CompanyMergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=None,  # type: ignore[arg-type]  # set per request
        widget=forms.RadioSelect,
        empty_label=None,
        label="keep this company",
    )

    def __init__(self, *args: Any, companies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = companies
