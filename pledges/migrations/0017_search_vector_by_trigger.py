"""PostgreSQL only: `search_vector` kept by triggers instead of as a generated column.

The vector is still `to_tsvector('english', search_text)`, computed by PostgreSQL on every
insert and on every update that changes the text (or touches the vector itself), so what the
table holds is what the generated column held. The difference is that a bulk load
(`import_staged`, `import_bulk`) may turn the triggers off while it writes rows whose vectors
it had PostgreSQL compute on a second connection, in parallel with its own writes; a
generated column cannot be written at all. Updates that leave the text alone (a status
change) no longer recompute the vector, which the generated column did.
"""

from django.db import migrations

FUNCTION = """CREATE FUNCTION pledges_pledge_search_vector() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := to_tsvector('english'::regconfig, NEW.search_text);
    RETURN NEW;
END
$$"""

FORWARD = [
    "ALTER TABLE pledges_pledge ALTER COLUMN search_vector DROP EXPRESSION",
    FUNCTION,
    "CREATE TRIGGER pledges_pledge_search_vector_insert BEFORE INSERT ON pledges_pledge"
    " FOR EACH ROW EXECUTE FUNCTION pledges_pledge_search_vector()",
    "CREATE TRIGGER pledges_pledge_search_vector_update BEFORE UPDATE ON pledges_pledge"
    " FOR EACH ROW WHEN (NEW.search_text IS DISTINCT FROM OLD.search_text"
    " OR NEW.search_vector IS DISTINCT FROM OLD.search_vector)"
    " EXECUTE FUNCTION pledges_pledge_search_vector()",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS pledges_pledge_search_vector_update ON pledges_pledge",
    "DROP TRIGGER IF EXISTS pledges_pledge_search_vector_insert ON pledges_pledge",
    "DROP FUNCTION IF EXISTS pledges_pledge_search_vector()",
    # A column cannot become generated again: add it anew (0012's definition), and its index.
    "ALTER TABLE pledges_pledge DROP COLUMN search_vector",
    "ALTER TABLE pledges_pledge ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, search_text)) STORED",
    "CREATE INDEX pledge_search_vector_gin ON pledges_pledge USING gin (search_vector)",
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
        ("pledges", "0016_pledge_documents"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
