from collections import defaultdict

import django.db.models.deletion
from django.db import migrations, models

from preventhub.audits.scales import prevent_counts

COUNTS = ("prevent_done", "prevent_negative", "prevent_positive")
UPDATE_BATCH = 500


def count_answers(apps, schema_editor):
    """Each response's counts from its answers, as Response.save keeps them from now on. One
    UPDATE per distinct set of counts (a round has few), not one per response."""
    Question = apps.get_model("audits", "Question")
    Response = apps.get_model("audits", "Response")
    questions: dict[int, list] = defaultdict(list)
    for question in Question.objects.filter(prevent=True):
        questions[question.round_id].append(question)
    having: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for pk, round_id, answers in (
        Response.objects.exclude(answers={})
        .values_list("pk", "round_id", "answers")
        .iterator(chunk_size=2000)
    ):
        counts = prevent_counts(answers, questions[round_id])
        if any(counts):
            having[tuple(counts)].append(pk)
    for counts, keys in having.items():
        for start in range(0, len(keys), UPDATE_BATCH):
            Response.objects.filter(pk__in=keys[start : start + UPDATE_BATCH]).update(
                **dict(zip(COUNTS, counts, strict=True))
            )


class Migration(migrations.Migration):
    """What each response's answers count for in the Prevent figures, kept on the response; its
    round no longer has an index of its own (the unique (round, establishment) one starts with
    it)."""

    dependencies = [("audits", "0008_action_item_place_index")]

    operations = [
        migrations.AddField(
            model_name="response",
            name="prevent_done",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="response",
            name="prevent_negative",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="response",
            name="prevent_positive",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AlterField(
            model_name="response",
            name="round",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="responses",
                to="audits.auditround",
            ),
        ),
        migrations.RunPython(count_answers, migrations.RunPython.noop),
    ]
