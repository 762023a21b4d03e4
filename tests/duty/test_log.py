"""The duty log: written by the day's responsible person, on or after the day."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from duty import services
from duty.models import DutyLog
from duty.services import DutyError

from .conftest import national_day_roster

pytestmark = pytest.mark.django_db


def test_the_responsible_person_writes_and_then_completes_the_log(cast, clock):
    roster = national_day_roster(cast)
    day = roster.days.order_by("date").first()
    author = day.responsible
    log = services.write_duty_log(day.pk, actor=author.user, checked="网站巡检正常", contacts="客服部李主管", today=day.date)
    assert log.author == author
    services.write_duty_log(day.pk, actor=author.user, checked="网站巡检正常", incidents="支付回调延迟，已恢复", today=date(2026, 10, 2))
    log.refresh_from_db()
    assert log.incidents == "支付回调延迟，已恢复" and DutyLog.objects.count() == 1


def test_a_log_for_a_future_day_or_without_content_is_refused(cast, clock):
    roster = national_day_roster(cast)
    day = roster.days.order_by("date").last()
    with pytest.raises(DutyError):
        services.write_duty_log(day.pk, actor=day.responsible.user, checked="巡检", today=date(2026, 10, 1))
    with pytest.raises(DutyError):
        services.write_duty_log(day.pk, actor=day.responsible.user, checked="  ", today=day.date)
    assert not DutyLog.objects.exists()


def test_someone_not_responsible_that_day_cannot_write_its_log(cast, clock):
    roster = national_day_roster(cast)
    day = roster.days.order_by("date").first()
    someone_else = next(p for p in (cast.employee, cast.clerk, cast.supervisor) if p.pk != day.responsible_id)
    with pytest.raises(PermissionDenied):
        services.write_duty_log(day.pk, actor=someone_else.user, checked="巡检", today=day.date)
