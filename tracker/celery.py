"""The Celery application: configuration comes from Django settings (`CELERY_*`)."""

import os

from celery import Celery

from tracker.logs import connect_celery_signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Worker and beat log through Django's LOGGING (LOG_FORMAT), each record with its task's ids.
connect_celery_signals()
