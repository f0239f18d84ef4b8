"""`manage.py recheck [--all | --due | --source ID ...] [--wait] [--json FILE]`

Enqueues source checks on Celery (workers: `celery -A tracker worker`). With --wait it shows a
progress bar until every check of the run is recorded, then a summary by outcome; --json FILE
then writes one object per checked source (shared/spec/recheck.md).
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from pledges import selectors
from pledges.models import CheckRunKind, Source
from pledges.services import checks, scheduling
from pledges.tasks import enqueue_checks


class Command(BaseCommand):
    help = "Re-check sources on the Celery workers; --wait shows progress and a summary."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", help="every source")
        which.add_argument("--due", action="store_true", help="the sources due for a check")
        which.add_argument("--source", type=int, nargs="+", metavar="ID", help="these sources")
        parser.add_argument("--wait", action="store_true", help="wait, with a progress bar")
        parser.add_argument("--json", metavar="FILE", help="with --wait: write the results")
        parser.add_argument(
            "--timeout", type=float, default=0, help="with --wait: give up after SECONDS (0: never)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["json"] and not opts["wait"]:
            raise CommandError("--json needs --wait: the results exist once the checks ran")
        if opts["all"]:
            kind = CheckRunKind.ALL
            ids = scheduling.interleave_by_host(Source.objects.values_list("id", "url"))
        elif opts["due"]:
            kind = CheckRunKind.DUE
            scheduling.schedule_new_sources()
            ids = scheduling.claim_due()
        else:
            kind = CheckRunKind.SELECTED
            found = dict(Source.objects.filter(pk__in=opts["source"]).values_list("id", "url"))
            if missing := sorted(set(opts["source"]) - set(found)):
                raise CommandError(f"no source with id {', '.join(map(str, missing))}")
            ids = scheduling.interleave_by_host(found.items())
        run = checks.start_run(kind=kind, source_ids=ids, requested_by="manage.py recheck")
        enqueue_checks(ids, run.pk)
        self.stdout.write(f"run {run.pk}: {len(ids)} checks enqueued")
        if not opts["wait"] or not ids:
            return
        started = time.monotonic()
        done = self._wait(run.pk, len(ids), opts["timeout"])
        elapsed = time.monotonic() - started
        self._summary(selectors.recheck_run_progress(run.pk), done, elapsed)
        if opts["json"]:
            rows = selectors.recheck_run_rows(run.pk)
            with open(opts["json"], "w", encoding="utf-8") as fh:
                json.dump(rows, fh, ensure_ascii=False, indent=1)
            self.stdout.write(f"{len(rows)} results written to {opts['json']}")
        if done < len(ids):
            raise CommandError(f"timed out with {len(ids) - done} checks not done")

    def _wait(self, run_id: int, total: int, timeout: float) -> int:
        from tqdm import tqdm

        done = 0
        give_up = time.monotonic() + timeout if timeout else None
        with tqdm(total=total, unit="src", file=sys.stderr, dynamic_ncols=True) as bar:
            while done < total and (give_up is None or time.monotonic() < give_up):
                time.sleep(0.5)
                now = sum(selectors.recheck_run_progress(run_id).values())
                bar.update(now - done)
                done = now
                if not connection.in_atomic_block:
                    connection.close_if_unusable_or_obsolete()
        return done

    def _summary(self, counts: dict[str, int], done: int, elapsed: float) -> None:
        width = max([len(k) for k in counts] + [7])
        self.stdout.write(f"\n{'outcome':<{width}}  checks")
        for outcome, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            self.stdout.write(f"{outcome:<{width}}  {n:>6}")
        rate = done / elapsed if elapsed else 0.0
        self.stdout.write(
            f"{'total':<{width}}  {done:>6}  in {elapsed:.1f} s ({rate:.2f} sources/s) "
            f"at {timezone.now():%Y-%m-%d %H:%M:%S}"
        )
