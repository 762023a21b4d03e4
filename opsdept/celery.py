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
    # Reminders (opsdept.reminders; each chapter registers its own in registries.reminders).
    # One entry per time of day; the sender itself skips non-workdays, people on leave,
    # people who turned a kind off, things already done and anything already sent.
    # 09:00: the digest of requests waiting on you for more than a workday; the written
    # slip of an emergency leave due tomorrow.
    "reminders-0900": {
        "task": "opsdept.tasks.send_reminders",
        "schedule": crontab(hour=9, minute=0),
        "args": ("09:00",),
    },
    # 17:00: a same-day task due today, neither done nor given feedback.
    "reminders-1700": {
        "task": "opsdept.tasks.send_reminders",
        "schedule": crontab(hour=17, minute=0),
        "args": ("17:00",),
    },
    # 17:30: the daily work report, if not yet written.
    "reminders-1730": {
        "task": "opsdept.tasks.send_reminders",
        "schedule": crontab(hour=17, minute=30),
        "args": ("17:30",),
    },
    # 08:30: leave requests still pending at their start, or for more than two workdays
    # (HR's setting), go one level up; both the approver and the next one up are told.
    "escalate-stuck-leave": {
        "task": "leave.tasks.escalate_stuck_requests",
        "schedule": crontab(hour=8, minute=30),
    },
    # 08:40: flags left unreviewed for HR's number of workdays go to the supervisor's supervisor.
    "escalate-unreviewed-flags": {
        "task": "discipline.tasks.escalate_unreviewed_flags",
        "schedule": crontab(hour=8, minute=40),
    },
    # Every day at 06:00: plan the coming weeks' Monday 10:00 meetings (moved off holidays); idempotent.
    "meetings-plan-weeks": {
        "task": "meetings.tasks.plan_weekly_meetings",
        "schedule": crontab(hour=6, minute=0),
    },
}
