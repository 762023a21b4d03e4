"""Each login that reviewed, decided, issued, recorded or published becomes its employee (2 of 3)."""

from django.db import migrations

from opsdept.migration_ops import CopyUsersToEmployees


class Migration(migrations.Migration):

    dependencies = [
        ("discipline", "0005_decided_by_employee_1"),
    ]

    operations = [
        CopyUsersToEmployees("discipline", [
            ("flag", "reviewed_by", "decided_by_employee"),
            ("appeal", "decided_by", "decided_by_employee"),
            ("record", "issued_by", "issued_by_employee"),
            ("campaignmiss", "recorded_by", "recorded_by_employee"),
            ("policyversion", "published_by", "published_by_employee"),
        ]),
    ]
