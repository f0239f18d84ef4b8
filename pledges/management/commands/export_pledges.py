"""python manage.py export_pledges [FILE.csv]"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pledges.management.progress import progress_bar
from pledges.models import Pledge
from pledges.selectors import export_records
from pledges.services.exports import write_csv


class Command(BaseCommand):
    help = "Write every pledge as the canonical interchange CSV (to FILE, or standard output)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, help="output file (default: stdout)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path | None = options["file"]
        if path is None:
            # OutputWrapper adds no line end: every CSV line already ends in \r\n.
            write_csv(export_records(), self.stdout)
            return
        total = Pledge.objects.count()
        records = progress_bar(
            self,
            "exporting",
            " rows",
            disable=options["no_progress"],
            iterable=export_records(),
            total=total,
        )
        # Write beside the target and rename, so a failed export never leaves half a file.
        directory = path.resolve().parent
        fd, tmp_name = tempfile.mkstemp(prefix=".export-", suffix=".csv", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                count = write_csv(records, out)
            os.replace(tmp_name, path)
        except BaseException:
            os.unlink(tmp_name)
            raise
        self.stdout.write(f"{count} pledges written to {path}")
