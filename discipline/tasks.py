"""discipline: tasks."""

from celery import shared_task


@shared_task(name="discipline.tasks.escalate_unreviewed_flags")
def escalate_unreviewed_flags() -> int:
    """Flags left unreviewed for HR's number of workdays go to the supervisor's supervisor (beat: 08:40)."""
    from .services import escalate_unreviewed_flags as escalate

    return escalate()
