"""Hostile text: script, attribute-breaking, template and javascript: payloads written into every free-text
column of every model of ours (the list is generated from the models, so a chapter added later is covered by
itself), then every page of every permission matrix opened as every role — the payload is shown, and always
escaped. The same text in notifications, both parts of the e-mail, the WeCom / DingTalk robots' JSON and the
month export (CSV and XLSX, formula prefixes = + - @ ＝ ＋ － ＠ tab and CR neutralised)."""

import csv
from io import BytesIO, StringIO
import json
import re

import pytest
from django.apps import apps
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Cast, Concat

from tests.security.pages import matrices, try_url_of

OUR_APPS = {"opsdept", "attendance", "leave", "worklog", "discipline", "meetings", "duty"}
ROLES = ["employee", "supervisor", "other_supervisor", "outsider", "hr", "manager", "clerk"]

# The chapters whose pages must show the payload (escaped) to these roles: proof the test looked at each.
EVERY_CHAPTER = {role: {"opsdept", "attendance", "leave", "worklog", "discipline", "meetings", "duty"}
                 for role in ("supervisor", "hr", "manager")}
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{7*7}}"
JS_URL = "javascript:alert(1)"
LONG = f"{SCRIPT}{IMG}{TEMPLATE} {JS_URL}"
# What must never reach a page unescaped (the payloads' active parts).
RAW = ["<script>alert(1)", "<img src=x", '"><img', "<b id=xss>"]
JS_HREF = re.compile(r"""(href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)

# Columns whose value the code reads as a key, an address or a number, never text a person typed and sees.
NOT_FREE_TEXT = {
    "opsdept.AuditEvent": {"action", "target_id"},
    "opsdept.NightlyRun": {"trigger", "holder"},
    "opsdept.AlertSent": {"key"}, "opsdept.SentReminder": {"key", "kind"},
    "opsdept.Notification": {"url", "key"},
    "opsdept.ReminderDefault": {"kind"}, "opsdept.ReminderPreference": {"kind"},
    "opsdept.ChatWebhook": {"url", "secret"}, "opsdept.WebhookDelivery": {"event"},
    "opsdept.Employee": {"employee_no", "email"},
    "attendance.AttendanceSettings": {"office_networks"},
    "attendance.CompTimeEntry": {"source_key"},
    "leave.LeaveType": {"code", "name_en"},
    "leave.LeaveAttachment": {"content_type"},
    "discipline.Rule": {"code", "clause"},
    "discipline.Flag": {"source"},
    "discipline.FlagExplanation": {"content_type"},
    "discipline.PolicyVersion": {"text_sha256", "label"},
    "meetings.CalendarFeed": {"token"},
}


def payload_for(field: models.Field) -> str:
    room = field.max_length or 10_000
    for candidate in (LONG, IMG, SCRIPT, "<b id=xss>"):
        if len(candidate) + (8 if field.unique else 0) <= room:
            return candidate
    raise AssertionError(f"{field} is too short for any payload")


def free_text_fields() -> list[tuple[type[models.Model], models.Field]]:
    found = []
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        skip = NOT_FREE_TEXT.get(model._meta.label, set())
        for field in model._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField)) and not field.choices and field.name not in skip:
                found.append((model, field))
    return found


def poison_everything() -> int:
    """Write a payload into every free-text column of every row; return how many columns."""
    for model, field in free_text_fields():
        text = payload_for(field)
        value = Concat(Value(text), Cast(F("pk"), models.CharField())) if field.unique else Value(text)
        model._default_manager.update(**{field.name: value})
    return len(free_text_fields())


def test_the_generated_list_covers_every_chapters_free_text():
    columns = {f"{model._meta.label}.{field.name}" for model, field in free_text_fields()}
    expected = {
        "leave.LeaveRequest.reason", "leave.LeaveRequest.decision_note", "leave.LeaveType.name", "leave.BusinessTrip.destination",
        "worklog.Task.title", "worklog.Task.detail", "worklog.TaskFeedback.reason", "worklog.DailyReport.done",
        "worklog.DailyReport.comment", "discipline.Appeal.reason", "discipline.FlagExplanation.text",
        "discipline.Rule.title", "discipline.Record.evidence", "attendance.Correction.reason", "attendance.Overtime.reason",
        "attendance.DayDispute.reason", "meetings.Meeting.title", "meetings.Minutes.topics", "meetings.Minutes.decisions",
        "meetings.MemberReport.problems", "meetings.ActionItem.title", "meetings.MeetingAttendance.explanation",
        "duty.DutyLog.incidents", "duty.DutySwap.reason", "duty.DutyPeriod.name",
        "opsdept.Employee.name", "opsdept.Employee.title", "opsdept.Department.name",
        "opsdept.Notification.subject", "opsdept.Notification.body", "opsdept.WebhookDelivery.text",
    }
    assert expected <= columns, sorted(expected - columns)


def unescaped(html: str) -> list[str]:
    found = [raw for raw in RAW if raw in html]
    found += [match.group(0) for match in JS_HREF.finditer(html)]
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_page_shows_hostile_text_escaped(client, cast, role):
    from opsdept.notify import Verbatim, notify

    for person in (cast.employee, cast.supervisor, cast.hr, cast.manager):
        notify(person, subject=Verbatim("占位"), body="占位", url="/")
    pages = sorted({(url, namespace or "opsdept") for url, namespace in (
        (try_url_of(cast, namespace, name, route), namespace) for namespace, name, route in matrices()
        if route.method == "get") if url})
    assert poison_everything() > 60
    client.force_login(cast.by_role(role).user)
    failures, shown, opened, chapters = [], 0, 0, set()
    for path, chapter in pages:
        response = client.get(path)
        if response.status_code >= 500:
            failures.append((path, response.status_code))
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        opened += 1
        html = response.content.decode()
        if bad := unescaped(html):
            failures.append((path, bad))
        if "&lt;script&gt;alert(1)" in html or "&quot;&gt;&lt;img src=x" in html or "&lt;b id=xss&gt;" in html:
            shown += 1
            chapters.add(chapter)
    assert not failures, failures
    assert opened > 10 and shown > opened // 3, (opened, shown)   # the payloads were really on the pages
    assert chapters >= EVERY_CHAPTER.get(role, {"opsdept"}), chapters


# ---------------------------------------------------------------- notifications and e-mail

@pytest.mark.django_db
def test_a_hostile_request_reaches_notification_and_both_mail_parts_safely(client, cast, mailoutbox,
                                                                            django_capture_on_commit_callbacks):
    from datetime import date

    from opsdept.models import Notification
    from tests.leave.helpers import file_leave, local_time

    cast.employee.name = IMG[:50]
    cast.employee.save(update_fields=["name"])
    cast.supervisor.email = "supervisor@example.com"
    cast.supervisor.save(update_fields=["email"])
    with local_time(2026, 11, 27), django_capture_on_commit_callbacks(execute=True):
        file_leave(cast.employee, date(2026, 12, 1), reason=LONG)
    notice = Notification.objects.get(recipient=cast.supervisor)
    assert IMG in notice.subject and LONG in notice.body                 # stored as typed, escaped when shown
    client.force_login(cast.supervisor.user)
    html = client.get("/notifications/").content.decode()
    assert not unescaped(html) and "&lt;script&gt;alert(1)" in html

    [mail] = mailoutbox
    assert "\n" not in mail.subject and IMG in mail.subject
    assert LONG in mail.body and "&lt;" not in mail.body                 # plain text: the words as typed
    [(html_part, kind)] = mail.alternatives
    assert kind == "text/html" and not unescaped(html_part) and "&lt;script&gt;alert(1)&lt;/script&gt;" in html_part


# ---------------------------------------------------------------- group robots

@pytest.mark.django_db
@pytest.mark.parametrize("vendor", ["wecom", "dingtalk"])
def test_robot_payloads_are_plain_text_json(cast, vendor, monkeypatch):
    from opsdept import chat
    from opsdept.models import ChatWebhook

    sent = []

    class Answer:
        status_code = 200

        def json(self):
            return {"errcode": 0, "errmsg": "ok"}

    def post(url, *, json=None, timeout=None):  # noqa: A002 - httpx's own keyword
        sent.append(json)
        return Answer()

    monkeypatch.setattr(chat.httpx, "post", post)
    url = {"wecom": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
           "dingtalk": "https://oapi.dingtalk.com/robot/send?access_token=t"}[vendor]
    webhook = ChatWebhook.objects.create(name=SCRIPT, vendor=vendor, url=url, secret="SECabc" if vendor == "dingtalk" else "",
                                         events=["x"], created_by=cast.hr)
    text = f'{LONG}\n", "msgtype": "markdown'
    chat.send_now(webhook, text)
    [payload] = sent
    # The text travels as JSON-encoded plain text (never markdown or HTML the client would render), unchanged.
    assert payload == {"msgtype": "text", "text": {"content": text}}
    encoded = json.dumps(payload, ensure_ascii=False)
    assert json.loads(encoded) == payload and encoded.count('"msgtype"') == 1


# ---------------------------------------------------------------- exports

DANGEROUS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "＝1+1", "＋1", "－1", "＠SUM(A1)"]


def inert(value) -> bool:
    from attendance.export import DANGEROUS_PREFIXES

    return not (isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES))


@pytest.mark.django_db
def test_month_export_neutralises_formulas_and_keeps_hostile_text_as_text(cast):
    from datetime import date

    from openpyxl import load_workbook

    from attendance import export
    from opsdept.models import Department, Employee

    people = list(Employee.objects.order_by("pk"))
    for person, prefix in zip(people, DANGEROUS):
        Employee.objects.filter(pk=person.pk).update(name=prefix + "张", title=prefix + SCRIPT[:20])
    Department.objects.filter(pk=cast.employee.department_id).update(name="＝HYPERLINK(\"http://x\")")
    today = date.today()
    data = export.build(today.year, today.month)

    rows = list(csv.reader(StringIO(export.to_csv(data).decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert any("张" in cell for cell in cells)
    assert all(inert(cell) for cell in cells), [cell for cell in cells if not inert(cell)]

    book = load_workbook(BytesIO(export.to_xlsx(data)))
    values = [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert any(isinstance(v, str) and "张" in v for v in values)
    assert all(inert(v) for v in values), [v for v in values if not inert(v)]
    formulas = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert not formulas


# ---------------------------------------------------------------- the iCalendar feed

@pytest.mark.django_db
def test_the_calendar_feed_keeps_a_hostile_title_inside_its_own_line(cast, client, monkeypatch):
    from datetime import date
    from zoneinfo import ZoneInfo

    from django.urls import reverse
    from django.utils import timezone

    from meetings import services
    from meetings.models import Meeting
    from tests.meetings.conftest import MONDAY, at

    now = {"moment": at(9, 0, day=date(2026, 11, 16))}
    monkeypatch.setattr(timezone, "now", lambda: now["moment"].astimezone(ZoneInfo("UTC")))
    services.plan_weekly_meetings(MONDAY, weeks=1)
    now["moment"] = at(9, 0)
    Meeting.objects.filter(week_of=MONDAY).update(title="周会\r\nEND:VEVENT\r\nBEGIN:VEVENT\nSUMMARY:伪造;A,B\\" + SCRIPT)
    feed = services.feed_for(cast.employee)
    body = client.get(reverse("meetings:ics", kwargs={"token": feed.token})).content.decode()
    lines = body.split("\r\n")[:-1]
    assert "SUMMARY:伪造" not in lines and lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") >= 1
    # every line is a property of ours or the folded rest of one: nothing injected
    assert all(re.match(r"^( |[A-Z-]+[:;])", line) for line in lines), [line for line in lines if not re.match(r"^( |[A-Z-]+[:;])", line)]
    assert "\n" not in body.replace("\r\n", "")
