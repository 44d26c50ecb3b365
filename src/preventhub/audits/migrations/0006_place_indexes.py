import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Two indexes of a school's place fewer: the round's (the unique (round, establishment)
    index starts with it) and the LIKE index PostgreSQL had on the link's digest."""

    dependencies = [
        ("audits", "0005_delete_answer"),
        ("schools", "0005_import_run_heartbeat"),
    ]

    operations = [
        migrations.AlterField(
            model_name="roundschool",
            name="link_token_digest",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="roundschool",
            name="round",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="scope",
                to="audits.auditround",
            ),
        ),
        migrations.AddIndex(
            model_name="roundschool",
            index=models.Index(fields=["link_token_digest"], name="schools_place_link_digest"),
        ),
    ]
