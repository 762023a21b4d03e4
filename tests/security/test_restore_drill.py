"""The backup → restore drill (the policy's 定期进行恢复测试), on the database CI uses (PostgreSQL, with
pg_dump / pg_restore) and on SQLite: a department with a few months of demo data and money decided on
appeal is backed up, the database emptied, the archive restored — the same rows in every table and
the same money, to the fen, in every record that holds an amount."""

from decimal import Decimal
import hashlib
from io import StringIO
import uuid

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models

from opsdept.backup import database_is_empty, read_manifest, row_counts

OUR_APPS = {"opsdept", "attendance", "leave", "worklog", "discipline", "meetings", "duty"}


def decimal_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every model of ours with a Decimal column: money (fines, bonuses, appeal reductions, rule ranges, duty pay)
    and the day and hour counts that turn into money."""
    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, models.DecimalField)]
        if model._meta.app_label in OUR_APPS and names:
            found.append((model, names))
    return found


def money_checksum() -> tuple[str, dict[str, Decimal]]:
    digest = hashlib.sha256()
    totals: dict[str, Decimal] = {}
    for model, names in decimal_fields():
        for row in model._default_manager.order_by("pk").values_list("pk", *names):
            digest.update(repr((model._meta.label, row[0], [str(v) for v in row[1:]])).encode())
            for name, value in zip(names, row[1:]):
                totals[f"{model._meta.label}.{name}"] = totals.get(f"{model._meta.label}.{name}", Decimal(0)) + (value or 0)
    return digest.hexdigest(), totals


def test_the_money_fields_are_found():
    labels = {f"{model._meta.label}.{name}" for model, names in decimal_fields() for name in names}
    assert {"discipline.Record.amount", "discipline.Appeal.new_amount", "duty.DutyPeriod.pay_rate"} <= labels


@pytest.mark.django_db(transaction=True)
def test_backup_restore_drill_keeps_every_row_and_every_yuan(cast, tmp_path, settings):
    from discipline import services
    from discipline.models import Appeal, Kind, Record
    from tests.discipline.factories import rule

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=StringIO())
    fine, _ = services.issue_record(cast.employee.pk, actor=cast.supervisor.user, rule_id=rule("same-day-unfinished").pk,
                                    kind=Kind.FINE, amount="50.50", evidence="未交日报", token=uuid.uuid4())
    appeal = services.file_appeal(fine.pk, actor=cast.employee.user, reason="那天在出差")
    services.decide_appeal(appeal.pk, actor=cast.manager.user, outcome=Appeal.Status.REDUCED, reason="情有可原",
                           new_amount="20.25")
    assert Record.objects.filter(amount=Decimal("20.25"), replaces=fine).exists()

    counts, (checksum, totals) = row_counts(), money_checksum()
    assert totals["discipline.Record.amount"] > 0 and totals["discipline.Appeal.new_amount"] == Decimal("20.25")
    assert sum(1 for n in counts.values() if n) > 30   # a drill over a real department, not an empty one

    call_command("backup", output_dir=tmp_path / "backups", stdout=StringIO())
    [archive] = (tmp_path / "backups").glob("opsdept-*.tar.gz")
    assert read_manifest(archive)["row_counts"] == counts

    call_command("flush", interactive=False)
    assert database_is_empty() and money_checksum()[0] != checksum

    call_command("restore", str(archive), media_root=tmp_path / "restored-media", stdout=StringIO())
    assert row_counts() == counts
    assert money_checksum() == (checksum, totals)
