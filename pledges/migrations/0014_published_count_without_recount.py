"""The published-pledge counter no longer counts the whole table on every statement.

0013's trigger wrote `INSERT ... SELECT count(*) FROM pledges_pledge ... ON CONFLICT DO UPDATE
SET pledges = pledges + delta`: the count is only needed when the counter row is missing, but
PostgreSQL computes the SELECT before it meets the conflict, so every statement that added or
removed published pledges scanned all of them (1.2 s of a 100,000-row import written in 50
chunks; 10 ms per pledge an editor adds). Now the row is updated by `delta`, and counted from
the table only if it has gone missing.
"""

import importlib

from django.db import migrations

FUNCTION = """CREATE OR REPLACE FUNCTION pledges_published_count_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  delta bigint := 0;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    INSERT INTO pledges_published_count (pledges) VALUES (0)
      ON CONFLICT (only_row) DO UPDATE SET pledges = 0;
    RETURN NULL;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    delta := delta + (SELECT count(*) FROM new_pledges WHERE is_published);
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    delta := delta - (SELECT count(*) FROM old_pledges WHERE is_published);
  END IF;
  -- A statement that leaves the number alone (most edits) takes no lock on the counter.
  IF delta <> 0 THEN
    UPDATE pledges_published_count SET pledges = pledges + delta;
    IF NOT FOUND THEN
      -- The table as this statement left it: the count already includes `delta`.
      INSERT INTO pledges_published_count (pledges)
        SELECT count(*) FROM pledges_pledge WHERE is_published
        ON CONFLICT (only_row) DO UPDATE SET pledges = pledges_published_count.pledges + delta;
    END IF;
  END IF;
  RETURN NULL;
END
$$"""


def _previous_function() -> str:
    statements = importlib.import_module("pledges.migrations.0013_published_pledge_count").CREATE
    (previous,) = [s for s in statements if s.startswith("CREATE FUNCTION")]
    return previous.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


def _run(statement):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement() if callable(statement) else statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0013_published_pledge_count"),
    ]

    operations = [migrations.RunPython(_run(FUNCTION), _run(_previous_function))]
