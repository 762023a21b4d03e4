"""The policy's 定期进行恢复测试: a backup restores to the same rows, table by table."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opsdept import audit
from opsdept.backup import database_is_empty, read_manifest, row_counts
from opsdept.models import Employee


@pytest.fixture
def media(tmp_path, settings) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "leave").mkdir(parents=True)
    (settings.MEDIA_ROOT / "leave" / "note.pdf").write_bytes(b"%PDF-1.4 sick note")
    return settings.MEDIA_ROOT


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_an_emptied_database_gives_the_same_rows(cast, media, tmp_path):
    audit.record(cast.hr.user, audit.Action.EMPLOYEE_UPDATED, cast.employee, note="before backup")
    before = row_counts()
    call_command("backup", output_dir=tmp_path / "backups")
    [archive] = (tmp_path / "backups").glob("opsdept-*.tar.gz")
    assert read_manifest(archive)["row_counts"] == before

    call_command("flush", interactive=False)
    (media / "leave" / "note.pdf").unlink()
    assert database_is_empty()

    call_command("restore", str(archive))
    assert row_counts() == before
    assert Employee.objects.get(pk=cast.employee.pk).name == "张员工"
    assert (media / "leave" / "note.pdf").read_bytes() == b"%PDF-1.4 sick note"


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_holds_data(cast, tmp_path):
    call_command("backup", output_dir=tmp_path)
    [archive] = tmp_path.glob("opsdept-*.tar.gz")
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))
    call_command("restore", str(archive), force=True)
    assert Employee.objects.filter(name="张员工").exists()


def test_restore_rejects_a_file_that_is_not_an_archive(tmp_path, db):
    bogus = tmp_path / "x.tar.gz"
    bogus.write_text("not an archive")
    with pytest.raises(CommandError, match="not an opsdept backup"):
        call_command("restore", str(bogus))
    with pytest.raises(CommandError, match="No such file"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))
