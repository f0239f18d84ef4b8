"""The admin's spreadsheet import: keep the upload, preview it with a dry run, then import it.

The import itself is `import_pledges`, the same service as the command. The uploaded file is
kept under `VAR_DIR/imports/` as `<token>.csv` between the preview and the confirmation, so the
editor does not upload it twice; the token is random, checked against a strict pattern before
it becomes part of a path, and stored in the editor's session by the caller. Files older than
a day are removed on every upload.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from pledges.models import Pledge
from pledges.services.imports import IMPORT_EXPLANATION, ImportReport, InvalidFile, import_pledges

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
STALE_AFTER_SECONDS = 24 * 3600
HISTORY_CHUNK = 1000


def import_dir() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def upload_path(token: str) -> Path:
    """Where the upload of `token` is kept; ValidationError for a token we did not make."""
    if not TOKEN_RE.fullmatch(token or ""):
        raise ValidationError("This import has expired; upload the file again.")
    return import_dir() / f"{token}.csv"


def _remove_stale(now: float) -> None:
    for path in import_dir().glob("*.csv"):
        try:
            if now - path.stat().st_mtime > STALE_AFTER_SECONDS:
                path.unlink()
        except FileNotFoundError:  # another request cleaned it first
            pass


def upload_store(*, chunks: Iterable[bytes], size: int) -> str:
    """Keep an uploaded file; returns its token. Refuses files over IMPORT_MAX_UPLOAD_BYTES
    (checked on the declared size and again while writing)."""
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if size > limit:
        raise ValidationError(f"The file is larger than the limit of {limit:,} bytes.")
    _remove_stale(time.time())
    token = secrets.token_urlsafe(24)
    path = upload_path(token)
    written = 0
    with path.open("xb") as out:
        for chunk in chunks:
            written += len(chunk)
            if written > limit:
                out.close()
                path.unlink()
                raise ValidationError(f"The file is larger than the limit of {limit:,} bytes.")
            out.write(chunk)
    return token


def upload_discard(*, token: str) -> None:
    upload_path(token).unlink(missing_ok=True)


def import_preview(*, token: str, user: AbstractBaseUser | None = None) -> ImportReport:
    """A dry run of the kept upload: what would be created, updated, left unchanged, and every
    invalid line (`report.ok` is False then)."""
    path = upload_path(token)
    if not path.exists():
        raise ValidationError("This import has expired; upload the file again.")
    try:
        return import_pledges(path, dry_run=True, user=user, record_actions=True)
    except InvalidFile as exc:
        return exc.report


def _record_history(report: ImportReport, user: AbstractBaseUser | None) -> None:
    """One history entry per pledge the import created or updated (the bulk writer bypasses
    the model signals simple-history listens to)."""
    for action, is_update in (("created", False), ("updated", True)):
        refs = [ref for ref, done in report.actions.items() if done == action]
        for start in range(0, len(refs), HISTORY_CHUNK):
            pledges = list(Pledge.objects.filter(ref__in=refs[start : start + HISTORY_CHUNK]))
            Pledge.history.bulk_history_create(
                pledges,
                update=is_update,
                default_user=user,
                default_change_reason=IMPORT_EXPLANATION,
            )


def import_confirm(*, token: str, user: AbstractBaseUser | None = None) -> ImportReport:
    """Import the kept upload for real (all or nothing), record history, discard the file.
    Raises InvalidFile when the file no longer imports (the database changed meanwhile)."""
    path = upload_path(token)
    if not path.exists():
        raise ValidationError("This import has expired; upload the file again.")
    with transaction.atomic():
        report = import_pledges(path, user=user, record_actions=True)
        _record_history(report, user if user is not None and user.is_authenticated else None)
    path.unlink(missing_ok=True)
    return report
