"""The Employee twins take the User foreign keys' places and names (3 of 3)."""

import django.db.models.deletion
from django.db import migrations, models


def employee(verbose_name: str, *, null: bool) -> models.ForeignKey:
    return models.ForeignKey(
        "opsdept.employee", verbose_name=verbose_name, null=null, blank=null,
        on_delete=django.db.models.deletion.PROTECT, related_name="+",
    )


class Migration(migrations.Migration):

    dependencies = [
        ("discipline", "0006_decided_by_employee_2"),
    ]

    operations = [
        migrations.RemoveField("flag", "reviewed_by"),
        migrations.RenameField("flag", "decided_by_employee", "decided_by"),
        migrations.AlterField("flag", "decided_by", employee("decided by", null=True)),
        migrations.RemoveField("appeal", "decided_by"),
        migrations.RenameField("appeal", "decided_by_employee", "decided_by"),
        migrations.AlterField("appeal", "decided_by", employee("decided by", null=True)),
        migrations.RemoveField("record", "issued_by"),
        migrations.RenameField("record", "issued_by_employee", "issued_by"),
        migrations.AlterField("record", "issued_by", employee("issued by", null=False)),
        migrations.RemoveField("campaignmiss", "recorded_by"),
        migrations.RenameField("campaignmiss", "recorded_by_employee", "recorded_by"),
        migrations.AlterField("campaignmiss", "recorded_by", employee("recorded by", null=False)),
        migrations.RemoveField("policyversion", "published_by"),
        migrations.RenameField("policyversion", "published_by_employee", "published_by"),
        migrations.AlterField("policyversion", "published_by", employee("published by", null=False)),
        migrations.AlterField("flag", "decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided at")),
        migrations.AlterField("flag", "decision_note", models.TextField(blank=True, verbose_name="decision note")),
        migrations.AlterField("appeal", "decision_note", models.TextField(blank=True, verbose_name="decision note")),
    ]
