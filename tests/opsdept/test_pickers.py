"""The one employee picker (opsdept.pickers): the search endpoint per role, junk, and pages that do not grow with the department."""

from django.contrib.auth import get_user_model
from django.urls import reverse
import pytest

from opsdept import pickers
from opsdept.models import Department, Employee


def search(client, scope: str, text: str, field: str = "employee", **extra) -> str:
    response = client.get(reverse("employee_pick", kwargs={"scope": scope}), {"field": field, "id": f"id_{field}",
                                                                             field: text, **extra})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def small(monkeypatch):
    """The picker from 3 people on, so the cast's forms show the search box."""
    monkeypatch.setattr(pickers, "SMALL", 3)


def add_people(count: int, *, supervisor: Employee, start: int = 0) -> None:
    """`count` more active staff under `supervisor`, in two bulk inserts."""
    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"bulk{start + n}") for n in range(count)])
    department = Department.objects.get(name="客服部")
    Employee.objects.bulk_create([
        Employee(user=user, employee_no=f"B{start + n:05d}", name=f"批量{start + n}", department=department,
                 supervisor=supervisor, role=Employee.Role.STAFF, title="专员", hire_date="2020-01-01",
                 work_start_date="2015-07-01") for n, user in enumerate(users)])


# ---------------------------------------------------------------- the endpoint, per role

@pytest.mark.django_db
def test_supervisor_finds_only_their_team(cast, client):
    client.force_login(cast.supervisor.user)
    assert cast.employee.employee_no in search(client, "discipline-record", "张")
    assert cast.employee.employee_no in search(client, "discipline-record", cast.employee.employee_no[:3])
    found = search(client, "discipline-record", "员工")
    assert "张员工" in found and "孙员工" not in found  # 孙员工 is another supervisor's
    assert "孙员工" not in search(client, "discipline-record", cast.outsider.employee_no)
    assert "李主管" not in search(client, "discipline-record", "李主管")  # not oneself


@pytest.mark.django_db
def test_manager_finds_everyone_but_themself(cast, client):
    client.force_login(cast.manager.user)
    found = search(client, "discipline-record", "员工")
    assert "张员工" in found and "孙员工" in found
    assert "王经理" not in search(client, "discipline-record", "王经理")


@pytest.mark.django_db
def test_staff_and_hr_may_not_search_a_team(cast, client):
    for person in (cast.employee, cast.hr, cast.clerk):
        client.force_login(person.user)
        response = client.get(reverse("employee_pick", kwargs={"scope": "discipline-record"}), {"field": "employee", "id": "x"})
        assert response.status_code == 403


@pytest.mark.django_db
def test_hr_finds_everyone_for_a_supervisor_and_a_supervisor_no_one(cast, client):
    client.force_login(cast.hr.user)
    assert "孙员工" in search(client, "people-supervisor", "孙", field="supervisor")
    client.force_login(cast.supervisor.user)
    assert "孙员工" not in search(client, "people-supervisor", "孙", field="supervisor")
    assert "张员工" not in search(client, "people-supervisor", "张", field="supervisor")


@pytest.mark.django_db
def test_the_top_approver_search_leaves_out_the_manager(cast, client):
    client.force_login(cast.hr.user)
    assert "王经理" not in search(client, "approval-top", "王", field="top_approver")
    assert "林记录" in search(client, "approval-top", "林", field="top_approver")


@pytest.mark.django_db
def test_at_most_twenty_results_and_a_hint_that_more_match(cast, client):
    add_people(25, supervisor=cast.supervisor)
    client.force_login(cast.supervisor.user)
    found = search(client, "discipline-record", "批量")
    assert found.count('data-testid="picker-result"') == pickers.MAX_RESULTS
    assert "更多" in found


@pytest.mark.django_db
@pytest.mark.parametrize("junk", ["\x00", "张\n员工", "x" * 200, "；；", "%", "_", "' OR 1=1 --", "１２", "\u2028"])
def test_junk_finds_no_one_and_never_fails(cast, client, junk):
    client.force_login(cast.manager.user)
    assert 'data-testid="picker-result"' not in search(client, "discipline-record", junk)


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"field": "a b", "id": "x"}, {"field": "<script>", "id": "x"}, {"id": "x"}, {},
                                    {"field": "employee", "id": "\x00"}, {"field": "employee", "id": "x", "pick": "\x00"}])
def test_a_bad_field_or_id_answers_nothing(cast, client, params):
    client.force_login(cast.manager.user)
    response = client.get(reverse("employee_pick", kwargs={"scope": "discipline-record"}), params)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()
    assert 'data-testid="picker-result"' not in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_scope_is_not_found(cast, client):
    client.force_login(cast.manager.user)
    assert client.get(reverse("employee_pick", kwargs={"scope": "nobody-knows"})).status_code == 404


@pytest.mark.django_db
def test_choosing_a_person_fills_the_box_and_names_them(cast, client):
    client.force_login(cast.supervisor.user)
    picked = search(client, "discipline-record", "", pick=cast.employee.employee_no)
    assert f'value="{cast.employee.employee_no}"' in picked and "已选" in picked and "张员工" in picked


@pytest.mark.django_db
def test_choosing_someone_outside_the_scope_chooses_no_one(cast, client):
    client.force_login(cast.supervisor.user)
    picked = search(client, "discipline-record", "", pick=cast.outsider.employee_no)
    assert cast.outsider.employee_no not in picked and "孙员工" not in picked


@pytest.mark.django_db
def test_choosing_several_keeps_those_already_chosen(cast, client):
    client.force_login(cast.supervisor.user)
    url = reverse("employee_pick", kwargs={"scope": "meetings-people"})
    response = client.get(url, {"field": "invitees", "id": "id_invitees", "multiple": "1",
                                "invitees": [cast.employee.employee_no], "pick": cast.outsider.employee_no})
    page = response.content.decode()
    assert page.count('class="form-check-input picker-chosen"') == 2
    assert "张员工" in page and "孙员工" in page


# ---------------------------------------------------------------- the page does not grow with the department

FORM_PAGES = [  # (route, who opens it)
    ("discipline:record_create", "manager"),
    ("discipline:campaign_miss_list", "manager"),
    ("worklog:task_create", "manager"),
    ("meetings:call", "manager"),
    ("leave:emergency_new", "manager"),
    ("employee_create", "hr"),
    ("approval_settings", "hr"),
    ("attendance:comp_time", "hr"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("route, role", FORM_PAGES)
def test_a_form_page_does_not_grow_with_the_department(cast, client, route, role):
    client.force_login(cast.by_role(role).user)
    add_people(60, supervisor=cast.manager)
    smaller = client.get(reverse(route)).content.decode()
    add_people(240, supervisor=cast.manager, start=60)
    larger = client.get(reverse(route)).content.decode()
    assert larger.count("<option") == smaller.count("<option")
    assert "批量299" not in larger
    assert abs(len(larger) - len(smaller)) < 200  # a token or a number may differ, never a row per person
    assert 'data-testid="employee-picker"' in larger


@pytest.mark.django_db
def test_a_small_team_keeps_the_plain_select(cast, client):
    client.force_login(cast.supervisor.user)
    page = client.get(reverse("discipline:record_create")).content.decode()
    assert 'data-testid="employee-picker"' not in page
    assert f'<option value="{cast.employee.employee_no}"' in page
