"""Per-user API tokens. Superusers manage everyone's; an editor sees, creates and revokes only
their own (the token's key is a password: nobody else's is ever listed to them)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy


class OwnTokenAdmin(TokenAdmin):
    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request).select_related("user")
        return queryset if request.user.is_superuser else queryset.filter(user=request.user)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("user",) if request.user.is_superuser else ()

    def get_search_fields(self, request: HttpRequest) -> tuple[str, ...]:
        return ("user__username",) if request.user.is_superuser else ()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not request.user.is_superuser:
            obj.user = request.user
        super().save_model(request, obj, form, change)

    def has_add_permission(self, request: HttpRequest) -> bool:
        if request.user.is_superuser:
            return True
        # One token per user: an editor who has one revokes it to get a new one.
        has_token = TokenProxy.objects.filter(user=request.user).exists()
        return super().has_add_permission(request) and not has_token


if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)
admin.site.register(TokenProxy, OwnTokenAdmin)
