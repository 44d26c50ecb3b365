from django.db import migrations


class Migration(migrations.Migration):
    """The answers' rows go: a response holds its answers (0004 gathered them)."""

    dependencies = [
        ("audits", "0004_answers_into_responses"),
    ]

    operations = [
        migrations.DeleteModel(name="Answer"),
    ]
