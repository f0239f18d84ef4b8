"""python manage.py bulk_dump [--force] [--dir DIR]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pledges.services.bulk_dump import dump_manifest, dump_write


class Command(BaseCommand):
    help = (
        "Write a versioned bulk dump (interchange CSV, NDJSON with the ledger, a SQLite file "
        "for Datasette, a changelog) under DUMP_DIR, unless nothing changed since the last one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="write a version even if unchanged"
        )
        parser.add_argument("--dir", type=Path, default=None, help="instead of DUMP_DIR")

    def handle(self, *args: Any, force: bool, dir: Path | None, **options: Any) -> None:
        dump = dump_write(root=dir, force=force)
        if not dump.created:
            self.stdout.write(f"Nothing changed since {dump.version}: no new version.")
            return
        manifest = dump_manifest(dump.version, root=dump.directory.parent)
        changes = manifest["changes"]
        self.stdout.write(
            f"Dump {dump.version}: {manifest['counts']['pledges']} pledges in {dump.directory} "
            f"({changes['added']} added, {changes['changed']} changed, "
            f"{changes['removed']} removed since {manifest['previous'] or 'nothing'})."
        )
