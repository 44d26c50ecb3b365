from django.db import migrations, models


class Migration(migrations.Migration):
    """The register's order (name, then id) gets an index: a page of a national register is read
    from it rather than by sorting every establishment on each request."""

    dependencies = [
        ("partnership", "0006_period_reopening"),
        ("schools", "0006_establishment_la_code_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="establishment",
            index=models.Index(fields=["name", "id"], name="schools_register_order"),
        ),
    ]
