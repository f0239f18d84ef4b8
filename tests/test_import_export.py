"""The interchange CSV contract: import_pledges and export_pledges (shared spec pledges-csv.md)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pledges.interchange import COLUMNS
from pledges.models import Company, CompanyAlias, Pledge, Source, StatusUpdate
from pledges.services.imports import InvalidFile, import_pledges

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)
ALIBABA = (
    "alibaba-2017-01,Alibaba Group,CN,Alibaba promises 1 million US jobs,2017-01-09,"
    '"Jack Ma, Executive Chairman",Donald Trump (President-elect),"1,000,000",indirect,,'
    "US; Midwest,2022-01-09,withdrawn,2018-09-19,Small businesses selling to China.,"
    "https://fortune.com/2017/01/09/jack-ma-jobs-trump/?utm_source=tw "
    "https://www.cbsnews.com/news/jack-ma-withdraws/"
)
FOXCONN = (
    "foxconn-2017-07,Foxconn,TW,Foxconn to build LCD plant in Wisconsin,2017-07-26,Terry Gou,"
    "Donald Trump (President),13000,direct,10000000000,US-WI,,announced,,,"
    "https://www.jsonline.com/story/foxconn"
)


def _csv(*rows: str) -> bytes:
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode()


def _export() -> str:
    out = io.StringIO()
    call_command("export_pledges", stdout=out)
    return out.getvalue()


def test_import_creates_pledges_companies_sources_and_status() -> None:
    report = import_pledges(_csv(ALIBABA, FOXCONN))
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    alibaba = Pledge.objects.get(ref="alibaba-2017-01")
    assert alibaba.jobs_promised == 1_000_000
    assert alibaba.investment_usd is None
    assert alibaba.jobs_kind == "indirect"
    assert [loc.name for loc in alibaba.locations.all()] == ["US", "Midwest"]
    assert (alibaba.status, alibaba.status_on) == ("withdrawn", dt.date(2018, 9, 19))
    update = StatusUpdate.objects.get(pledge=alibaba)
    assert sorted(s.url for s in update.evidence.all()) == [
        "https://fortune.com/2017/01/09/jack-ma-jobs-trump/",
        "https://www.cbsnews.com/news/jack-ma-withdraws/",
    ]
    links = list(alibaba.pledge_sources.order_by("position"))
    assert [link.role for link in links] == ["announcement", "follow_up"]
    assert Company.objects.get(slug="alibaba-group").country == "CN"
    assert Pledge.objects.get(ref="foxconn-2017-07").status_updates.count() == 0


def test_import_twice_changes_nothing() -> None:
    import_pledges(_csv(ALIBABA, FOXCONN))
    before = _export()
    report = import_pledges(_csv(ALIBABA, FOXCONN))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert _export() == before
    assert StatusUpdate.objects.count() == 1


def test_import_updates_by_ref_and_appends_status_history() -> None:
    import_pledges(_csv(FOXCONN))
    renegotiated = FOXCONN.replace(",13000,", ",1454,").replace(
        ",announced,,", ",superseded,2021-04-20,"
    )
    report = import_pledges(_csv(renegotiated))
    assert (report.created, report.updated) == (0, 1)
    pledge = Pledge.objects.get(ref="foxconn-2017-07")
    assert pledge.jobs_promised == 1454
    assert pledge.status == "superseded"
    assert pledge.status_updates.count() == 1


def test_import_refuses_to_take_a_rating_back() -> None:
    import_pledges(_csv(ALIBABA))
    unrated = ALIBABA.replace(",withdrawn,2018-09-19,", ",announced,,")
    with pytest.raises(InvalidFile) as exc:
        import_pledges(_csv(unrated))
    assert "cannot take a rating back" in str(exc.value.report.errors[0])
    assert Pledge.objects.get(ref="alibaba-2017-01").status == "withdrawn"


def test_import_matches_companies_by_alias_case_insensitively() -> None:
    company = Company.objects.create(name="Alibaba Group", slug="alibaba-group", country="CN")
    CompanyAlias.objects.create(company=company, name="Alibaba")
    import_pledges(_csv(ALIBABA.replace(",Alibaba Group,", ",ALIBABA,")))
    assert Company.objects.count() == 1
    assert Pledge.objects.get().company == company


def test_import_deduplicates_sources_by_normalised_url() -> None:
    other = FOXCONN.replace(
        "https://www.jsonline.com/story/foxconn",
        "HTTPS://WWW.JSONLINE.COM/story/foxconn?utm_campaign=x#comments",
    ).replace("foxconn-2017-07", "foxconn-2017-07b")
    import_pledges(_csv(FOXCONN, other))
    assert Source.objects.filter(url="https://www.jsonline.com/story/foxconn").count() == 1
    assert Source.objects.count() == 1


def test_import_new_company_slug_is_unique() -> None:
    Company.objects.create(name="Foxconn Technology", slug="foxconn")
    import_pledges(_csv(FOXCONN))
    assert Pledge.objects.get().company.slug == "foxconn-2"


def test_import_generates_a_stable_ref_when_blank() -> None:
    row = FOXCONN.replace("foxconn-2017-07,", ",", 1)
    import_pledges(_csv(row))
    ref = Pledge.objects.get().ref
    assert ref.startswith("auto-")
    report = import_pledges(_csv(row))
    assert report.unchanged == 1 and Pledge.objects.count() == 1


def test_malformed_file_imports_nothing_and_names_every_bad_line() -> None:
    import_pledges(_csv(FOXCONN))
    before = _export()
    bad = _csv(
        ALIBABA,
        "p1,Acme,USA,Title,2017-13-01,,,-5,sideways,,,,kept,,,ftp://x.org/a",
        "p2,,,,,,,,,,,,,,,",
        "p3,Acme,,Title,2017-01-01,,,10,direct,,,2016-01-01,announced,,,https://a.org/",
        "alibaba-2017-01,Alibaba Group,CN,Dup,2017-01-09,,,5,direct,,,,,,,https://b.org/",
    )
    with pytest.raises(InvalidFile) as exc:
        import_pledges(bad)
    lines = [str(e) for e in exc.value.report.errors]
    assert "line 3: company_country: 'USA' is not an ISO 3166-1 alpha-2 code such as US" in lines
    assert "line 3: announced_on: '2017-13-01' is not a real date" in lines
    assert any(line.startswith("line 3: jobs_promised:") for line in lines)
    assert any(line.startswith("line 3: jobs_kind: 'sideways'") for line in lines)
    assert "line 3: status_on: is required when status is kept" in lines
    assert any(line.startswith("line 3: source_urls: 'ftp://x.org/a'") for line in lines)
    for column in ("company", "title", "announced_on", "source_urls"):
        assert f"line 4: {column}: is required" in lines
    assert "line 5: deadline: is before announced_on" in lines
    assert "line 6: ref: 'alibaba-2017-01' appears again (first on line 2)" in lines
    assert not any(line.startswith("line 2:") for line in lines)
    assert _export() == before  # the good row on line 2 was not imported either


def test_line_numbers_count_multiline_cells() -> None:
    multiline = FOXCONN.replace(
        ",,,https://www.jsonline.com", ',,"two\r\nlines",https://www.jsonline.com'
    )
    bad = ALIBABA.replace("2017-01-09", "2017-02-30", 1).replace("alibaba-2017-01", "x1")
    with pytest.raises(InvalidFile) as exc:
        import_pledges(_csv(multiline, bad))
    assert [str(e) for e in exc.value.report.errors] == [
        "line 4: announced_on: '2017-02-30' is not a real date"
    ]


def test_header_problems_are_reported() -> None:
    with pytest.raises(InvalidFile) as exc:
        import_pledges(b"ref,company,notes\r\nx,Acme,hi\r\n")
    lines = [str(e) for e in exc.value.report.errors]
    assert any(line.startswith("line 1: notes: unknown column") for line in lines)
    assert "line 1: title: required column is missing" in lines


def test_bom_and_thousands_separators_accepted() -> None:
    report = import_pledges(b"\xef\xbb\xbf" + _csv(ALIBABA))
    assert report.created == 1


def test_invalid_utf8_named_by_line() -> None:
    data = _csv(FOXCONN).replace(b"Terry Gou", b"Terry \xff Gou")  # a Latin-1 byte
    with pytest.raises(InvalidFile) as exc:
        import_pledges(data)
    assert [str(e) for e in exc.value.report.errors] == [
        "line 2: announced_by: is not valid UTF-8 text (save the file as UTF-8)"
    ]


def test_empty_file_is_an_error() -> None:
    with pytest.raises(InvalidFile):
        import_pledges(b"")
    with pytest.raises(InvalidFile):
        import_pledges(_csv())


def test_dry_run_counts_but_writes_nothing() -> None:
    report = import_pledges(_csv(ALIBABA, FOXCONN), dry_run=True)
    assert report.created == 2
    assert Pledge.objects.count() == 0 and Company.objects.count() == 0


def test_export_is_canonical() -> None:
    import_pledges(_csv(FOXCONN, ALIBABA))
    text = _export()
    lines = text.split("\r\n")
    assert lines[0] == HEADER
    assert lines[1].startswith("alibaba-2017-01,Alibaba Group,CN,")
    assert ",1000000,indirect,,US; Midwest,2022-01-09,withdrawn,2018-09-19," in lines[1]
    assert lines[1].endswith(
        "https://fortune.com/2017/01/09/jack-ma-jobs-trump/ "
        "https://www.cbsnews.com/news/jack-ma-withdraws/"
    )
    assert text.endswith("\r\n") and not text.startswith("\ufeff")


def test_export_orders_refs_by_code_point() -> None:
    rows = [FOXCONN.replace("foxconn-2017-07", ref) for ref in ("b", "B", "a", "0x", "Z1")]
    rows = [
        r.replace("jsonline.com/story/foxconn", f"jsonline.com/{i}") for i, r in enumerate(rows)
    ]
    import_pledges(_csv(*rows))
    refs = [line.split(",")[0] for line in _export().split("\r\n")[1:-1]]
    assert refs == ["0x", "B", "Z1", "a", "b"]


def test_formula_cells_neutralised_on_export_and_round_trip() -> None:
    row = FOXCONN.replace("Foxconn to build LCD plant in Wisconsin", '"=HYPERLINK(""http://x"")"')
    import_pledges(_csv(row))
    assert Pledge.objects.get().title == '=HYPERLINK("http://x")'
    exported = _export()
    assert "'=HYPERLINK" in exported
    Pledge.objects.all().delete()
    import_pledges(exported.encode())
    assert Pledge.objects.get().title == '=HYPERLINK("http://x")'
    assert _export() == exported


def test_export_import_export_identical(tmp_path: Path) -> None:
    import_pledges(_csv(ALIBABA, FOXCONN))
    first = tmp_path / "first.csv"
    call_command("export_pledges", str(first), "--no-progress", stdout=io.StringIO())
    for model in (StatusUpdate, Pledge, Source, CompanyAlias, Company):
        model.objects.all().delete()
    call_command("import_pledges", str(first), "--no-progress", stdout=io.StringIO())
    second = tmp_path / "second.csv"
    call_command("export_pledges", str(second), "--no-progress", stdout=io.StringIO())
    assert first.read_bytes() == second.read_bytes()


def test_import_command_lists_errors_and_fails(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(_csv("p1,Acme,,Title,2017-01-01,,,,,,,,,,,https://a.org/"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_pledges", str(path), "--no-progress", stderr=err)
    assert "line 2: jobs_promised: give jobs_promised or investment_usd (or both)" in err.getvalue()


def test_import_command_summary(tmp_path: Path) -> None:
    path = tmp_path / "good.csv"
    path.write_bytes(_csv(ALIBABA, FOXCONN))
    out = io.StringIO()
    call_command("import_pledges", str(path), "--no-progress", stdout=out)
    assert "2 pledges were created, 0 updated, 0 unchanged" in out.getvalue()
    out = io.StringIO()
    call_command("import_pledges", str(path), "--dry-run", "--no-progress", stdout=out)
    assert "0 updated, 2 unchanged" in out.getvalue() and "dry run" in out.getvalue()


def test_import_command_missing_file() -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_pledges", "/nonexistent.csv")


def _generated_csv(rows: int) -> bytes:
    """A file from bench/datagen.py, the benchmarks' own generator."""
    import csv
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "datagen", Path(__file__).resolve().parent.parent / "bench" / "datagen.py"
    )
    assert spec and spec.loader
    datagen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(datagen)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(sorted(datagen.rows(rows, seed=1, news_base="https://n.example")))
    return out.getvalue().encode()


def test_generated_file_round_trips_and_reimports_unchanged() -> None:
    data = _generated_csv(600)
    report = import_pledges(data)
    assert report.created == 600
    assert _export().encode() == data
    again = import_pledges(data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 600)


def test_import_export_query_count_is_bounded(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    data = _generated_csv(600)
    # Per 2,000-row batch a fixed number of statements, never one per row.
    with django_assert_max_num_queries(25):
        import_pledges(data)
    with django_assert_max_num_queries(10):
        _export()
