"""Who gave feedback on a task becomes an Employee, not a login (1 of 3: an Employee twin beside the User key)."""

from django.conf import settings
from django.db import migrations, models

from opsdept.migration_ops import add_employee_twin


class Migration(migrations.Migration):

    dependencies = [
        ("worklog", "0001_initial"),
        ("opsdept", "0002_notification"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Nullable for the move only, so that migrating backwards can re-add the column before refilling it.
        migrations.AlterField("taskfeedback", "author", models.ForeignKey(
            settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")),
        add_employee_twin("taskfeedback", "author"),
    ]
