from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """The audit trail keeps the indexes its look-ups use, declared without the second index
    for LIKE that PostgreSQL gives a text field declared with db_index=True or unique=True: the
    action's, the object's (which serves a look-up by its type alone, whose own index goes) and
    the entry hash's uniqueness, as a constraint. On PostgreSQL, 11 indexes become 7."""

    dependencies = [
        ('core', '0003_audit_actions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('create', 'Created'), ('update', 'Changed'), ('delete', 'Deleted'), ('read', 'Read'), ('export', 'Exported'), ('sign_in', 'Signed in'), ('sign_in_failed', 'Sign-in failed'), ('locked_out', 'Locked out'), ('sign_out', 'Signed out'), ('role_change', 'Roles changed'), ('two_factor', 'Two-factor authentication')], max_length=20),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='entry_hash',
            field=models.CharField(editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='object_type',
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['action'], name='core_audit_action_idx'),
        ),
        migrations.AddConstraint(
            model_name='auditevent',
            constraint=models.UniqueConstraint(fields=('entry_hash',), name='core_audit_hash_once'),
        ),
    ]
