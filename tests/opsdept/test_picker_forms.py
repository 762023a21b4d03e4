"""Each form converted to the employee picker saves with a valid choice and refuses a bad one, clearly, writing nothing."""

from datetime import timedelta
import uuid

from django.urls import reverse
from django.utils import timezone
import pytest

from discipline.models import CampaignMiss, Record, Rule
from meetings.models import Meeting
from opsdept import pickers, workcalendar
from opsdept.models import ApprovalSettings, Deputy, Employee
from worklog.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[False, True], ids=["plain select", "search box"])
def picker_mode(request, monkeypatch):
    """Each form both ways: the plain select of a small team, and the search box (from 2 people on)."""
    if request.param:
        monkeypatch.setattr(pickers, "SMALL", 1)
    return request.param


def errors_of(response, field: str) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(str(error) for error in response.context["form"].errors.get(field, []))


def record_data(who: str) -> dict:
    rule = Rule.objects.filter(code="same-day-unfinished").get()
    return {"employee": who, "rule": rule.pk, "kind": "fine", "amount": "50", "evidence": "未反馈", "token": str(uuid.uuid4())}


# ---------------------------------------------------------------- reward or penalty (the supervisor's team)

def test_a_record_by_employee_number_or_name_is_issued(client, cast, picker_mode):
    client.force_login(cast.supervisor.user)
    page = client.get(reverse("discipline:record_create")).content.decode()
    assert ('data-testid="employee-picker"' in page) == picker_mode
    assert client.post(reverse("discipline:record_create"), record_data(cast.employee.employee_no)).status_code == 302
    assert client.post(reverse("discipline:record_create"), record_data("张员工")).status_code == 302
    assert list(Record.objects.values_list("employee_id", flat=True)) == [cast.employee.pk] * 2


@pytest.mark.parametrize("who, message", [
    ("E99999", "没有工号或姓名为“E99999”的员工"),
    ("孙员工", "不在此处可选的人员范围内"),          # another supervisor's
    ("李主管", "不能奖惩自己"),
    ("E\x000", "没有工号或姓名为"),
    ("１２", "没有工号或姓名为"),
])
def test_a_record_for_a_bad_choice_says_why_and_writes_nothing(client, cast, picker_mode, who, message):
    client.force_login(cast.supervisor.user)
    response = client.post(reverse("discipline:record_create"), record_data(who))
    assert message in errors_of(response, "employee")
    assert not Record.objects.exists()


def test_a_record_form_keeps_a_typed_number_after_an_error(client, cast, monkeypatch):
    monkeypatch.setattr(pickers, "SMALL", 1)
    client.force_login(cast.supervisor.user)
    response = client.post(reverse("discipline:record_create"), {**record_data(cast.employee.employee_no), "amount": "abc"})
    page = response.content.decode()
    assert f'value="{cast.employee.employee_no}"' in page and "已选：张员工" in page


def test_two_people_of_the_same_name_need_the_number(client, cast):
    Employee.objects.filter(pk=cast.clerk.pk).update(name="张员工")
    client.force_login(cast.supervisor.user)
    assert "请输入工号" in errors_of(client.post(reverse("discipline:record_create"), record_data("张员工")), "employee")
    assert client.post(reverse("discipline:record_create"), record_data(cast.clerk.employee_no)).status_code == 302


# ---------------------------------------------------------------- campaign miss, task, emergency leave

def test_a_campaign_miss_for_the_team_is_recorded_and_for_oneself_refused(client, cast, picker_mode):
    client.force_login(cast.supervisor.user)
    data = {"campaign": "双十一", "date": (timezone.localdate() - timedelta(days=1)).isoformat(), "note": ""}
    assert "不能为自己登记" in errors_of(client.post(reverse("discipline:campaign_miss_list"),
                                                  {**data, "employee": cast.supervisor.employee_no}), "employee")
    assert "不在此处可选" in errors_of(client.post(reverse("discipline:campaign_miss_list"),
                                                 {**data, "employee": cast.outsider.employee_no}), "employee")
    assert not CampaignMiss.objects.exists()
    assert client.post(reverse("discipline:campaign_miss_list"), {**data, "employee": cast.employee.employee_no}).status_code == 302
    assert CampaignMiss.objects.get().employee == cast.employee


