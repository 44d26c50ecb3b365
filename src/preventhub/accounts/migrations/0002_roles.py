"""The roles of the partnership as groups (names are the values of core.roles.Role)."""

from django.db import migrations

ROLES = [
    "administrator",
    "coordinator",
    "partner_lead",
    "district_lead",
    "education_lead",
    "school_dsl",
    "police_officer",
    "channel_chair",
    "channel_member",
    "board_reader",
    "dpo",
]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
