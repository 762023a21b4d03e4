"""Who set a calendar override becomes an Employee, not a login (1 of 3: an Employee twin beside the User key)."""

from django.conf import settings
from django.db import migrations

from opsdept.migration_ops import add_employee_twin


class Migration(migrations.Migration):

    dependencies = [
        ("opsdept", "0002_notification"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        add_employee_twin("calendaroverride", "created_by"),
    ]
