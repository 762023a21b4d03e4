"""The low-severity findings of issue 14, each with its regression test."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "٣", "１", "99999999999999999999999", "-1", "1e3", " 1"])
def test_a_strange_employee_parameter_never_answers_500(cast, client, value):
    client.force_login(cast.supervisor.user)
    response = client.get(reverse("discipline:record_create"), {"employee": value})
    assert response.status_code in (200, 404)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/leave/99999999999999999999999/", "/worklog/tasks/99999999999999999999/"])
def test_a_huge_id_in_the_path_is_a_404(cast, client, path):
    client.force_login(cast.hr.user)
    assert client.get(path).status_code == 404


def new_employee_data(cast, **changes) -> dict:
    return {"username": "xinren", "password": "Quite-Long-Pass-77", "employee_no": "N100", "name": "新人",
            "department": cast.employee.department_id, "title": "专员", "supervisor": cast.supervisor.pk,
            "role": "staff", "phone": "", "email": "", "hire_date": "2026-01-05", "work_start_date": "2020-07-01", **changes}


@pytest.mark.django_db
@pytest.mark.parametrize("changes", [{"password": "password"}, {"password": "12345678"},
                                     {"password": "xinren123"}, {"username": "<script>"}, {"username": "a b"}])
def test_hr_created_accounts_follow_the_password_and_username_rules(cast, client, changes):
    from django.contrib.auth.models import User

    client.force_login(cast.hr.user)
    response = client.post(reverse("employee_create"), new_employee_data(cast, **changes))
    assert response.status_code == 200
    assert not User.objects.filter(username=changes.get("username", "xinren")).exists()


@pytest.mark.django_db
def test_the_service_also_refuses_a_weak_password_or_a_bad_username(cast):
    from opsdept.services import PeopleError, create_employee

    for username, password in [("ok_name", "password"), ("<script>", "Quite-Long-Pass-77")]:
        with pytest.raises(PeopleError):
            create_employee(actor=cast.hr.user, username=username, password=password, employee_no="N1", name="新人",
                            department=cast.employee.department, supervisor=cast.supervisor,
                            hire_date="2026-01-05", work_start_date="2020-07-01")


@pytest.mark.django_db
def test_a_good_account_is_still_created(cast, client):
    client.force_login(cast.hr.user)
    response = client.post(reverse("employee_create"), new_employee_data(cast))
    assert response.status_code == 302


@pytest.mark.django_db
def test_seed_demo_refuses_production_and_keeps_existing_passwords(settings):
    from django.contrib.auth.models import User
    from django.core.management import CommandError, call_command
    from io import StringIO

    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()
    user = User.objects.create_user(username="wangjianguo", password="Owner-Chosen-Pass-1")
    call_command("seed_demo", "--force-demo", stdout=StringIO())
    user.refresh_from_db()
    assert user.check_password("Owner-Chosen-Pass-1")
    assert User.objects.get(username="lijing").check_password("demo1234")  # a new demo account


@pytest.mark.django_db
def test_backup_archives_are_readable_by_their_owner_only(cast, tmp_path, settings):
    import stat

    from opsdept.backup import create_backup

    settings.MEDIA_ROOT = tmp_path / "media"
    archive = create_backup(tmp_path / "backups")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "backups").stat().st_mode) & 0o077 == 0


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_to_write_into_a_live_media_folder_unless_told(cast, tmp_path, settings):
    from django.core.management import CommandError, call_command
    from io import StringIO

    from opsdept.backup import create_backup

    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "leave").mkdir(parents=True)
    (settings.MEDIA_ROOT / "leave" / "note.pdf").write_bytes(b"%PDF archived")
    archive = create_backup(tmp_path / "backups")
    (settings.MEDIA_ROOT / "leave" / "note.pdf").write_bytes(b"%PDF live and newer")
    call_command("flush", "--noinput")  # an empty database, so that only the media folder is in the way
    with pytest.raises(CommandError, match="MEDIA_ROOT"):
        call_command("restore", str(archive), stdout=StringIO())
    assert (settings.MEDIA_ROOT / "leave" / "note.pdf").read_bytes() == b"%PDF live and newer"
    elsewhere = tmp_path / "restored-media"
    call_command("restore", str(archive), "--force", "--media-root", str(elsewhere), stdout=StringIO())
    assert (elsewhere / "leave" / "note.pdf").read_bytes() == b"%PDF archived"
    assert (settings.MEDIA_ROOT / "leave" / "note.pdf").read_bytes() == b"%PDF live and newer"
