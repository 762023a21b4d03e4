"""Flags and appeals take opsdept.DecidedRequest's shape; "who did it" becomes an Employee (1 of 3).

Renames keep the data; each User foreign key gets an Employee twin, filled in 0006.
"""

from django.conf import settings
from django.db import migrations, models

from opsdept.migration_ops import add_employee_twin


def nullable_user(verbose_name: str) -> models.ForeignKey:
    # Nullable for the move only, so that migrating backwards can re-add the column before refilling it.
    return models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=verbose_name, null=True,
                             on_delete=models.PROTECT, related_name="+")


class Migration(migrations.Migration):

    dependencies = [
        ("discipline", "0004_records_appeals_policy"),
        ("opsdept", "0002_notification"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("flag", "review_note", "decision_note"),
        migrations.RenameField("flag", "reviewed_at", "decided_at"),
        migrations.RenameField("appeal", "decision_reason", "decision_note"),
        migrations.AlterField("record", "issued_by", nullable_user("issued by")),
        migrations.AlterField("campaignmiss", "recorded_by", nullable_user("recorded by")),
        migrations.AlterField("policyversion", "published_by", nullable_user("published by")),
        add_employee_twin("flag", "decided_by"),
        add_employee_twin("appeal", "decided_by"),
        add_employee_twin("record", "issued_by"),
        add_employee_twin("campaignmiss", "recorded_by"),
        add_employee_twin("policyversion", "published_by"),
    ]
