from django.db import migrations, models


class Migration(migrations.Migration):
    """The data protection officer's pages read their rows through partial indexes, not by
    reading every referral: the retention list in its order (which also finds the closed cases
    past their retention date) and those on legal hold (docs/performance.md)."""

    dependencies = [
        ('casework', '0009_referral_tallies'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(condition=models.Q(('closed_on__isnull', False), ('legal_hold', True), _connector='OR'), fields=['purged_on', 'retain_until', 'reference'], name='casework_retention_order'),
        ),
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(condition=models.Q(('legal_hold', True)), fields=['purged_on'], name='casework_legal_hold'),
        ),
    ]
