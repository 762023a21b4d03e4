from django.db import migrations


def seed_rules(apps, schema_editor) -> None:
    from discipline.rules import ensure_seeded

    ensure_seeded(apps.get_model("discipline", "Rule"))


class Migration(migrations.Migration):
    dependencies = [("discipline", "0002_initial")]
    operations = [migrations.RunPython(seed_rules, migrations.RunPython.noop)]
