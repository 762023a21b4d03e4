"""leave: tasks. The nightly check runs through opsdept's nightly task (opsdept/celery.py)."""

from celery import shared_task


@shared_task(name="leave.tasks.escalate_stuck_requests")
def escalate_stuck_requests() -> int:
    """Leave requests only (kept for messages queued before every kind escalated: see opsdept.tasks)."""
    from .services import escalate_stuck_leave_requests

    return escalate_stuck_leave_requests()
