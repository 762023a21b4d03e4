"""meetings in the department that runs itself (issue 12): the 9:50 reminder of the day's meeting and the
"minutes published" event for the group robots, both registered from MeetingsConfig.ready()."""

from datetime import date

from opsdept import chat, registries
from opsdept.models import ChatWebhook, Notification, WebhookDelivery
from opsdept.reminders import send_reminders, set_reminder_preference

from meetings import services

from .conftest import MONDAY, at


def test_the_meeting_reminder_and_the_minutes_event_are_registered():
    assert registries.reminders.get("meetings.upcoming").at == "09:50"
    assert "meetings.minutes" in registries.chat_events


def _reminded(employee) -> int:
    return Notification.objects.filter(recipient=employee, key__startswith="meetings.upcoming:").count()


def test_at_950_the_expected_members_who_have_not_checked_in_are_reminded_once(meeting, cast, clock):
    clock(at(9, 50))
    set_reminder_preference("meetings.upcoming", actor=cast.outsider.user, enabled=False)
    assert send_reminders("09:50", MONDAY) > 0
    assert send_reminders("09:50", MONDAY) == 0   # never twice
    assert _reminded(cast.employee) == 1 and _reminded(cast.supervisor) == 1
    assert _reminded(cast.outsider) == 0        # turned it off
    assert _reminded(cast.hr) == 0              # HR is not a member of the weekly meeting
    assert "10:00" in Notification.objects.get(recipient=cast.employee, key__startswith="meetings.upcoming:").subject


def test_no_meeting_reminder_for_who_checked_in_or_on_a_non_workday(meeting, cast, clock):
    clock(at(9, 56))
    services.check_in(meeting.pk, actor=cast.employee.user)
    send_reminders("09:50", MONDAY)
    assert _reminded(cast.employee) == 0 and _reminded(cast.supervisor) == 1
    assert send_reminders("09:50", date(2026, 11, 29)) == 0   # a Sunday


def test_published_minutes_go_to_the_robots_that_chose_them(meeting, cast, clock, settings,
                                                          django_capture_on_commit_callbacks):
    settings.CHAT_WEBHOOK_TEST_PREFIXES = ["http://127.0.0.1:9/"]   # nothing listens: delivery fails, publishing does not
    wanted = chat.add_webhook(actor=cast.hr.user, name="全员群", vendor=ChatWebhook.Vendor.WECOM,
                              url="http://127.0.0.1:9/cgi-bin/webhook/send?key=x", events=["meetings.minutes"])
    chat.add_webhook(actor=cast.hr.user, name="通报群", vendor=ChatWebhook.Vendor.WECOM,
                     url="http://127.0.0.1:9/cgi-bin/webhook/send?key=y", events=["discipline.notice"])
    clock(at(10, 40))
    services.save_minutes(meeting.pk, actor=cast.clerk.user, topics="周计划", decisions="按期上线", reports={})
    services.publish_minutes(meeting.pk, actor=cast.clerk.user)
    delivery = WebhookDelivery.objects.get()
    assert delivery.webhook == wanted and delivery.event == "meetings.minutes"
    assert meeting.title in delivery.text and "2026-11-23" in delivery.text
