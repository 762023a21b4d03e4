"""opsdept.bulk (issue 16): plain-row INSERTs write what the ORM writes, and the `any` lookup selects what `__in` does."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext_lazy

from attendance.models import AttendanceDay, DayStatus
from discipline.models import Flag, Rule
from discipline.services import Finding, raise_flags
from opsdept import audit
from opsdept.bulk import insert_rows
from opsdept.models import AuditEvent, Employee, Notification, OutboxMessage
from opsdept.notify import Message, notify, notify_many, render_all, render_batch

NOTIFICATION_COLUMNS = ("recipient_id", "subject", "body", "url", "created_at", "read_at", "key", "texts")


def _row(obj, names):
    return tuple(getattr(obj, name) for name in names)


def test_a_plain_row_reads_back_as_the_orm_would_write_it(cast):
    now = timezone.now()
    made = Notification.objects.create(recipient=cast.employee, subject="主题", body="第一行\n第二行", url="/x",
                                       key="flag:1", texts={"en": ["Subject", "Body"]})
    Notification.objects.filter(pk=made.pk).update(created_at=now)
    ((pk,),) = insert_rows(Notification, NOTIFICATION_COLUMNS,
                           [(cast.employee.pk, "主题", "第一行\n第二行", "/x", now, None, "flag:1", {"en": ["Subject", "Body"]})])
    names = [field.attname for field in Notification._meta.concrete_fields if field.name != "id"]
    assert _row(Notification.objects.get(pk=pk), names) == _row(Notification.objects.get(pk=made.pk), names)


def test_skipped_conflicts_return_only_the_rows_inserted(cast):
    rule = Rule.objects.get(code="missing-report")
    day = date(2026, 10, 12)
    Flag.objects.create(employee=cast.employee, date=day, rule=rule, details="earlier")
    columns = ("employee_id", "date", "rule_id", "details", "source", "status", "raised_at",
               "decided_by_id", "decided_at", "decision_note", "escalated_to_id", "escalated_at")
    now = timezone.now()
    rows = [(person.pk, day, rule.pk, "now", "test", "open", now, None, None, "", None, None)
            for person in (cast.employee, cast.outsider)]
    returned = insert_rows(Flag, columns, rows, returning=("id", "employee_id"), skip_conflicts=True)
    assert [employee_id for _pk, employee_id in returned] == [cast.outsider.pk]
    assert Flag.objects.get(employee=cast.employee, date=day).details == "earlier"


def test_an_upsert_updates_the_row_it_meets(cast):
    day, now = date(2026, 10, 12), timezone.now()
    AttendanceDay.objects.create(employee=cast.employee, date=day, status=DayStatus.ABSENT)
    columns = ("employee_id", "date", "status", "punch_count", "late_minutes", "early_minutes", "leave_fraction",
               "computed_at")
    insert_rows(AttendanceDay, columns, [(cast.employee.pk, day, DayStatus.LATE, 2, 7, 0, 0, now),
                                         (cast.outsider.pk, day, DayStatus.NORMAL, 2, 0, 0, 0, now)],
                update_conflicts=(["employee_id", "date"], ["status", "punch_count", "late_minutes", "computed_at"]))
    assert AttendanceDay.objects.get(employee=cast.employee, date=day).late_minutes == 7
    assert AttendanceDay.objects.filter(date=day).count() == 2


def test_the_any_lookup_selects_what_in_does(cast):
    ids = {cast.employee.pk, cast.supervisor.pk, 10 ** 9}
    assert (sorted(Employee.objects.filter(pk__any=ids).values_list("pk", flat=True))
            == sorted(Employee.objects.filter(pk__in=ids).values_list("pk", flat=True)) == sorted(ids - {10 ** 9}))
    assert list(Employee.objects.filter(pk__any=set())) == []
    assert Employee.objects.filter(supervisor_id__any={cast.supervisor.pk}).exists()
    with CaptureQueriesContext(connection) as captured:
        list(Employee.objects.filter(pk__any=ids))
    sql = captured[0]["sql"]
    # One array parameter on PostgreSQL, whatever the number of ids; the ordinary IN elsewhere.
    assert ("= ANY(" in sql) == (connection.vendor == "postgresql")
    assert (" IN (" in sql) == (connection.vendor != "postgresql")


def test_a_batch_renders_each_text_as_notify_does(cast):
    shared = [lambda: "共享规则"]
    pairs = [(Message(gettext_lazy("Attendance notice for %(day)s: %(rule)s"), day=f"2026-10-1{n}", rule=shared[0]),
              Message(gettext_lazy("%(details)s\nYou may write an explanation by %(due)s."), details=f"第{n}条", due="2026-10-20"))
             for n in range(3)]
    assert render_batch(pairs) == [render_all(subject, body) for subject, body in pairs]
    assert render_batch(pairs)[2]["en"][0] == "Attendance notice for 2026-10-12: 共享规则"


def test_a_batch_of_notices_writes_what_notify_writes(cast):
    subject, body = Message(gettext_lazy("Please confirm your attendance for %(month)s"), month="2026-10"), "正文"
    Employee.objects.filter(pk=cast.employee.pk).update(email="zhang@example.com")
    cast.employee.refresh_from_db()
    one = notify(cast.employee, subject=subject, body=body, url="/a")
    (pk,) = notify_many([(cast.employee, subject, body, "/a")])
    names = ("recipient_id", "subject", "body", "url", "key", "texts", "read_at")
    assert _row(Notification.objects.get(pk=pk), names) == _row(one, names)
    mails = OutboxMessage.objects.filter(kind=OutboxMessage.Kind.MAIL).order_by("pk")
    assert [message.payload["notification"] for message in mails] == [one.pk, pk]
    assert {(message.status, message.payload["address"]) for message in mails} == {
        (OutboxMessage.Status.PENDING, "zhang@example.com")}


def test_raised_flags_carry_the_audit_event_the_orm_path_wrote(cast):
    day = timezone.localdate() - timedelta(days=3)
    raised = raise_flags([Finding(cast.employee.pk, day, "missing-report", "没有日报", "test")])
    assert len(raised) == 1
    flag = raised.created[0]
    event = AuditEvent.objects.get(action=audit.Action.FLAG_RAISED, target_id=str(flag.pk))
    assert event.actor_id is None and event.target_repr == str(Flag.objects.get(pk=flag.pk))
    assert event.changes == {"rule": "missing-report", "date": day.isoformat()} and event.note == "没有日报"
    assert Notification.objects.filter(recipient=cast.employee, url__endswith=f"/{flag.pk}/").exists()
    assert len(raise_flags([Finding(cast.employee.pk, day, "missing-report", "again", "test")])) == 0


def test_a_large_batch_finds_the_flags_already_raised_by_the_chunks_id_range(cast, monkeypatch):
    """Above _BY_EMPLOYEE_UP_TO people (a chunk of the worst night), the flags already raised are read by the
    chunk's id range: those inside it are not raised twice, those of other people are left alone."""
    from discipline import services

    monkeypatch.setattr(services, "_BY_EMPLOYEE_UP_TO", 1)
    day = timezone.localdate() - timedelta(days=3)
    people = sorted([cast.employee, cast.outsider, cast.clerk], key=lambda person: person.pk)
    first = raise_flags([Finding(people[0].pk, day, "missing-report", "没有日报", "test"),
                         Finding(people[2].pk, day, "missing-report", "没有日报", "test")])
    assert len(first) == 2
    again = raise_flags([Finding(person.pk, day, "missing-report", "没有日报", "test") for person in people])
    assert [flag.employee_id for flag in again.created] == [people[1].pk]      # only the one not flagged yet
    assert Flag.objects.filter(date=day, rule__code="missing-report").count() == 3
