"""The safeguarding audit's models, moved here from the ``schools`` app (schools/0004).

State only: the tables were made by schools/0003 and keep their names and their rows.
"""

import django.db.models.deletion
from django.db import migrations, models

MOVED = ["auditround", "question", "response", "answer", "roundschool", "actionplanitem"]


def _relabel(apps, schema_editor, old: str, new: str) -> None:
    # Existing content types (and the permissions that point at them) follow their models, so
    # no stale "schools" rows are left and no duplicate "audits" rows are made. A database
    # migrated from scratch has none yet: Django creates them after migrating.
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        if not content_type.objects.using(db).filter(app_label=new, model=model).exists():
            content_type.objects.using(db).filter(app_label=old, model=model).update(app_label=new)


def content_types_to_audits(apps, schema_editor) -> None:
    _relabel(apps, schema_editor, "schools", "audits")


def content_types_to_schools(apps, schema_editor) -> None:
    _relabel(apps, schema_editor, "audits", "schools")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('schools', '0004_audit_moves_to_audits'),
    ]

    operations = [
        # The tables stay as they are, with every row: only Django's idea of
        # which app owns them changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AuditRound',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('name', models.CharField(help_text='For example "2018".', max_length=100, unique=True)),
                        ('kind', models.CharField(choices=[('annual', 'Annual safeguarding audit'), ('focused', 'Focused survey')], default='annual', max_length=10)),
                        ('opens_on', models.DateField(verbose_name='opens')),
                        ('closes_on', models.DateField(verbose_name='closes')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        'verbose_name': 'audit round',
                        'db_table': 'schools_auditround',
                        'ordering': ['-opens_on', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='Question',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('code', models.CharField(help_text='Short and unique in the round, like "P3".', max_length=20)),
                        ('section', models.CharField(max_length=100)),
                        ('text', models.TextField()),
                        ('scale', models.CharField(choices=[('yes_no', 'Yes · No'), ('yes_no_partly', 'Yes · Partly · No'), ('met_partly_not', 'Met · Partly met · Not met'), ('one_to_four', '1 · 2 · 3 · 4 (1 is best)'), ('number', 'A number'), ('text', 'Text')], max_length=20)),
                        ('prevent', models.BooleanField(default=False, verbose_name='Prevent question')),
                        ('requirement', models.BooleanField(default=False, help_text='A requirement counts towards “actioned all requirements”. Otherwise the question is an indicator.')),
                        ('required', models.BooleanField(default=True, verbose_name='answer required')),
                        ('suggested_action', models.TextField(blank=True, help_text='Offered to a school whose answer falls short.')),
                        ('position', models.PositiveIntegerField(default=0)),
                        ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='questions', to='audits.auditround')),
                    ],
                    options={
                        'db_table': 'schools_question',
                        'ordering': ['round', 'position', 'code'],
                    },
                ),
                migrations.CreateModel(
                    name='Response',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('draft', 'In progress'), ('submitted', 'Submitted')], default='draft', max_length=10)),
                        ('source', models.CharField(choices=[('online', 'Online'), ('imported', 'Imported from the survey tool')], default='online', max_length=10)),
                        ('submitted_on', models.DateField(blank=True, null=True)),
                        ('headteacher', models.CharField(blank=True, max_length=200, verbose_name="headteacher's name")),
                        ('governor', models.CharField(blank=True, max_length=200, verbose_name="governor's name")),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('establishment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='audit_responses', to='schools.establishment')),
                        ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='responses', to='audits.auditround')),
                    ],
                    options={
                        'db_table': 'schools_response',
                        'ordering': ['round', 'establishment__name'],
                    },
                ),
                migrations.CreateModel(
                    name='Answer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('value', models.TextField(blank=True)),
                        ('outcome', models.CharField(blank=True, choices=[('positive', 'Positive'), ('partial', 'Partial'), ('negative', 'Negative'), ('', 'No outcome')], max_length=10)),
                        ('question', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='audits.question')),
                        ('response', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='audits.response')),
                    ],
                    options={
                        'db_table': 'schools_answer',
                    },
                ),
                migrations.CreateModel(
                    name='RoundSchool',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('link_token_digest', models.CharField(blank=True, db_index=True, max_length=64)),
                        ('link_issued_at', models.DateTimeField(blank=True, null=True)),
                        ('link_expires_on', models.DateField(blank=True, null=True)),
                        ('link_revoked_at', models.DateTimeField(blank=True, null=True)),
                        ('reminded_at', models.DateTimeField(blank=True, null=True)),
                        ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='answering_for', to='audits.response')),
                        ('establishment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='round_places', to='schools.establishment')),
                        ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scope', to='audits.auditround')),
                    ],
                    options={
                        'db_table': 'schools_roundschool',
                        'ordering': ['round', 'establishment__name'],
                    },
                ),
                migrations.AddField(
                    model_name='auditround',
                    name='schools',
                    field=models.ManyToManyField(related_name='audit_rounds', through='audits.RoundSchool', to='schools.establishment'),
                ),
                migrations.CreateModel(
                    name='ActionPlanItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('answer', models.CharField(max_length=100)),
                        ('action', models.TextField(verbose_name='suggested action')),
                        ('due_on', models.DateField(verbose_name='due')),
                        ('status', models.CharField(choices=[('open', 'Not started'), ('in_progress', 'In progress'), ('done', 'Done')], default='open', max_length=12)),
                        ('progress', models.TextField(blank=True, verbose_name='what the school has done')),
                        ('completed_on', models.DateField(blank=True, null=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('question', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='action_items', to='audits.question')),
                        ('place', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='action_items', to='audits.roundschool')),
                    ],
                    options={
                        'verbose_name': 'action plan item',
                        'db_table': 'schools_actionplanitem',
                        'ordering': ['place', 'question__position', 'question__code'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='question',
                    constraint=models.UniqueConstraint(fields=('round', 'code'), name='schools_question_code'),
                ),
                migrations.AddConstraint(
                    model_name='response',
                    constraint=models.UniqueConstraint(fields=('round', 'establishment'), name='schools_one_response_per_round'),
                ),
                migrations.AddConstraint(
                    model_name='answer',
                    constraint=models.UniqueConstraint(fields=('response', 'question'), name='schools_one_answer'),
                ),
                migrations.AddConstraint(
                    model_name='roundschool',
                    constraint=models.UniqueConstraint(fields=('round', 'establishment'), name='schools_in_scope_once'),
                ),
                migrations.AddConstraint(
                    model_name='actionplanitem',
                    constraint=models.UniqueConstraint(fields=('place', 'question'), name='schools_one_item_per_gap'),
                ),
            ],
        ),
        migrations.RunPython(content_types_to_audits, content_types_to_schools),
    ]
