"""Fixtures shared by every test file. Tests run on PostgreSQL (see `make test`)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User


@pytest.fixture(autouse=True)
def _plain_static_files(settings):  # type: ignore[no-untyped-def]
    # Hashed static names need `collectstatic`; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def editor(db) -> User:  # type: ignore[no-untyped-def]
    user = User.objects.create_user("editor", "editor@example.org", "correct horse battery")
    user.is_staff = True
    user.save()
    group = Group.objects.filter(name="Editors").first()
    if group:
        user.groups.add(group)
    return user
