"""Who may do what, and what every answer carries: revoked tokens stop working, Viewers write
nothing through the admin or the API, every form and every session write needs its CSRF
token, and every page (public, API, admin, reports, feeds, errors) carries the security
headers, HSTS included once the site is on HTTPS.

The admin lock-out, anonymous access to the admin and reports, and editors' own tokens are
tested in test_admin_security.py, test_admin_pledges.py and test_reports_pages.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from lxml import html as lxml_html
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.views import APIView

from pledges.models import Company, Pledge, Source
from pledges.services.reports import report_create
from tests.factories import SubscriptionFactory
from tests.test_api_helpers import make_pledge

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_cache(settings, request):  # type: ignore[no-untyped-def]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": request.node.nodeid,
        }
    }


@pytest.fixture
def viewer(db) -> User:  # type: ignore[no-untyped-def]
    user = User.objects.create_user("viewer", "viewer@example.org", "correct horse battery")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Viewers"))
    return user


def _new_pledge(company: Company) -> dict[str, Any]:
    return {
        "ref": "acme-2017",
        "company": company.slug,
        "title": "Acme promises 500 jobs",
        "announced_on": "2017-01-09",
        "jobs_promised": 500,
        "source_urls": ["https://news.example.org/acme"],
    }


# --- tokens and roles ---------------------------------------------------------------------


def test_access_revoked_token_no_longer_writes_or_authenticates(client, editor) -> None:  # type: ignore[no-untyped-def]
    pledge = make_pledge()
    token = Token.objects.create(user=editor)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.patch(f"/api/v1/pledges/{pledge.pk}/", {"title": "Renamed"}).status_code == 200

    client.force_login(editor)  # the editor revokes it in the admin
    delete = reverse("admin:authtoken_tokenproxy_delete", args=[editor.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302

    response = api.patch(f"/api/v1/pledges/{pledge.pk}/", {"title": "Again"})
    assert response.status_code == 401
    assert api.get("/api/v1/pledges/").status_code == 401  # a dead token is no anonymous pass
    assert Pledge.objects.get(pk=pledge.pk).title == "Renamed"


def test_access_viewer_writes_nothing_through_the_api(viewer) -> None:  # type: ignore[no-untyped-def]
    pledge = make_pledge()
    source = Source.objects.get()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=viewer).key}")
    assert api.get("/api/v1/pledges/").status_code == 200
    attempts = [
        api.post("/api/v1/pledges/", _new_pledge(pledge.company), format="json"),
        api.patch(f"/api/v1/pledges/{pledge.pk}/", {"title": "x"}, format="json"),
        api.put(f"/api/v1/pledges/{pledge.pk}/", _new_pledge(pledge.company), format="json"),
        api.post(
            f"/api/v1/pledges/{pledge.pk}/status-updates/",
            {"status": "in_progress", "established_on": "2018-01-01"},
            format="json",
        ),
        api.post("/api/v1/sources/", {"url": "https://news.example.org/new"}, format="json"),
        api.patch(f"/api/v1/sources/{source.pk}/", {"title": "x"}, format="json"),
        api.delete(f"/api/v1/pledges/{pledge.pk}/"),
    ]
    assert [r.status_code for r in attempts] == [403] * 7
    assert Pledge.objects.get(pk=pledge.pk).title == pledge.title
    assert Pledge.objects.count() == 1 and Source.objects.count() == 1


def test_access_viewer_posts_to_no_admin_form(client, viewer) -> None:  # type: ignore[no-untyped-def]
    pledge = make_pledge()
    client.force_login(viewer)
    for model in (Pledge, Company, Source):
        meta = model._meta
        add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
        assert client.post(add, {}).status_code == 403, add
    change = reverse("admin:pledges_pledge_change", args=[pledge.pk])
    assert client.post(change, {"title": "x"}).status_code == 403
    delete = reverse("admin:pledges_pledge_delete", args=[pledge.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Pledge.objects.get(pk=pledge.pk).title == pledge.title


# --- CSRF ---------------------------------------------------------------------------------


def _views(patterns: list[Any], prefix: str = "") -> list[tuple[str, Any]]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append((prefix + str(pattern.pattern), pattern.callback))
    return found


def test_access_no_view_skips_csrf_except_the_api_and_probes() -> None:
    """A view marked csrf_exempt would take forms from other sites. The API's views are
    (DRF), and enforce CSRF themselves for session users (next test); probes take no POST."""
    exempt = [
        route
        for route, view in _views(get_resolver().url_patterns)
        if getattr(view, "csrf_exempt", False)
        and not issubclass(getattr(view, "cls", object), APIView)
        and route not in ("healthz", "readyz")
    ]
    assert exempt == []


def test_access_api_session_writes_need_the_csrf_token(editor) -> None:  # type: ignore[no-untyped-def]
    company = make_pledge().company
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    editor.user_permissions.add(*Group.objects.get(name="Editors").permissions.all())
    response = browser.post(
        "/api/v1/pledges/", _new_pledge(company), content_type="application/json"
    )
    assert response.status_code == 403 and b"CSRF" in response.content
    assert not Pledge.objects.filter(ref="acme-2017").exists()


def _admin_pages(pledge: Pledge) -> list[str]:
    pages = ["/admin/", "/admin/password_change/"]
    for model in admin.site._registry:
        meta = model._meta
        for name in ("changelist", "add"):
            pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_{name}"))
    pages += [
        reverse("admin:pledges_pledge_change", args=[pledge.pk]),
        reverse("admin:pledges_company_change", args=[pledge.company_id]),
        reverse("admin:pledges_pledge_history", args=[pledge.pk]),
    ]
    return pages


def test_access_every_admin_form_carries_and_needs_its_csrf_token(admin_user) -> None:  # type: ignore[no-untyped-def]
    pledge = make_pledge()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin_user)
    forms = 0
    for page in _admin_pages(pledge):
        response = browser.get(page)
        if response.status_code != 200:  # e.g. an add page only superusers' peers lack
            continue
        tree = lxml_html.fromstring(response.content.decode())
        for form in tree.iter("form"):
            if (form.get("method") or "get").lower() != "post":
                continue
            forms += 1
            assert form.xpath(".//input[@name='csrfmiddlewaretoken']"), (page, form.get("id"))
            action = form.get("action") or page
            target = action if action.startswith("/") else page
            refused = browser.post(target, {"post": "yes", "action": "delete_selected"})
            assert refused.status_code == 403, (page, target, refused.status_code)
    assert forms > 20  # the admin's add, change, action, import and logout forms were seen
    login = Client(enforce_csrf_checks=True).post(
        "/admin/login/", {"username": "admin", "password": "password"}
    )
    assert login.status_code == 403


def test_access_public_pages_have_no_form_that_posts(client) -> None:  # type: ignore[no-untyped-def]
    pledge = make_pledge(locations=("US-WI",))
    for path in (
        "/",
        "/pledges/",
        f"/pledges/{pledge.slug}/",
        f"/companies/{pledge.company.slug}/",
    ):
        tree = lxml_html.fromstring(client.get(path).content.decode())
        methods = [(form.get("method") or "get").lower() for form in tree.iter("form")]
        assert all(method == "get" for method in methods), (path, methods)


# --- security headers -----------------------------------------------------------------------


def _every_kind_of_page(pledge: Pledge) -> list[tuple[str, bool]]:
    """(path, needs a staff login) for each kind of answer the site gives."""
    source_id = pledge.pledge_sources.first().source_id
    report = report_create(
        frequency="weekly",
        period_start=timezone.now() - dt.timedelta(days=7),
        period_end=timezone.now(),
    )
    return [
        ("/", False),
        ("/pledges/", False),
        ("/pledges/?status=nonsense", False),  # a 400
        (f"/pledges/{pledge.slug}/", False),
        (f"/pledges/{pledge.slug}/badge.svg", False),
        (f"/pledges/{pledge.slug}/embed/", False),
        (f"/companies/{pledge.company.slug}/", False),
        (f"/sources/{source_id}/archive/", False),
        ("/pledges.csv", False),
        ("/feeds/pledges/", False),
        ("/feeds/status-changes/", False),
        ("/no/such/page/", False),  # a 404
        ("/api/v1/pledges/", False),
        (f"/api/v1/pledges/{pledge.pk}/", False),
        ("/api/v1/pledges/?format=csv", False),
        ("/api/v1/pledges/?page_size=0", False),  # a 400
        ("/api/v1/no-such-thing/", False),  # a 404
        ("/api/v1/companies/", False),
        ("/api/v1/schema/", False),
        ("/api/docs/", False),
        ("/admin/login/", False),
        ("/admin/", True),
        ("/admin/pledges/pledge/", True),
        (f"/admin/pledges/pledge/{pledge.pk}/change/", True),
        ("/recheck/", True),
        ("/reports/", True),
        (f"/reports/{report.pk}/", True),
        (f"/reports/{report.pk}/suggestions.csv", True),
    ]


@pytest.mark.parametrize("secure", [False, True])
def test_access_every_page_carries_the_security_headers(  # type: ignore[no-untyped-def]
    client, admin_user, settings, secure: bool
) -> None:
    settings.SECURE_HSTS_SECONDS = 31_536_000
    SubscriptionFactory()
    pledge = make_pledge(locations=("US-WI",))
    for path, staff in _every_kind_of_page(pledge):
        if staff:
            client.force_login(admin_user)
        else:
            client.logout()
        response = client.get(path, secure=secure)
        assert response.status_code < 500, (path, response.status_code)
        headers = response.headers
        assert headers.get("X-Content-Type-Options") == "nosniff", path
        assert headers.get("Referrer-Policy") == "same-origin", path
        policy = headers.get("Content-Security-Policy", "")
        assert "default-src 'none'" in policy or "default-src 'self'" in policy, (path, policy)
        assert (
            "script-src" in policy
            and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        ), (path, policy)
        hsts = headers.get("Strict-Transport-Security")
        assert (hsts == "max-age=31536000") if secure else (hsts is None), (path, hsts)
        if not path.endswith("/embed/"):
            assert headers.get("X-Frame-Options") == "DENY", path
