from django.db import migrations


def seed_types(apps, schema_editor) -> None:
    from leave.seeds import seed_leave_types

    seed_leave_types(apps.get_model("leave", "LeaveType"))


class Migration(migrations.Migration):
    dependencies = [("leave", "0001_initial")]
    operations = [migrations.RunPython(seed_types, migrations.RunPython.noop)]
