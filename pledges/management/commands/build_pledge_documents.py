"""python manage.py build_pledge_documents"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from pledges.management.progress import progress_bar
from pledges.services.documents import documents_build


class Command(BaseCommand):
    help = (
        "Build the API documents of the published pledges that have none (the beat task does "
        "this every minute; run it after a large import to have the API fast at once)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        bar = progress_bar(self, "building documents", " pledges", disable=options["no_progress"])

        def set_total(count: int) -> None:
            bar.total = count
            bar.refresh()

        try:
            built = documents_build(progress=bar.update, total=set_total)
        finally:
            bar.close()
        note = (
            "" if connection.vendor == "postgresql" else " (documents are kept on PostgreSQL only)"
        )
        self.stdout.write(f"{built} pledge documents built{note}")
