# Return windows point at the reporting calendar where it now lives (partnership). The table
# and the foreign key in the database are unchanged.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('returns', '0001_initial'),
        ('partnership', '0005_reportingperiod'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='returnwindow',
                    name='period',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='return_windows', to='partnership.reportingperiod'),
                ),
            ],
            database_operations=[],
        ),
    ]
