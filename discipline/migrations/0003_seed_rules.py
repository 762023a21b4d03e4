from django.db import migrations


def seed_rules(apps, schema_editor) -> None:
    from discipline.rules import RULE_TITLES, SEED_RULES

    Rule = apps.get_model("discipline", "Rule")
    for code, number, category, clause, kinds, low, high in SEED_RULES:
        Rule.objects.get_or_create(
            code=code,
            defaults={
                "number": number, "category": category, "clause": clause, "allowed_kinds": kinds,
                "min_amount": low, "max_amount": high, "title": str(RULE_TITLES[code]),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("discipline", "0002_initial")]
    operations = [migrations.RunPython(seed_rules, migrations.RunPython.noop)]
