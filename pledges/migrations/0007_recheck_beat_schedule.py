"""Register the re-check jobs' periodic tasks with django-celery-beat (idempotent)."""

from django.db import migrations

TASKS = [
    # (name, task, every minutes, expires seconds: a missed tick is dropped, not piled up)
    ("recheck: enqueue due sources", "pledges.tasks.enqueue_due", 1, 50),
    ("recheck: poll news feeds", "pledges.tasks.poll_feeds", 15, 14 * 60),
]


def register(apps, schema_editor):
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minutes, expires in TASKS:
        every, _ = interval_model.objects.get_or_create(every=minutes, period="minutes")
        task_model.objects.update_or_create(
            name=name,
            defaults={"task": task, "interval": every, "expire_seconds": expires, "enabled": True},
        )


def unregister(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name__in=[name for name, *_ in TASKS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0006_recheck_jobs"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(register, unregister)]
