"""The Celery app. The whole beat schedule lives here."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsdept.settings")

app = Celery("opsdept")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# A missed tick is not lost: the next hourly catch-up runs every night that is due and not done.
# So no message waits in the queue past the next tick (after an outage they would all run at once).
HOURLY_EXPIRY = 50 * 60

app.conf.beat_schedule = {
    # Every night at 01:30 Asia/Shanghai (after the attendance machines' late imports): yesterday's
    # checks, plus any night missed while down.
    "nightly-checks": {
        "task": "opsdept.tasks.run_nightly_checks",
        "schedule": crontab(hour=1, minute=30),
        "options": {"expires": HOURLY_EXPIRY},
    },
    # Every hour at :05: the same catch-up, for a worker or broker that was down at 01:30. It checks
    # yesterday only from 01:30 on (opsdept.nightly.last_due_night), so 00:05 does not run it early.
    "nightly-checks-catch-up": {
        "task": "opsdept.tasks.run_nightly_checks",
        "schedule": crontab(minute=5),
        "options": {"expires": HOURLY_EXPIRY},
    },
    # Every day at 06:00: a night not done by then (failed, held, never run) is reported to HR.
    "nightly-overdue-alert": {
        "task": "opsdept.tasks.warn_overdue_night",
        "schedule": crontab(hour=6, minute=0),
        "options": {"expires": 4 * 60 * 60},
    },
    # Every day at 08:00: a year the calendar does not know, within the next 60 days, is reported to HR once.
    "unknown-calendar-alert": {
        "task": "opsdept.tasks.warn_unknown_calendar",
        "schedule": crontab(hour=8, minute=0),
        "options": {"expires": 4 * 60 * 60},
    },
    # Every minute: deliver what requests wrote to the outbox and no worker has sent yet (the broker
    # was down when they committed, a retry's backoff is over, a worker died mid-send).
    "outbox-sweep": {
        "task": "opsdept.tasks.sweep_outbox",
        "schedule": crontab(),
        "options": {"expires": 55},
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
    # 09:50: the day's meeting at 10:00 (meetings), to whoever has not checked in yet.
    "reminders-0950": {
        "task": "opsdept.tasks.send_reminders",
        "schedule": crontab(hour=9, minute=50),
        "args": ("09:50",),
    },
    # 17:00: a same-day task due today, neither done nor given feedback; your duty day
    # tomorrow (duty: the shifts up to the next workday, so a holiday's are told before it).
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
    # 08:30: requests (leave, business trips, corrections, overtime, appeals) still pending at
    # their start, or for more than two workdays (HR's setting), go one level up; both the
    # approver and the next one up are told.
    "escalate-stuck-requests": {
        "task": "opsdept.tasks.escalate_stuck_requests",
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
