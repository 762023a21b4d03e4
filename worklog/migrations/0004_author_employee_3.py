"""Who gave feedback on a task becomes an Employee (3 of 3: the twin takes the User key's place and name)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("worklog", "0003_author_employee_2"),
    ]

    operations = [
        migrations.RemoveField("taskfeedback", "author"),
        migrations.RenameField("taskfeedback", "author_employee", "author"),
        migrations.AlterField("taskfeedback", "author", models.ForeignKey(
            "opsdept.employee", verbose_name="author", on_delete=django.db.models.deletion.PROTECT, related_name="+",
        )),
    ]
