"""python manage.py build_dataset [--force]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pledges.services.dataset import dataset_build


class Command(BaseCommand):
    help = (
        "Write the downloadable dataset (every published pledge as CSV and JSON, served at "
        "/api/v1/dataset.csv and .json) under VAR_DIR/dataset, unless it is already current."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="rebuild even if current")

    def handle(self, *args: Any, **options: Any) -> None:
        dataset = dataset_build(force=options["force"])
        self.stdout.write(f"{dataset.count} pledges in {dataset.directory} ({dataset.stamp})")
