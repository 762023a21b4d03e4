"""meetings: Celery tasks (only call services)."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def plan_weekly_meetings() -> int:
    """Create the coming weeks' Monday meetings (moved off holidays); safe to run twice."""
    return services.plan_weekly_meetings(timezone.localdate())
