"""The jobs ledger in the roles, and the nightly bulk dump in the beat schedule.

Editors add, change and delete ledger entries (observations, claims, lineage links,
planned-before evidence, offsetting events, subsidies, right of reply); viewers may look.
One beat entry, daily at 03:30 (TIME_ZONE, editable in the admin), writes the versioned dump
(`pledges.tasks_ledger.write_bulk_dump`); it expires before the next run.
"""

from django.db import migrations

LEDGER_MODELS = [
    "observation",
    "claim",
    "pledgelink",
    "priorplan",
    "offsetevent",
    "subsidy",
    "replyrequest",
]
GRANTS = {
    "Editors": [
        f"{action}_{model}"
        for model in LEDGER_MODELS
        for action in ("view", "add", "change", "delete")
    ],
    "Viewers": [f"view_{model}" for model in LEDGER_MODELS],
}
BEAT_NAME = "ledger: write the nightly bulk dump"
BEAT_TASK = "pledges.tasks_ledger.write_bulk_dump"


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("pledges")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="pledges", codename__in=codenames
                )
            )


def register_beat(apps, schema_editor):
    from django.conf import settings

    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    nightly, _ = crontab_model.objects.get_or_create(
        minute="30",
        hour="3",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    task_model.objects.update_or_create(
        name=BEAT_NAME,
        defaults={
            "task": BEAT_TASK,
            "crontab": nightly,
            "expire_seconds": 20 * 3600,
            "enabled": True,
        },
    )


def unregister_beat(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=BEAT_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0010_jobs_ledger"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(grant, migrations.RunPython.noop),
        migrations.RunPython(register_beat, unregister_beat),
    ]
