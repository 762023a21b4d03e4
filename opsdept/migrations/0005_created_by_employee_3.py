"""Who set a calendar override becomes an Employee (3 of 3: the twin takes the User key's place and name)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("opsdept", "0004_created_by_employee_2"),
    ]

    operations = [
        migrations.RemoveField("calendaroverride", "created_by"),
        migrations.RenameField("calendaroverride", "created_by_employee", "created_by"),
        migrations.AlterField("calendaroverride", "created_by", models.ForeignKey(
            "opsdept.employee", verbose_name="set by", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
        )),
    ]
