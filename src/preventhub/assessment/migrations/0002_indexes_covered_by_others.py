import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Indexes that only cost writes go: each foreign key's own index where a unique constraint
    of its table starts with it, and the second index PostgreSQL gives a text field declared with
    db_index=True, for LIKE (tests/reliability/test_indexes.py)."""

    dependencies = [
        ('assessment', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='frameworkarea',
            name='framework',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='areas', to='assessment.framework'),
        ),
        migrations.AlterField(
            model_name='ratinglevel',
            name='code',
            field=models.SlugField(db_index=False, max_length=20),
        ),
        migrations.AlterField(
            model_name='ratinglevel',
            name='framework',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='levels', to='assessment.framework'),
        ),
        migrations.AlterField(
            model_name='standard',
            name='area',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='standards', to='assessment.frameworkarea'),
        ),
        migrations.AlterField(
            model_name='standardrating',
            name='assessment',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='ratings', to='assessment.assessment'),
        ),
    ]
