"""Indexes for the API's and the pages' reads of published pledges, and a stored search vector.

- `pledge_published_jobs` replaces the plain `jobs_promised` index, and with
  `pledge_published_status_jobs` serves index-only counts (all published pledges, one status,
  a range of jobs since a date) and the largest pledges first without a sort.
- PostgreSQL only: `search_vector`, the tsvector of `search_text` kept by PostgreSQL itself
  (a stored generated column, unknown to the ORM), indexed instead of the expression of 0002.
  The planner prices to_tsvector() far below its cost, and so chose plans that ran it on every
  row (a search matching most pledges took seconds); a stored vector is matched cheaply.
"""

from django.db import migrations, models

import pledges.indexes

ADD_VECTOR = [
    "ALTER TABLE pledges_pledge ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, search_text)) STORED",
    "CREATE INDEX pledge_search_vector_gin ON pledges_pledge USING gin (search_vector)",
    "DROP INDEX IF EXISTS pledge_search_gin",
]
DROP_VECTOR = [
    "CREATE INDEX IF NOT EXISTS pledge_search_gin ON pledges_pledge "
    "USING gin (to_tsvector('english'::regconfig, search_text))",
    "ALTER TABLE pledges_pledge DROP COLUMN IF EXISTS search_vector",
]


def _run(statements):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0011_ledger_roles_and_nightly_dump"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="pledge",
            name="pledges_ple_jobs_pr_1aae14_idx",
        ),
        migrations.AddIndex(
            model_name="pledge",
            index=pledges.indexes.NullsLastIndex(
                models.OrderBy(models.F("jobs_promised"), descending=True, nulls_last=True),
                models.F("announced_on"),
                condition=models.Q(("is_published", True)),
                name="pledge_published_jobs",
            ),
        ),
        migrations.AddIndex(
            model_name="pledge",
            index=pledges.indexes.NullsLastIndex(
                models.F("status"),
                models.OrderBy(models.F("jobs_promised"), descending=True, nulls_last=True),
                condition=models.Q(("is_published", True)),
                name="pledge_published_status_jobs",
            ),
        ),
        migrations.RunPython(_run(ADD_VECTOR), _run(DROP_VECTOR)),
    ]
