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
            "department": cast.employee.department_id, "title": "专员", "supervisor": cast.supervisor.employee_no,
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


@pytest.mark.parametrize("env,needle", [
    ({"SECRET_KEY": "short-key"}, "SECRET_KEY"),
    ({"SECRET_KEY": "a" * 60}, "SECRET_KEY"),
    ({"SECRET_KEY": "django-insecure-" + "x1y2z3w4v5" * 5}, "SECRET_KEY"),
    ({"DEBUG": "true"}, "DEBUG"),
])
def test_a_weak_secret_key_or_debug_in_production_is_an_error(tmp_path, env, needle):
    import subprocess
    import sys

    from tests.security.test_deploy import ROOT, production_env

    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=production_env(tmp_path, **env),
                            capture_output=True, text=True)
    assert result.returncode != 0 and needle in result.stderr and "ImproperlyConfigured" in result.stderr


@pytest.mark.django_db
def test_one_request_may_not_carry_too_many_files_or_bytes(cast, client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from leave.models import LeaveRequest

    client.force_login(cast.employee.user)
    files = [SimpleUploadedFile(f"n{i}.pdf", b"%PDF-1.4 x", content_type="application/pdf") for i in range(11)]
    response = client.post(reverse("leave:request_new"), {"attachment": files})
    assert response.status_code == 400  # DATA_UPLOAD_MAX_NUMBER_FILES
    files = [SimpleUploadedFile(f"n{i}.pdf", b"%PDF-1.4 x", content_type="application/pdf") for i in range(6)]
    response = client.post(reverse("leave:request_new"), {"attachment": files, "reason": "病"})
    assert response.status_code == 200 and "最多附加 5 个文件" in response.content.decode()
    settings.MAX_REQUEST_BYTES = 1024
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4 " + b"x" * 4096, content_type="application/pdf")
    assert client.post(reverse("leave:request_new"), {"attachment": [big]}).status_code == 413
    assert not LeaveRequest.objects.exists()


@pytest.mark.django_db
def test_one_address_spraying_a_password_over_every_login_is_locked_out(cast, settings):
    from django.test import Client

    client = Client(REMOTE_ADDR="10.9.9.9")
    users = ["employee", "supervisor", "other_supervisor", "outsider", "hr", "manager", "clerk"]
    statuses = [client.post(reverse("login"), {"username": users[n % len(users)], "password": "Spring2026!"}).status_code
                for n in range(settings.AXES_IP_FAILURE_LIMIT)]
    assert statuses[-1] == 429 and 429 not in statuses[:-1]
    # Even the right password of a user not tried that often is refused from that address now.
    assert client.post(reverse("login"), {"username": "employee", "password": "pass-word-1"}).status_code == 429
    assert Client(REMOTE_ADDR="10.9.9.10").post(
        reverse("login"), {"username": "employee", "password": "pass-word-1"}).status_code == 302


@pytest.mark.django_db
def test_the_managers_own_appeal_is_decided_by_hr_not_by_the_manager(cast, client):
    from discipline import services
    from discipline.models import Appeal
    from opsdept.models import Notification
    from tests.discipline.factories import RecordFactory

    record = RecordFactory(employee=cast.manager, issued_by=cast.hr)
    appeal = services.file_appeal(record.pk, actor=cast.manager.user, reason="不服")
    assert Notification.objects.filter(recipient=cast.hr).exists()
    client.force_login(cast.manager.user)
    response = client.post(reverse("discipline:appeal_decide", args=[appeal.pk]), {"outcome": "revoked", "reason": "自己"})
    assert Appeal.objects.get(pk=appeal.pk).status == Appeal.Status.PENDING
    client.force_login(cast.hr.user)
    client.post(reverse("discipline:appeal_decide", args=[appeal.pk]), {"outcome": "upheld", "reason": "维持"})
    assert Appeal.objects.get(pk=appeal.pk).status == Appeal.Status.UPHELD
    # HR still decides nobody else's appeal.
    other = services.file_appeal(RecordFactory(employee=cast.employee, issued_by=cast.supervisor).pk,
                                 actor=cast.employee.user, reason="不服")
    assert client.post(reverse("discipline:appeal_decide", args=[other.pk]),
                       {"outcome": "revoked", "reason": "x"}).status_code == 403
