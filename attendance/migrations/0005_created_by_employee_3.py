"""Who recorded a punch becomes an Employee (3 of 3: the twin takes the User key's place and name)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("attendance", "0004_created_by_employee_2"),
    ]

    operations = [
        migrations.RemoveField("punch", "created_by"),
        migrations.RenameField("punch", "created_by_employee", "created_by"),
        migrations.AlterField("punch", "created_by", models.ForeignKey(
            "opsdept.employee", verbose_name="recorded by", null=True, blank=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
        )),
    ]
