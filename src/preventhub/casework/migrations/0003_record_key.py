import secrets

from django.db import migrations, models

import preventhub.core.disclosure


def give_each_referral_its_own_key(apps, schema_editor):
    # Adding the column gave every existing row the same key; each needs its own random one.
    Referral = apps.get_model("casework", "Referral")
    for pk in Referral.objects.values_list("pk", flat=True).iterator():
        Referral.objects.filter(pk=pk).update(record_key=secrets.randbelow(256))


class Migration(migrations.Migration):

    dependencies = [
        ("casework", "0002_reference_lists"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="record_key",
            field=models.PositiveSmallIntegerField(
                default=preventhub.core.disclosure.new_record_key, editable=False
            ),
        ),
        migrations.RunPython(give_each_referral_its_own_key, migrations.RunPython.noop),
    ]
