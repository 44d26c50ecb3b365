from django.db import migrations, models


class Migration(migrations.Migration):
    """A reminder run keeps when its worker last reported, so a run whose worker stopped is told
    from one still sending (core.models.ReminderRun)."""

    dependencies = [
        ('returns', '0004_indexes_covered_by_others'),
    ]

    operations = [
        migrations.AddField(
            model_name='reminderrun',
            name='heartbeat_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
