"""LeaveRequest inherits opsdept.DecidedRequest: only the decision note's label changes."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('leave', '0003_verbose_names'),
    ]

    operations = [
        migrations.AlterField(
            model_name='leaverequest',
            name='decision_note',
            field=models.TextField(blank=True, verbose_name='decision note'),
        ),
    ]
