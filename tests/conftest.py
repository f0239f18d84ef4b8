"""Fixtures shared by every test file. Tests run on PostgreSQL (see `make test`)."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth.models import Group, User
from hypothesis import settings as hypothesis_settings

# The property tests and the API fuzzing draw the same examples on every run by default, so a
# red CI means the code changed, not the dice. `HYPOTHESIS_PROFILE=explore` draws new ones
# (run it to look for new bugs; each one found becomes a regression test).
hypothesis_settings.register_profile("ci", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


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
