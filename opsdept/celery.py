"""The Celery app. The whole beat schedule lives here."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsdept.settings")

app = Celery("opsdept")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Every night at 01:30 Asia/Shanghai: yesterday's checks, plus any night missed while down.
    "nightly-checks": {
        "task": "opsdept.tasks.run_nightly_checks",
        "schedule": crontab(hour=1, minute=30),
    },
    # Every hour: the same catch-up, so that a worker that was down at 01:30 still runs the night.
    "nightly-checks-catch-up": {
        "task": "opsdept.tasks.run_nightly_checks",
        "schedule": crontab(minute=5),
    },
    # Every day at 06:00: plan the coming weeks' Monday 10:00 meetings (moved off holidays); idempotent.
    "meetings-plan-weeks": {
        "task": "meetings.tasks.plan_weekly_meetings",
        "schedule": crontab(hour=6, minute=0),
    },
}
