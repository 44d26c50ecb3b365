import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """An action plan item's place loses its own index: the unique (place, question) index
    starts with it."""

    dependencies = [("audits", "0007_place_answered_in_place")]

    operations = [
        migrations.AlterField(
            model_name="actionplanitem",
            name="place",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="action_items",
                to="audits.roundschool",
            ),
        ),
    ]
