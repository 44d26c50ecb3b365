import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Indexes that only cost writes go: each foreign key's own index where a unique constraint
    of its table starts with it, and the second index PostgreSQL gives a text field declared with
    db_index=True, for LIKE (tests/reliability/test_indexes.py)."""

    dependencies = [
        ('partnership', '0007_indexes_covered_by_others'),
        ('training', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='productversion',
            name='product',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='versions', to='training.trainingproduct'),
        ),
        migrations.AlterField(
            model_name='rolegroup',
            name='sector',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='training_role_groups', to='partnership.sector'),
        ),
        migrations.AlterField(
            model_name='sessionattendance',
            name='session',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='attendance', to='training.trainingsession'),
        ),
        migrations.AlterField(
            model_name='workforcefigure',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='workforce', to='partnership.organisation'),
        ),
    ]
