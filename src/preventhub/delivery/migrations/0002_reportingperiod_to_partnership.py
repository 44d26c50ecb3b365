# The reporting calendar moves to partnership (partnership 0005): progress updates point at it
# there, and delivery forgets the model. State only: the table keeps its name and its rows.
# It runs after every other app's foreign keys to the model have moved (returns 0002).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('delivery', '0001_initial'),
        ('partnership', '0005_reportingperiod'),
        ('returns', '0002_period_in_partnership'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='progressupdate',
                    name='period',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='updates', to='partnership.reportingperiod'),
                ),
                migrations.DeleteModel(name='ReportingPeriod'),
            ],
            database_operations=[],
        ),
    ]
