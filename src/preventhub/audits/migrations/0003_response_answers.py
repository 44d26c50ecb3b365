import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """A response's answers in one JSON field of its own row (docs/performance.md). The answers'
    rows give up the name ``answers`` to it, until 0005 removes them."""

    dependencies = [
        ("audits", "0002_answer_response_index_in_unique"),
    ]

    operations = [
        migrations.AlterField(
            model_name="answer",
            name="response",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="answer_rows",
                to="audits.response",
            ),
        ),
        migrations.AddField(
            model_name="response",
            name="answers",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
