import django.db.models.deletion
from django.db import migrations, models

# Half of each page of places left free on PostgreSQL, so that setting who answers for each
# school can write the new version of its row in the same page, touching no index.
FILLFACTOR = 50


def _table_storage(apps, schema_editor, setting: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(apps.get_model("audits", "RoundSchool")._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} {setting}")


def leave_room(apps, schema_editor):
    _table_storage(apps, schema_editor, f"SET (fillfactor = {FILLFACTOR})")


def fill_pages(apps, schema_editor):
    _table_storage(apps, schema_editor, "RESET (fillfactor)")


class Migration(migrations.Migration):
    """Who answers for a school is set in place: its index is dropped (nothing reads places by
    their response) and, on PostgreSQL, the places' pages are left half empty."""

    dependencies = [("audits", "0006_place_indexes")]

    operations = [
        migrations.AlterField(
            model_name="roundschool",
            name="answered_by",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="answering_for",
                to="audits.response",
            ),
        ),
        migrations.RunPython(leave_room, fill_pages),
    ]
