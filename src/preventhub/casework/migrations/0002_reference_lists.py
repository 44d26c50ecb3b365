"""The Home Office type-of-concern categories and the usual triage checks, as starting lists."""

from django.db import migrations

CONCERN_TYPES = [
    "Islamist",
    "Extreme right-wing",
    "Fascination with extreme violence or mass-casualty attacks",
    "No ideology – other susceptibility",
    "Other ideology",
    "Mixed, unclear or unstable",
]
TRIAGE_CHECKS = [
    "Police National Computer",
    "Local police intelligence",
    "Counter Terrorism Policing deconfliction",
    "Children's social care",
    "Adult social care",
    "Education",
    "Health",
]


def seed(apps, schema_editor):
    ConcernType = apps.get_model("casework", "ConcernType")
    TriageCheck = apps.get_model("casework", "TriageCheck")
    for order, name in enumerate(CONCERN_TYPES, start=1):
        ConcernType.objects.get_or_create(name=name, defaults={"order": order * 10})
    for order, name in enumerate(TRIAGE_CHECKS, start=1):
        TriageCheck.objects.get_or_create(name=name, defaults={"order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
