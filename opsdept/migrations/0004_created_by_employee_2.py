"""Who set a calendar override becomes an Employee (2 of 3: each login becomes its employee)."""

from django.db import migrations

from opsdept.migration_ops import CopyUsersToEmployees


class Migration(migrations.Migration):

    dependencies = [
        ("opsdept", "0003_created_by_employee_1"),
    ]

    operations = [
        CopyUsersToEmployees("opsdept", [("calendaroverride", "created_by", "created_by_employee")]),
    ]
