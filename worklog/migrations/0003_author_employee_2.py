"""Who gave feedback on a task becomes an Employee (2 of 3: each login becomes its employee)."""

from django.db import migrations

from opsdept.migration_ops import CopyUsersToEmployees


class Migration(migrations.Migration):

    dependencies = [
        ("worklog", "0002_author_employee_1"),
    ]

    operations = [
        CopyUsersToEmployees("worklog", [("taskfeedback", "author", "author_employee")]),
    ]
