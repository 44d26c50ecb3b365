import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Indexes that only cost writes go: each foreign key's own index where a unique constraint
    of its table starts with it, and the second index PostgreSQL gives a text field declared with
    db_index=True, for LIKE (tests/reliability/test_indexes.py)."""

    dependencies = [
        ('casework', '0007_referral_force_stage_index'),
        ('partnership', '0007_indexes_covered_by_others'),
    ]

    operations = [
        migrations.AlterField(
            model_name='agendaentry',
            name='meeting',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='case_agenda', to='partnership.meeting'),
        ),
        migrations.AlterField(
            model_name='exitreview',
            name='referral',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to='casework.referral'),
        ),
        migrations.AlterField(
            model_name='matchkey',
            name='blind_key',
            field=models.CharField(max_length=64),
        ),
        migrations.AlterField(
            model_name='triagecheckresult',
            name='triage',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='checks', to='casework.triage'),
        ),
        migrations.AddIndex(
            model_name='matchkey',
            index=models.Index(fields=['blind_key'], name='casework_match_key_idx'),
        ),
    ]
