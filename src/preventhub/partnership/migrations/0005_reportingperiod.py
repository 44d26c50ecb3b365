# The reporting calendar moves here from delivery. Only Django's idea of where the model lives
# changes: the table (delivery_reportingperiod) and its rows stay where they are.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partnership', '0004_membership_default_localdate'),
        ('delivery', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ReportingPeriod',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(help_text='For example "2018/19 Q3".', max_length=20, unique=True)),
                        ('starts_on', models.DateField()),
                        ('ends_on', models.DateField()),
                        ('updates_due_on', models.DateField(help_text='Updates after this day are marked late.')),
                        ('status', models.CharField(choices=[('planned', 'Not open yet'), ('open', 'Open for updates'), ('closed', 'Closed')], default='planned', max_length=8)),
                        ('closed_at', models.DateTimeField(blank=True, null=True)),
                        ('board_meeting', models.ForeignKey(blank=True, help_text="The Board meeting this quarter's report goes to.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reporting_periods', to='partnership.meeting')),
                    ],
                    options={
                        'db_table': 'delivery_reportingperiod',
                        'ordering': ['-starts_on'],
                        'constraints': [
                            models.UniqueConstraint(condition=models.Q(('status', 'open')), fields=('status',), name='delivery_one_open_period'),
                            models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='delivery_period_in_order'),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
