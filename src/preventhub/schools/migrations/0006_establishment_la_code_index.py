from django.db import migrations, models


class Migration(migrations.Migration):
    """An establishment's LA code loses its index (two on PostgreSQL, one for LIKE): only a new
    audit round's default scope looks schools up by it, and every GIAS import writes through it."""

    dependencies = [("schools", "0005_import_run_heartbeat")]

    operations = [
        migrations.AlterField(
            model_name="establishment",
            name="la_code",
            field=models.CharField(max_length=3, verbose_name="LA code"),
        ),
    ]
