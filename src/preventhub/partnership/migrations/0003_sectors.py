"""The sectors of a Prevent partnership, and which are specified authorities under the 2015 Act.

Schedule 6 of the Counter-Terrorism and Security Act 2015 names local authorities, schools and
registered childcare providers, further and higher education, health bodies, prisons and young
offender institutions, probation and the police. A partnership can change these in the app.
"""

from django.db import migrations

SECTORS = [
    ("local-authority", "Local authority", True),
    ("police", "Police", True),
    ("health", "Health", True),
    ("schools", "Schools", True),
    ("early-years", "Early years and childcare", True),
    ("further-education", "Further education", True),
    ("higher-education", "Higher education", True),
    ("prisons", "Prisons", True),
    ("probation", "Probation", True),
    ("youth-justice", "Youth justice", True),
    ("third-sector", "Third sector", False),
    ("faith-community", "Faith and community", False),
    ("other", "Other", False),
]


def create_sectors(apps, schema_editor):
    Sector = apps.get_model("partnership", "Sector")
    for order, (code, name, specified) in enumerate(SECTORS, start=1):
        Sector.objects.get_or_create(
            code=code,
            defaults={"name": name, "is_specified_authority": specified, "order": order * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("partnership", "0002_governance")]

    operations = [migrations.RunPython(create_sectors, migrations.RunPython.noop)]
