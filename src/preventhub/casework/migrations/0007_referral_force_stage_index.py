import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """A referral's force is indexed with its stage: a police officer's queue (the force's
    referrals awaiting triage or routing) is found without reading ten years of closed ones."""

    dependencies = [("casework", "0006_received_on_index")]

    operations = [
        migrations.AlterField(
            model_name="referral",
            name="force",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="partnership.organisation",
            ),
        ),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(fields=["force", "stage"], name="casework_force_stage"),
        ),
    ]
