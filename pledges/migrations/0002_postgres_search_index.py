"""PostgreSQL-only indexes that the SQLite demo cannot have.

Full-text search uses `to_tsvector('english', search_text)`; the expression index must match
that expression exactly (see `pledges.search`).
"""

from django.db import migrations

INDEXES = [
    (
        "pledge_search_gin",
        "CREATE INDEX IF NOT EXISTS pledge_search_gin ON pledges_pledge "
        "USING gin (to_tsvector('english'::regconfig, search_text))",
    ),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _name, sql in INDEXES:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _sql in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("pledges", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
