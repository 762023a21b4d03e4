from django.db import migrations


def seed_rules(apps, schema_editor) -> None:
    """Add the rule 第五条 3 "不得私自加班" cites (unapproved-overtime); existing rules stay as they are."""
    from discipline.rules import ensure_seeded

    ensure_seeded(apps.get_model("discipline", "Rule"))


class Migration(migrations.Migration):
    dependencies = [("discipline", "0007_decided_by_employee_3")]
    operations = [migrations.RunPython(seed_rules, migrations.RunPython.noop)]
