"""The number of published pledges, kept exact by PostgreSQL itself (PostgreSQL only).

Every unfiltered list of the API and the pages reports how many pledges are published; counting
them is an index-only scan of every entry (about 10 ms at 100,000 pledges), most of the cost of
the newest-first page. Statement-level triggers with transition tables keep one counter row in
step with every INSERT, DELETE, UPDATE of `is_published` and TRUNCATE, in the writing
transaction: the figure is never stale and costs one row per statement, not per pledge, so a
bulk import pays once. The price: transactions that change the number of published pledges
wait for each other's commit at that row (editors' saves are short; an import holds it until it
commits). `selectors_api` reads it only where the question is "all published pledges".
"""

from django.db import migrations

CREATE = [
    "CREATE TABLE pledges_published_count ("
    " only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),"
    " pledges bigint NOT NULL CHECK (pledges >= 0))",
    "INSERT INTO pledges_published_count (pledges) "
    "SELECT count(*) FROM pledges_pledge WHERE is_published",
    """CREATE FUNCTION pledges_published_count_change() RETURNS trigger
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
    INSERT INTO pledges_published_count (pledges)
      SELECT count(*) FROM pledges_pledge WHERE is_published
      ON CONFLICT (only_row) DO UPDATE SET pledges = pledges_published_count.pledges + delta;
  END IF;
  RETURN NULL;
END
$$""",
    "CREATE TRIGGER pledges_published_count_insert AFTER INSERT ON pledges_pledge "
    "REFERENCING NEW TABLE AS new_pledges FOR EACH STATEMENT "
    "EXECUTE FUNCTION pledges_published_count_change()",
    "CREATE TRIGGER pledges_published_count_delete AFTER DELETE ON pledges_pledge "
    "REFERENCING OLD TABLE AS old_pledges FOR EACH STATEMENT "
    "EXECUTE FUNCTION pledges_published_count_change()",
    "CREATE TRIGGER pledges_published_count_update AFTER UPDATE ON pledges_pledge "
    "REFERENCING OLD TABLE AS old_pledges NEW TABLE AS new_pledges FOR EACH STATEMENT "
    "EXECUTE FUNCTION pledges_published_count_change()",
    "CREATE TRIGGER pledges_published_count_truncate AFTER TRUNCATE ON pledges_pledge "
    "FOR EACH STATEMENT EXECUTE FUNCTION pledges_published_count_change()",
]
DROP = [
    "DROP TRIGGER IF EXISTS pledges_published_count_truncate ON pledges_pledge",
    "DROP TRIGGER IF EXISTS pledges_published_count_update ON pledges_pledge",
    "DROP TRIGGER IF EXISTS pledges_published_count_delete ON pledges_pledge",
    "DROP TRIGGER IF EXISTS pledges_published_count_insert ON pledges_pledge",
    "DROP FUNCTION IF EXISTS pledges_published_count_change()",
    "DROP TABLE IF EXISTS pledges_published_count",
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
        ("pledges", "0012_api_read_paths"),
    ]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
