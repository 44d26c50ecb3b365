import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Indexes that only cost writes go: each foreign key's own index where a unique constraint
    of its table starts with it, and the second index PostgreSQL gives a text field declared with
    db_index=True, for LIKE (tests/reliability/test_indexes.py)."""

    dependencies = [
        ('partnership', '0007_indexes_covered_by_others'),
        ('returns', '0003_corrections_and_reminder_runs'),
    ]

    operations = [
        migrations.AlterField(
            model_name='partnerreturn',
            name='window',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='returns', to='returns.returnwindow'),
        ),
        migrations.AlterField(
            model_name='returnwindow',
            name='period',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='return_windows', to='partnership.reportingperiod'),
        ),
    ]