def test_a_task_goes_to_a_team_member_and_not_outside(client, cast, picker_mode):
    client.force_login(cast.supervisor.user)
    data = {"title": "整理投诉记录", "detail": "", "due_date": (timezone.localdate() + timedelta(days=30)).isoformat()}
    assert "不在此处可选" in errors_of(client.post(reverse("worklog:task_create"),
                                                 {**data, "assignee": cast.outsider.employee_no}), "assignee")
    assert not Task.objects.exists()
    assert client.post(reverse("worklog:task_create"), {**data, "assignee": cast.employee.employee_no.lower()}).status_code == 302
    assert Task.objects.get().assignee == cast.employee


def test_the_task_form_opens_on_the_person_linked_from_the_team_page(client, cast):
    client.force_login(cast.supervisor.user)
    form = client.get(reverse("worklog:task_create") + f"?assignee={cast.employee.pk}").context["form"]
    assert form["assignee"].value() == cast.employee.employee_no
    form = client.get(reverse("worklog:task_create") + f"?assignee={cast.outsider.pk}").context["form"]
    assert not form["assignee"].value()


def test_emergency_leave_only_for_those_whose_leave_one_decides(client, cast, picker_mode):
    client.force_login(cast.supervisor.user)
    today = timezone.localdate().isoformat()
    response = client.post(reverse("leave:emergency_new"), {"employee": cast.outsider.employee_no, "start_date": today,
                                                            "end_date": today, "granted_via": "phone", "note": "x"})
    assert "不在此处可选" in errors_of(response, "employee")


# ---------------------------------------------------------------- several people: whom a meeting expects

def test_a_meeting_expects_the_people_checked_and_typed(client, cast, picker_mode):
    client.force_login(cast.supervisor.user)
    day = workcalendar.workday_on_or_after(timezone.localdate() + timedelta(days=7))
    data = {"title": "项目复盘", "date": day.isoformat(), "time": "10:00",
            "duration_minutes": "60", "reason": "复盘"}
    response = client.post(reverse("meetings:call"), {**data, "invitees": [cast.employee.employee_no, "E99999 孙员工"]})
    assert "E99999" in errors_of(response, "invitees")
    assert not Meeting.objects.filter(title="项目复盘").exists()
    response = client.post(reverse("meetings:call"), {**data, "invitees": [cast.employee.employee_no,
                                                                         f"{cast.outsider.employee_no}，林记录"]})
    assert response.status_code == 302
    assert set(Meeting.objects.get(title="项目复盘").invitees.all()) == {cast.employee, cast.outsider, cast.clerk}


@pytest.mark.parametrize("junk", ["\x00", "E\x0000 张员工", "、，；", "x" * 80])
def test_junk_among_the_people_expected_is_an_error_never_a_crash(client, cast, picker_mode, junk):
    client.force_login(cast.supervisor.user)
    day = workcalendar.workday_on_or_after(timezone.localdate() + timedelta(days=7))
    response = client.post(reverse("meetings:call"), {"title": "复盘", "date": day.isoformat(), "time": "10:00",
                                                      "duration_minutes": "60", "reason": "复盘", "invitees": [junk]})
    assert errors_of(response, "invitees")
    assert not Meeting.objects.filter(title="复盘").exists()


# ---------------------------------------------------------------- HR and the manager: supervisors, deputies, the top approver

def new_employee_data(cast, supervisor: str) -> dict:
    return {"username": "newbie", "password": "a-Long-pass-word-9", "employee_no": "E77777", "name": "新同事",
            "department": cast.employee.department_id, "title": "专员", "supervisor": supervisor, "role": "staff",
            "phone": "", "email": "", "hire_date": "2026-11-02", "work_start_date": "2020-07-01", "leave_date": ""}


