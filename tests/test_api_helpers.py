"""Helpers for the API tests (no tests here): pledges with places, sources and history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import Permission, User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from pledges.models import STATUSES_NEEDING_REASON, Pledge, PledgeLocation, SourceRole
from pledges.services.pledges import pledge_refresh_search_text, status_update_record
from tests.factories import PledgeFactory, PledgeSourceFactory


def make_pledge(
    *,
    locations: tuple[str, ...] = (),
    sources: int = 1,
    status: str | None = None,
    status_on: dt.date | None = None,
    **fields: Any,
) -> Pledge:
    pledge = PledgeFactory(**fields)
    for position, name in enumerate(locations):
        PledgeLocation.objects.create(pledge=pledge, position=position, name=name)
    links = [
        PledgeSourceFactory(
            pledge=pledge,
            position=i,
            role=SourceRole.ANNOUNCEMENT if i == 0 else SourceRole.FOLLOW_UP,
        )
        for i in range(sources)
    ]
    pledge_refresh_search_text(pledge=pledge)
    if status:
        status_update_record(
            pledge=pledge,
            status=status,
            established_on=status_on or pledge.announced_on,
            explanation="Reported.",
            evidence=[link.source for link in links[:1]],
            reason="other" if status in STATUSES_NEEDING_REASON else "",
        )
    pledge.refresh_from_db()
    return pledge


def token_client(*permissions: str, username: str = "newsroom") -> APIClient:
    """An API client authenticated by token as a user holding these permissions."""
    user = User.objects.create_user(username, f"{username}@example.org", "x-long-password-1")
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    token = Token.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client
