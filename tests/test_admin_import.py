"""The admin's spreadsheet import: upload, preview (counts and every invalid line), confirm."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pledges.interchange import COLUMNS
from pledges.models import Company, Pledge, Source
from pledges.services.admin_import import upload_path
from tests.factories import PledgeFactory

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)
ALIBABA = (
    "alibaba-2017-01,Alibaba Group,CN,Alibaba promises 1 million US jobs,2017-01-09,"
    '"Jack Ma, Executive Chairman",Donald Trump (President-elect),"1,000,000",indirect,,'
    "US,2022-01-09,withdrawn,2018-09-19,Small businesses selling to China.,"
    "https://fortune.com/2017/01/09/jack-ma-jobs-trump/"
)
FOXCONN = (
    "foxconn-2017-07,Foxconn,TW,Foxconn to build LCD plant in Wisconsin,2017-07-26,Terry Gou,"
    "Donald Trump (President),13000,direct,10000000000,US-WI,,announced,,,"
    "https://www.jsonline.com/story/foxconn"
)
BAD_DATE = FOXCONN.replace("foxconn-2017-07", "bad-1").replace("2017-07-26", "26/07/2017")
BAD_JOBS = ALIBABA.replace("alibaba-2017-01", "bad-2").replace('"1,000,000"', "<script>x</script>")


def _csv(*rows: str) -> bytes:
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode()


@pytest.fixture
def var_dir(settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path


def _upload(client: Any, content: bytes, name: str = "pledges.csv") -> Any:
    return client.post(
        reverse("admin:pledges_pledge_import"),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def test_import_preview_counts_without_writing(client: Any, editor: User, var_dir: Path) -> None:
    PledgeFactory(ref="unchanged-one")  # not in the file: not counted
    client.force_login(editor)
    existing = _csv(FOXCONN)
    _upload(client, existing)  # preview only
    assert not Pledge.objects.filter(ref="foxconn-2017-07").exists()

    response = _upload(client, _csv(ALIBABA, FOXCONN))

    report = response.context["report"]
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert report.ok and response.context["token"]
    assert dict(response.context["actions"]) == {
        "alibaba-2017-01": "created",
        "foxconn-2017-07": "created",
    }
    assert Pledge.objects.count() == 1  # a dry run
    assert upload_path(response.context["token"]).exists()
    assert "Confirm: import 2 rows" in response.content.decode()


def test_import_confirm_imports_the_kept_file_once(
    client: Any, editor: User, var_dir: Path
) -> None:
    client.force_login(editor)
    token = _upload(client, _csv(ALIBABA, FOXCONN)).context["token"]

    response = client.post(reverse("admin:pledges_pledge_import_confirm"), {"token": token})

    assert response.status_code == 302
    assert set(Pledge.objects.values_list("ref", flat=True)) == {
        "alibaba-2017-01",
        "foxconn-2017-07",
    }
    alibaba = Pledge.objects.get(ref="alibaba-2017-01")
    assert alibaba.status == "withdrawn"
    entry = alibaba.history.get()
    assert (entry.history_type, entry.history_user) == ("+", editor)
    assert not upload_path(token).exists()
    again = client.post(reverse("admin:pledges_pledge_import_confirm"), {"token": token})
    assert again.status_code == 302 and again["Location"].endswith("/import/")
    assert Pledge.objects.count() == 2

    updated = _upload(client, _csv(ALIBABA.replace("Small businesses", "Small firms"), FOXCONN))
    report = updated.context["report"]
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    client.post(reverse("admin:pledges_pledge_import_confirm"), {"token": updated.context["token"]})
    assert alibaba.history.first().history_type == "~"


def test_import_bad_file_lists_every_invalid_line_and_imports_nothing(
    client: Any, editor: User, var_dir: Path
) -> None:
    client.force_login(editor)

    response = _upload(client, _csv(ALIBABA, BAD_DATE, FOXCONN, BAD_JOBS))

    report = response.context["report"]
    assert not report.ok
    assert [(e.line, e.column) for e in report.errors] == [
        (3, "announced_on"),
        (5, "jobs_promised"),
    ]
    page = response.content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x</script>" not in page
    assert "Confirm" not in page
    assert not response.context["token"]
    assert list(var_dir.joinpath("imports").iterdir()) == []
    assert (Pledge.objects.count(), Company.objects.count(), Source.objects.count()) == (0, 0, 0)


def test_import_confirm_refuses_tokens_not_in_the_session(
    client: Any, editor: User, admin_user: User, var_dir: Path
) -> None:
    client.force_login(editor)
    token = _upload(client, _csv(FOXCONN)).context["token"]
    client.force_login(admin_user)  # another session
    response = client.post(reverse("admin:pledges_pledge_import_confirm"), {"token": token})
    assert response.status_code == 302
    response = client.post(
        reverse("admin:pledges_pledge_import_confirm"), {"token": "../../etc/passwd"}
    )
    assert response.status_code == 302
    assert not Pledge.objects.exists()


def test_import_cancel_discards_the_upload(client: Any, editor: User, var_dir: Path) -> None:
    client.force_login(editor)
    token = _upload(client, _csv(FOXCONN)).context["token"]
    client.post(reverse("admin:pledges_pledge_import_confirm"), {"token": token, "cancel": "1"})
    assert not upload_path(token).exists()
    assert not Pledge.objects.exists()


def test_import_refuses_files_over_the_size_limit(
    client: Any, editor: User, var_dir: Path, settings: Any
) -> None:
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024
    client.force_login(editor)
    response = _upload(client, _csv(*[FOXCONN] * 10))
    assert "larger than the limit" in response.content.decode()
    assert not list(var_dir.joinpath("imports").glob("*.csv"))
    assert not Pledge.objects.exists()
