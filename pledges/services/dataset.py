"""The one-click dataset: every published pledge as the interchange CSV and as JSON.

The files are built after changes, not per request: `dataset_build()` writes them under
`VAR_DIR/dataset/` with the version of the data they hold (number of published pledges and
their latest `updated_at`) in `stamp.json` beside them. `build_dataset` (command) and the
Celery task call it; the API's download view calls `dataset_ensure()`, which rebuilds only when
that stamp no longer matches the database (one aggregate query), so a download is never
staler than the data and never rebuilt twice for the same data. Files are written beside the
target and renamed, and a file lock keeps two processes from building at once.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from pledges import selectors
from pledges.services.exports import csv_lines

CSV_NAME = "pledges.csv"
JSON_NAME = "pledges.json"
STAMP_NAME = "stamp.json"


@dataclass(frozen=True)
class Dataset:
    directory: Path
    stamp: str
    count: int

    @property
    def csv_path(self) -> Path:
        return self.directory / CSV_NAME

    @property
    def json_path(self) -> Path:
        return self.directory / JSON_NAME


def dataset_dir() -> Path:
    return Path(settings.VAR_DIR) / "dataset"


def dataset_stamp() -> tuple[str, int]:
    """(version, number of pledges) of the published data, in one query."""
    count, last = selectors.pledge_stamp(selectors.api_pledges())
    return f"{count}|{last.isoformat() if last else ''}", count


def dataset_current(directory: Path | None = None) -> Dataset | None:
    """The dataset on disk, if complete."""
    directory = directory or dataset_dir()
    try:
        meta = json.loads((directory / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    dataset = Dataset(directory, meta.get("stamp", ""), meta.get("count", 0))
    if not (dataset.csv_path.is_file() and dataset.json_path.is_file()):
        return None
    return dataset


def _write_atomically(path: Path, chunks: Iterator[str]) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            for chunk in chunks:
                out.write(chunk)
        os.replace(tmp_name, path)
    except BaseException:
        os.unlink(tmp_name)
        raise


def _json_chunks(stamp: str, count: int) -> Iterator[str]:
    api_prefix = settings.SITE_URL + reverse("api:pledge-list")
    page_prefix = settings.SITE_URL + reverse("pledges:pledge-list")
    head = {
        "notice": selectors.API_NOTICE,
        "generated_at": timezone.now().isoformat(),
        "version": stamp,
        "count": count,
    }
    yield json.dumps(head)[:-1] + ', "pledges": ['
    first = True
    for ids in selectors.api_pledge_ids_in_ref_order(selectors.api_pledges()):
        for pledge in selectors.api_pledge_dicts(
            ids, api_prefix=api_prefix, page_prefix=page_prefix
        ):
            yield ("\n" if first else ",\n") + json.dumps(pledge, ensure_ascii=False)
            first = False
    yield "\n]}\n"


def dataset_build(*, force: bool = False, directory: Path | None = None) -> Dataset:
    """Write the CSV and JSON of every published pledge, unless the files on disk already
    hold this version of the data (or `force`). Safe to call from several processes."""
    directory = directory or dataset_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        # Read the version before the data: a change made while we write makes the files
        # look stale (rebuilt next time), never current.
        stamp, count = dataset_stamp()
        current = dataset_current(directory)
        if current and current.stamp == stamp and not force:
            return current
        records = selectors.export_records(selectors.api_pledges())
        _write_atomically(directory / CSV_NAME, csv_lines(records))
        _write_atomically(directory / JSON_NAME, _json_chunks(stamp, count))
        meta = {"stamp": stamp, "count": count, "built_at": timezone.now().isoformat()}
        _write_atomically(directory / STAMP_NAME, iter([json.dumps(meta)]))
        return Dataset(directory, stamp, count)


def dataset_ensure(directory: Path | None = None) -> Dataset:
    """The dataset of the current data: the files on disk if current, else rebuilt now."""
    current = dataset_current(directory)
    if current and current.stamp == dataset_stamp()[0]:
        return current
    return dataset_build(directory=directory)
