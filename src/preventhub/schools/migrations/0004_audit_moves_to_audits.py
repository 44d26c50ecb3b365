"""The safeguarding audit's models move to the ``audits`` app (audits/0001_initial).

State only: their tables keep their names (``schools_auditround`` and so on) and their rows.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('schools', '0003_audit_rounds'),
    ]

    operations = [
        # The tables stay as they are, with every row: only Django's idea of
        # which app owns them changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='answer',
                    name='question',
                ),
                migrations.RemoveField(
                    model_name='answer',
                    name='response',
                ),
                migrations.RemoveField(
                    model_name='auditround',
                    name='schools',
                ),
                migrations.RemoveField(
                    model_name='roundschool',
                    name='round',
                ),
                migrations.RemoveField(
                    model_name='response',
                    name='round',
                ),
                migrations.RemoveField(
                    model_name='question',
                    name='round',
                ),
                migrations.RemoveField(
                    model_name='response',
                    name='establishment',
                ),
                migrations.RemoveField(
                    model_name='roundschool',
                    name='answered_by',
                ),
                migrations.RemoveField(
                    model_name='roundschool',
                    name='establishment',
                ),
                migrations.DeleteModel(
                    name='ActionPlanItem',
                ),
                migrations.DeleteModel(
                    name='Answer',
                ),
                migrations.DeleteModel(
                    name='AuditRound',
                ),
                migrations.DeleteModel(
                    name='Question',
                ),
                migrations.DeleteModel(
                    name='Response',
                ),
                migrations.DeleteModel(
                    name='RoundSchool',
                ),
            ],
        ),
    ]
