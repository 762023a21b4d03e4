"""Corrections and overtime share opsdept.DecidedRequest: the decision note has one name everywhere."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("attendance", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("correction", "comment", "decision_note"),
        migrations.RenameField("overtime", "comment", "decision_note"),
        migrations.AlterField("correction", "decision_note", models.TextField(blank=True, verbose_name="decision note")),
        migrations.AlterField("overtime", "decision_note", models.TextField(blank=True, verbose_name="decision note")),
    ]
