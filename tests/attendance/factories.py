"""Factories and helpers for the attendance tests."""

from datetime import date, datetime, time
from decimal import Decimal

import factory

from attendance.days import LOCAL_ZONE, local_date_of
from attendance.models import Correction, Overtime, Punch
from opsdept import registries
from tests.factories import EmployeeFactory


def local(text: str) -> datetime:
    """An aware Asia/Shanghai datetime from 'YYYY-MM-DD HH:MM[:SS]'."""
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL_ZONE)


class PunchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Punch

    employee = factory.SubFactory(EmployeeFactory)
    at = factory.LazyFunction(lambda: local("2026-10-12 09:00"))
    local_date = factory.LazyAttribute(lambda punch: local_date_of(punch.at))
    source = Punch.Source.IMPORT


def punch_day(employee, day: str, *times: str) -> list[Punch]:
    """Punch `employee` at each 'HH:MM' on `day` ('YYYY-MM-DD')."""
    return [PunchFactory(employee=employee, at=local(f"{day} {clock}")) for clock in times]


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    employee = factory.SubFactory(EmployeeFactory)
    date = date(2026, 10, 12)
    time = time(18, 0)
    reason = "忘记打卡"


class OvertimeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Overtime

    employee = factory.SubFactory(EmployeeFactory)
    date = date(2026, 10, 12)
    start_time = time(19, 0)
    end_time = time(21, 30)
    reason = "活动上线"


class FakeLeave:
    """A stand-in leave provider: {(employee id, date): fraction}; counts its calls."""

    def __init__(self, days: dict | None = None) -> None:
        self.days: dict = days or {}
        self.calls = 0

    def __call__(self, employee_ids, start, end) -> dict:
        self.calls += 1
        wanted = None if employee_ids is None else set(employee_ids)
        return {key: registries.WHOLE_DAY if Decimal(value) >= 1 else registries.MORNING
                for key, value in self.days.items()
                if start <= key[1] <= end and (wanted is None or key[0] in wanted)}
