"""Role × route for the department's own pages (people, calendar, audit)."""

import pytest

from tests.matrix import ROLES, Route, assert_covers, cases, request_route

from opsdept.models import Notification

R = 302  # a redirect after a POST (the action ran, or was refused with a message)

def notification_for(employee):
    return Notification.objects.create(recipient=employee, subject="测试")


def unsubscribe_token_for(cast) -> str:
    from opsdept.mail import unsubscribe_token

    return unsubscribe_token(cast.employee.pk, "flag")


def robot_for(cast, url="https://oapi.dingtalk.com/robot/send?access_token=t"):
    from opsdept.models import ChatWebhook

    return ChatWebhook.objects.create(name="客服部群", vendor="dingtalk", url=url, created_by=cast.hr)


def deputy_for(cast) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from opsdept.models import Deputy

    start = timezone.localdate() + timedelta(days=7)
    found = Deputy.objects.create(principal=cast.supervisor, deputy=cast.other_supervisor, start_date=start,
                                  end_date=start + timedelta(days=4), created_by=cast.supervisor)
    return {"pk": found.pk}


MATRIX = {
    "home": Route(default=200, expect={}),
    "manifest": Route(default=200, expect={"anonymous": 200}),
    "service_worker": Route(default=200, expect={"anonymous": 200}),
    "offline": Route(default=200, expect={"anonymous": 200}),
    "favicon": Route(default=301, expect={"anonymous": 301}),
    "login": Route(expect={"anonymous": 200}, default=302),
    "logout": Route(method="post", expect={"anonymous": 302}, default=302),
    "password_change": Route(default=200, expect={}),
    "password_change_done": Route(default=200, expect={}),
    "set_language": Route(method="post", data=lambda c: {"language": "en"}, expect={"anonymous": 302}, default=302),
    "people_list": Route(default=200, expect={"employee": 403, "outsider": 403, "clerk": 403}),
    "employee_create": Route(default=403, expect={"hr": 200}),
    # the employee picker's search, here the one of the reward/penalty form (its scope: one's team)
    "employee_pick": Route(kwargs=lambda c: {"scope": "discipline-record"}, default=403,
                           expect={"supervisor": 200, "other_supervisor": 200, "manager": 200}),
    "employee_detail": Route(
        kwargs=lambda c: {"pk": c.employee.pk}, default=200,
        expect={"other_supervisor": 404, "outsider": 404, "clerk": 404},
    ),
    "employee_edit": Route(kwargs=lambda c: {"pk": c.employee.pk}, default=403, expect={"hr": 200}),
    "employee_deactivate": Route(method="post", kwargs=lambda c: {"pk": c.outsider.pk},
                                 data=lambda c: {"reason": "离职"}, default=403, expect={"hr": R}),
    "employee_reactivate": Route(method="post", kwargs=lambda c: {"pk": c.outsider.pk}, default=403, expect={"hr": R}),
    "calendar": Route(default=200, expect={}),
    "calendar_override_set": Route(method="post", data=lambda c: {"date": "2027-01-01", "kind": "holiday", "note": "元旦"},
                                   default=403, expect={"hr": R}),
    "calendar_override_remove": Route(method="post", kwargs=lambda c: {"day": "2027-01-01"}, default=403, expect={"hr": R}),
    "schedule_edit": Route(default=403, expect={"hr": 200}),
    "calendar_year_confirm": Route(method="post", data=lambda c: {"year": "2027"}, default=403, expect={"hr": R}),
    "nightly_runs": Route(default=403, expect={"hr": 200, "manager": 200}),
    "audit_list": Route(default=403, expect={"hr": 200, "manager": 200}),
    "notification_list": Route(default=200, expect={}),
    "notification_read": Route(method="post", kwargs=lambda c: {"pk": notification_for(c.employee).pk},
                               default=404, expect={"employee": R}),
    "notification_read_all": Route(method="post", default=R, expect={}),
    # approvals that never get stuck: deputies (代理审批人) and who decides at the top
    "deputy_list": Route(default=403, expect={"supervisor": 200, "other_supervisor": 200, "manager": 200, "hr": 200}),
    # the one away and HR cancel; the deputy sees it but may not; anyone else: as if it did not exist
    "deputy_cancel": Route(method="post", kwargs=deputy_for, default=404,
                           expect={"supervisor": R, "hr": R, "other_supervisor": 403}),
    "approval_settings": Route(default=403, expect={"hr": 200}),
    # reminders: everyone chooses their own; HR sets the defaults
    "reminder_choices": Route(default=200, expect={}),
    "reminder_defaults": Route(default=403, expect={"hr": 200}),
    # e-mail: everyone their own settings; the unsubscribe link needs no login (the token is the key)
    "mail_preferences": Route(default=200, expect={}),
    "mail_unsubscribe": Route(kwargs=lambda c: {"token": unsubscribe_token_for(c)}, default=200, expect={"anonymous": 200}),
    # group robots: HR only
    "chat_list": Route(default=403, expect={"hr": 200}),
    "chat_detail": Route(kwargs=lambda c: {"pk": robot_for(c).pk}, default=403, expect={"hr": 200}),
    "chat_test": Route(method="post", kwargs=lambda c: {"pk": robot_for(c, "http://127.0.0.1:9/robot/send").pk},
                       default=403, expect={"hr": R}),
    # the outbox (waiting and failed messages): HR reads it and sends a failed message again
    "outbox_list": Route(default=403, expect={"hr": 200}),
    "outbox_retry": Route(method="post", kwargs=lambda c: {"pk": failed_outbox_message().pk}, default=403, expect={"hr": R}),
}


def failed_outbox_message():
    from opsdept.models import OutboxMessage

    return OutboxMessage.objects.create(kind=OutboxMessage.Kind.MAIL, payload={"notification": 0, "address": "x@example.com"},
                                        status=OutboxMessage.Status.FAILED, attempts=6, last_error="SMTPServerDisconnected")


def test_every_project_route_is_in_the_matrix():
    assert_covers(None, MATRIX)


@pytest.mark.parametrize("name,role", cases(MATRIX))
def test_role_gets_expected_status(client, cast, name, role):
    route = MATRIX[name]
    response = request_route(client, cast, None, name, route, role)
    assert response.status_code == route.status_for(role), (name, role)
