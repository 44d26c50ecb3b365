"""Each response's answer rows gathered into its ``answers`` (question id → value), and back.

The outcome is not kept: it follows from the question's scale. Going back, it is worked out again
from the scales the code knows (``scales.outcome_of``), which are the ones the rows were written
with. A saved blank ("") is kept as one, so a draft's sections read as they did.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

from preventhub.audits.scales import outcome_of

# Responses written per statement: a national round is 23,000 of them and 1.3 million answers.
BATCH = 500


def gather(apps: Any, schema_editor: Any) -> None:
    Answer = apps.get_model("audits", "Answer")
    Response = apps.get_model("audits", "Response")
    batch: list[Any] = []
    current: Any = None
    rows = (
        Answer.objects.order_by("response_id", "question_id")
        .values_list("response_id", "question_id", "value")
        .iterator(chunk_size=10_000)
    )
    for response_id, question_id, value in rows:
        if current is None or current.pk != response_id:
            current = Response(pk=response_id, answers={})
            batch.append(current)
            if len(batch) > BATCH:
                Response.objects.bulk_update(batch[:-1], ["answers"])
                batch = batch[-1:]
        current.answers[str(question_id)] = value
    Response.objects.bulk_update(batch, ["answers"])


def spread(apps: Any, schema_editor: Any) -> None:
    Answer = apps.get_model("audits", "Answer")
    Question = apps.get_model("audits", "Question")
    Response = apps.get_model("audits", "Response")
    scales = {str(pk): scale for pk, scale in Question.objects.values_list("pk", "scale")}
    rows: list[Any] = []
    for response_id, answers in Response.objects.values_list("pk", "answers").iterator():
        # A key whose question has gone has no row to go back to.
        rows.extend(
            Answer(
                response_id=response_id,
                question_id=int(key),
                value=value,
                outcome=outcome_of(scales[key], value),
            )
            for key, value in answers.items()
            if key in scales
        )
        if len(rows) >= BATCH * 60:
            Answer.objects.bulk_create(rows)
            rows = []
    Answer.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0003_response_answers"),
    ]

    operations = [migrations.RunPython(gather, spread)]
