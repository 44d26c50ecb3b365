import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Indexes that only cost writes go: each foreign key's own index where a unique constraint
    of its table starts with it, and the second index PostgreSQL gives a text field declared with
    db_index=True, for LIKE (tests/reliability/test_indexes.py)."""

    dependencies = [
        ('delivery', '0003_reminder_run'),
    ]

    operations = [
        migrations.AlterField(
            model_name='actionsource',
            name='action',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='sources', to='delivery.planaction'),
        ),
        migrations.AlterField(
            model_name='planaction',
            name='plan',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='delivery.deliveryplan'),
        ),
        migrations.AlterField(
            model_name='progressupdate',
            name='action',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='updates', to='delivery.planaction'),
        ),
        migrations.AlterField(
            model_name='section',
            name='plan',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='sections', to='delivery.deliveryplan'),
        ),
    ]
