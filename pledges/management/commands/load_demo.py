"""python manage.py load_demo"""

from typing import Any

from django.core.management.base import BaseCommand

from pledges.services.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo data: real, sourced corporate job pledges (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_demo()
        self.stdout.write(
            f"Demo data: {report.companies} companies, {report.pledges} pledges, "
            f"{report.status_updates_added} status updates and {report.ledger_entries_added} "
            "ledger entries added."
        )
