import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Reminders to schools are sent by the task worker, each press of "Send reminders" kept as
    a run with what it did for each school chosen, and when its worker last reported."""

    dependencies = [
        ('audits', '0010_indexes_covered_by_others'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ReminderRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('site_url', models.CharField(max_length=200)),
                ('status', models.CharField(choices=[('queued', 'Sending'), ('sent', 'Sent'), ('failed', 'Stopped')], default='queued', max_length=10)),
                ('requested_at', models.DateTimeField(auto_now_add=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('problems', models.TextField(blank=True)),
                ('heartbeat_at', models.DateTimeField(blank=True, null=True)),
                ('places', models.JSONField(default=list)),
                ('sent', models.PositiveIntegerField(default=0)),
                ('no_address', models.JSONField(blank=True, default=list)),
                ('not_delivered', models.JSONField(blank=True, default=list)),
                ('answered', models.JSONField(blank=True, default=list)),
                ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminder_runs', to='audits.auditround')),
            ],
            options={
                'ordering': ['-requested_at', '-pk'],
                'abstract': False,
            },
        ),
    ]