def test_hr_creates_an_employee_under_a_supervisor_by_number(client, cast, picker_mode):
    client.force_login(cast.hr.user)
    assert "没有工号或姓名为" in errors_of(client.post(reverse("employee_create"), new_employee_data(cast, "E99999")),
                                      "supervisor")
    assert not Employee.objects.filter(employee_no="E77777").exists()
    assert client.post(reverse("employee_create"), new_employee_data(cast, cast.supervisor.employee_no)).status_code == 302
    assert Employee.objects.get(employee_no="E77777").supervisor == cast.supervisor


def test_no_one_is_their_own_supervisor(client, cast, picker_mode):
    client.force_login(cast.hr.user)
    employee = cast.employee
    data = {"employee_no": employee.employee_no, "name": employee.name, "department": employee.department_id,
            "title": employee.title, "supervisor": employee.employee_no, "role": employee.role, "phone": "", "email": "",
            "hire_date": "2020-01-01", "work_start_date": "2015-07-01", "leave_date": ""}
    response = client.post(reverse("employee_edit", args=[employee.pk]), data)
    assert "不能是自己的直属主管" in errors_of(response, "supervisor")
    employee.refresh_from_db()
    assert employee.supervisor == cast.supervisor


def test_the_top_approver_is_anyone_but_the_manager(client, cast, picker_mode):
    client.force_login(cast.hr.user)
    response = client.post(reverse("approval_settings"), {"top_approver": cast.manager.employee_no, "escalate_after_workdays": "3"})
    assert "不在此处可选" in errors_of(response, "top_approver")
    assert ApprovalSettings.current().top_approver is None
    assert client.post(reverse("approval_settings"), {"top_approver": "林记录", "escalate_after_workdays": "3"}).status_code == 302
    assert ApprovalSettings.current().top_approver == cast.clerk


def test_a_supervisor_names_a_peer_as_deputy_never_themself_or_staff(client, cast, picker_mode):
    client.force_login(cast.supervisor.user)
    start = timezone.localdate() + timedelta(days=7)
    data = {"start_date": start.isoformat(), "end_date": (start + timedelta(days=2)).isoformat(), "note": ""}
    assert "不能指定自己" in errors_of(client.post(reverse("deputy_list"), {**data, "deputy": cast.supervisor.employee_no}),
                                   "deputy")
    assert "不在此处可选" in errors_of(client.post(reverse("deputy_list"), {**data, "deputy": cast.employee.employee_no}),
                                   "deputy")
    assert not Deputy.objects.exists()
    assert client.post(reverse("deputy_list"), {**data, "deputy": cast.other_supervisor.employee_no}).status_code == 302
    assert Deputy.objects.get().deputy == cast.other_supervisor


# ---------------------------------------------------------------- whose comp-time ledger (a GET form)

def test_hr_opens_someone_s_comp_time_by_number_a_supervisor_only_their_team(client, cast, picker_mode):
    client.force_login(cast.hr.user)
    response = client.get(reverse("attendance:comp_time"), {"who": cast.outsider.employee_no})
    assert response.context["employee"] == cast.outsider
    client.force_login(cast.supervisor.user)
    response = client.get(reverse("attendance:comp_time"), {"who": cast.outsider.employee_no})
    assert response.status_code == 200 and response.context["employee"] == cast.supervisor
    assert "不在此处可选" in " ".join(response.context["chooser"].errors["who"])
    assert client.get(reverse("attendance:comp_time"), {"who": "张员工"}).context["employee"] == cast.employee


def test_staff_see_only_their_own_comp_time_and_no_chooser(client, cast):
    client.force_login(cast.employee.user)
    response = client.get(reverse("attendance:comp_time"), {"who": cast.clerk.employee_no})
    assert response.context["employee"] == cast.employee and response.context["chooser"] is None
