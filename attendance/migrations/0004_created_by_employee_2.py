"""Who recorded a punch becomes an Employee (2 of 3: each login becomes its employee)."""

from django.db import migrations

from opsdept.migration_ops import CopyUsersToEmployees


class Migration(migrations.Migration):

    dependencies = [
        ("attendance", "0003_created_by_employee_1"),
    ]

    operations = [
        CopyUsersToEmployees("attendance", [("punch", "created_by", "created_by_employee")]),
    ]
