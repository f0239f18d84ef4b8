"""Login protection, roles and API tokens of the editors' workspace; page details parsing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from rest_framework.authtoken.models import Token

from pledges.services.fetching import TITLE_MAX, parse_page_details

pytestmark = pytest.mark.django_db


def _login(client: Any, password: str) -> Any:
    return client.post(
        reverse("admin:login"),
        {"username": "editor", "password": password, "next": "/admin/"},
        REMOTE_ADDR="203.0.113.9",
    )


def test_login_locks_out_after_five_failures(client: Any, editor: User, settings: Any) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert _login(client, "wrong").status_code == 200  # the form again, with an error
    locked = _login(client, "wrong")
    assert locked.status_code == 429
    still_locked = _login(client, "correct horse battery")
    assert still_locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


def test_login_succeeds_and_resets_failures(client: Any, editor: User) -> None:
    for _ in range(3):
        _login(client, "wrong")
    assert _login(client, "correct horse battery").status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_groups_have_the_documented_permissions() -> None:
    def codes(name: str) -> set[str]:
        group = Group.objects.get(name=name)
        return set(group.permissions.values_list("codename", flat=True))

    editors, viewers = codes("Editors"), codes("Viewers")
    assert {"add_pledge", "change_pledge", "add_source", "change_statusupdate"} <= editors
    assert {"view_suggestion", "change_suggestion", "view_snapshot", "view_sourcecheck"} <= editors
    assert {"add_suggestion", "change_snapshot", "delete_source", "delete_statusupdate"}.isdisjoint(
        editors
    )
    assert viewers and all(code.startswith("view_") for code in viewers)
    assert (
        Permission.objects.filter(codename="view_pledge").get()
        in Group.objects.get(name="Viewers").permissions.all()
    )


def test_editor_manages_only_their_own_api_token(client: Any, editor: User) -> None:
    other = User.objects.create_user("someone")
    other_token = Token.objects.create(user=other)
    client.force_login(editor)
    changelist = reverse("admin:authtoken_tokenproxy_changelist")
    assert other_token.key not in client.get(changelist).content.decode()

    assert client.post(reverse("admin:authtoken_tokenproxy_add"), {}).status_code == 302
    mine = Token.objects.get(user=editor)
    assert mine.key in client.get(changelist).content.decode()
    assert client.get(reverse("admin:authtoken_tokenproxy_add")).status_code == 403  # one each
    other_page = reverse("admin:authtoken_tokenproxy_change", args=[other.pk])
    assert client.get(other_page).status_code == 302  # "does not exist" for this editor
    delete = reverse("admin:authtoken_tokenproxy_delete", args=[editor.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Token.objects.filter(user=editor).exists()
    assert Token.objects.filter(user=other).exists()


def test_superuser_issues_tokens_for_anyone(client: Any, admin_user: User, editor: User) -> None:
    client.force_login(admin_user)
    response = client.post(reverse("admin:authtoken_tokenproxy_add"), {"user": editor.pk})
    assert response.status_code == 302
    assert Token.objects.filter(user=editor).exists()


def test_page_details_are_plain_capped_text() -> None:
    page = (
        "<html><head><title>  <b>Bold</b> &lt;script&gt;alert(1)&lt;/script&gt;\n"
        + "x" * 2000
        + "</title><meta name='date' content='2999-01-01'>"
        "<meta itemprop='datePublished' content='2018-09-19'></head></html>"
    ).encode()
    details = parse_page_details(page, url="https://www.example.org/a")
    assert details.title.startswith("<b>Bold</b> <script>alert(1)</script> xxx")
    assert len(details.title) == TITLE_MAX
    assert details.publisher == "example.org"  # no og:site_name: the host
    assert details.published_on == dt.date(2018, 9, 19)  # the future date is ignored


def test_page_details_survive_junk() -> None:
    assert parse_page_details(b"", url="https://example.org/").error == "not HTML"
    details = parse_page_details(b"\xff\xfe<<<>>>", url="https://example.org/", charset="nope")
    assert details.title == ""
    entity = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><title>&e;</title>'
    assert "root:" not in parse_page_details(entity, url="https://example.org/").title
