"""Shared helpers for the leave tests: a frozen local clock and a one-call filing helper."""

from contextlib import contextmanager
from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

from leave import services
from leave.models import Half

from .factories import leave_type

SHANGHAI = ZoneInfo("Asia/Shanghai")


@contextmanager
def local_time(year: int, month: int, day: int, hour: int = 10, minute: int = 0, second: int = 0):
    """Freeze Django's clock at a local (Asia/Shanghai) moment."""
    moment = datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


def file_leave(employee, start: date, end: date | None = None, *, code: str = "personal", start_half: str = Half.MORNING,
               end_half: str = Half.AFTERNOON, reason: str = "家中有事", attachments=()):
    return services.file_leave_request(
        employee.pk, actor=employee.user, leave_type=leave_type(code), start_date=start, start_half=start_half,
        end_date=end or start, end_half=end_half, reason=reason, attachments=attachments,
    )
