"""Pledge documents: each published pledge's API JSON, prepared ahead of reading.

The table holds `PledgeDocument` rows; the triggers below delete a pledge's document in the
same statement as any change to what it shows, so a document that exists is current
(`pledges.services.documents` builds the missing ones; the API serialises a pledge without
one afresh). What a document shows, and so what invalidates it:

- the pledge's own columns (any UPDATE; DELETE and TRUNCATE drop its document too, as there
  is no foreign key);
- its company's name, slug and country;
- its places, its sources (the links, and each source's url, publisher, title and health),
  its status updates and their evidence.

Each trigger first takes the shared side of an advisory lock whose exclusive side a document
build holds while it writes: a change made while a build runs waits for that build to commit,
then deletes what it wrote. (A transaction that is not READ COMMITTED would not see those
documents; nothing in the project runs one.)

A beat task (every minute) builds the documents that are missing.
"""

import django.db.models.deletion
from django.db import migrations, models

# pledges.services.documents.DOCUMENT_LOCK: copied, as a migration must not change later.
DOCUMENT_LOCK = 728_417_001

FUNCTION = f"""CREATE FUNCTION pledges_document_invalidate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared({DOCUMENT_LOCK});
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM pledges_pledgedocument;
    RETURN NULL;
  END IF;
  -- Nothing to delete (a first import, say): skip the joins below. Safe under the lock: no
  -- build is writing documents this transaction cannot see.
  IF NOT EXISTS (SELECT FROM pledges_pledgedocument) THEN
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME = 'pledges_pledge' THEN
    DELETE FROM pledges_pledgedocument d USING old_rows o WHERE d.pledge_id = o.id;
  ELSIF TG_TABLE_NAME = 'pledges_company' THEN
    DELETE FROM pledges_pledgedocument d
      USING old_rows o, new_rows n, pledges_pledge p
      WHERE n.id = o.id
        AND (n.name, n.slug, n.country) IS DISTINCT FROM (o.name, o.slug, o.country)
        AND p.company_id = n.id AND d.pledge_id = p.id;
  ELSIF TG_TABLE_NAME = 'pledges_source' THEN
    DELETE FROM pledges_pledgedocument d WHERE d.pledge_id IN (
      WITH changed AS (
        SELECT n.id FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (n.url, n.publisher, n.title, n.health)
          IS DISTINCT FROM (o.url, o.publisher, o.title, o.health))
      SELECT ps.pledge_id FROM changed
        JOIN pledges_pledgesource ps ON ps.source_id = changed.id
      UNION
      SELECT su.pledge_id FROM changed
        JOIN pledges_statusupdate_evidence e ON e.source_id = changed.id
        JOIN pledges_statusupdate su ON su.id = e.statusupdate_id);
  ELSIF TG_TABLE_NAME = 'pledges_statusupdate_evidence' THEN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      DELETE FROM pledges_pledgedocument d USING new_rows n, pledges_statusupdate su
        WHERE su.id = n.statusupdate_id AND d.pledge_id = su.pledge_id;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
      DELETE FROM pledges_pledgedocument d USING old_rows o, pledges_statusupdate su
        WHERE su.id = o.statusupdate_id AND d.pledge_id = su.pledge_id;
    END IF;
  ELSE
    -- Places, pledge sources, status updates: rows with a pledge_id.
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      DELETE FROM pledges_pledgedocument d USING new_rows n WHERE d.pledge_id = n.pledge_id;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
      DELETE FROM pledges_pledgedocument d USING old_rows o WHERE d.pledge_id = o.pledge_id;
    END IF;
  END IF;
  RETURN NULL;
END
$$"""

# (table, events): each event gets its own statement-level trigger, with the transition
# tables it has.
TRIGGERS = [
    ("pledges_pledge", ("UPDATE", "DELETE", "TRUNCATE")),
    ("pledges_company", ("UPDATE",)),
    ("pledges_source", ("UPDATE",)),
    ("pledges_pledgelocation", ("INSERT", "UPDATE", "DELETE")),
    ("pledges_pledgesource", ("INSERT", "UPDATE", "DELETE")),
    ("pledges_statusupdate", ("INSERT", "UPDATE", "DELETE")),
    ("pledges_statusupdate_evidence", ("INSERT", "UPDATE", "DELETE")),
]
TRANSITIONS = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
    "TRUNCATE": "",
}


def _trigger_name(table: str, event: str) -> str:
    return f"{table}_document_{event.lower()}"


def _create() -> list[str]:
    statements = [FUNCTION]
    for table, events in TRIGGERS:
        for event in events:
            statements.append(
                f"CREATE TRIGGER {_trigger_name(table, event)} AFTER {event} ON {table} "
                f"{TRANSITIONS[event]} FOR EACH STATEMENT "
                "EXECUTE FUNCTION pledges_document_invalidate()"
            )
    return statements


def _drop() -> list[str]:
    statements = [
        f"DROP TRIGGER IF EXISTS {_trigger_name(table, event)} ON {table}"
        for table, events in TRIGGERS
        for event in events
    ]
    return [*statements, "DROP FUNCTION IF EXISTS pledges_document_invalidate()"]


def _run(statements):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements():
                schema_editor.execute(statement)

    return run


BEAT_NAME = "api: build missing pledge documents"


def register(apps, schema_editor):  # type: ignore[no-untyped-def]
    every, _ = apps.get_model("django_celery_beat", "IntervalSchedule").objects.get_or_create(
        every=1, period="minutes"
    )
    apps.get_model("django_celery_beat", "PeriodicTask").objects.update_or_create(
        name=BEAT_NAME,
        defaults={
            "task": "pledges.tasks.build_pledge_documents",
            "interval": every,
            # A missed tick is dropped, not piled up: the next one builds everything missing.
            "expire_seconds": 50,
            "enabled": True,
        },
    )


def unregister(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=BEAT_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0015_partial_indexes_for_rare_foreign_keys"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.CreateModel(
            name="PledgeDocument",
            fields=[
                (
                    "pledge",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="pledges.pledge",
                    ),
                ),
                ("body", models.TextField()),
                ("csv_line", models.TextField()),
            ],
        ),
        migrations.RunPython(_run(_create), _run(_drop)),
        migrations.RunPython(register, unregister),
    ]
