"""Admin of the follow-up reports: subscriptions are the editors' data; reports are read-only
records of what was generated and sent (imported by `pledges.admin`)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from pledges.models_reports import DeliveryState, Report, Subscription
from pledges.services import report_delivery


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "frequency",
        "company",
        "location",
        "status",
        "is_active",
        "next_due_at",
        "last_period_end",
    ]
    list_filter = ["frequency", "is_active", "status"]
    list_select_related = ["company"]
    search_fields = ["name", "recipients"]
    raw_id_fields = ["company"]
    readonly_fields = ["last_period_end", "next_due_at", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "recipients", "frequency", "is_active"]}),
        ("Only pledges matching (empty: any)", {"fields": ["company", "location", "status"]}),
        ("Schedule", {"fields": readonly_fields}),
    ]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "frequency",
        "period_start",
        "period_end",
        "subscription",
        "delivery_state",
        "sent_at",
        "page",
    ]
    list_filter = ["delivery_state", "frequency"]
    list_select_related = ["subscription"]
    date_hierarchy = "period_end"
    actions = ["send_again"]
    fields = [
        "page",
        "frequency",
        "period_start",
        "period_end",
        "subscription",
        "filters",
        "counts",
        "generated_at",
        "delivery_state",
        "claimed_at",
        "send_started_at",
        "sent_at",
        "sent_to",
        "attempts",
        "error",
    ]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Report]:
        return super().get_queryset(request).defer("data")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # reports are generated, never typed in

    @admin.display(description="report")
    def page(self, obj: Report) -> str:
        return format_html('<a href="{}">view #{}</a>', obj.get_absolute_url(), obj.pk)

    @admin.action(
        description="Send again (failed, or stuck in sending for over an hour)",
        permissions=["change"],
    )
    def send_again(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        sent = 0
        for report in queryset.filter(
            delivery_state__in=[DeliveryState.FAILED, DeliveryState.SENDING]
        ):
            if report_delivery.release_for_resend(report=report) and report_delivery.deliver(
                report_id=report.pk
            ):
                sent += 1
        level = messages.SUCCESS if sent else messages.WARNING
        self.message_user(request, f"{sent} report(s) sent again.", level)
