from django.db import migrations, models

# The titles services wrote before events had a kind. Written out here, not read from the
# services, so that this migration keeps meaning the same when a title is reworded later.
KIND_OF_TITLE = {
    "Referral received": "received",
    "Linked to an earlier referral": "linked",
    "Referred again": "referred_again",
    "Put on a panel agenda": "on_agenda",
    "Member assigned": "assigned",
    "Member called for the case": "called",
    "Member's access ended": "assignment_ended",
    "Vulnerability assessment recorded": "assessment",
    "Consent given": "consent",
    "Consent refused": "consent",
    "Consent withdrawn": "consent",
    "Support started": "support_started",
    "Health or social care considered": "onward",
    "Intervention added to the support plan": "intervention",
    "Progress note added": "note",
    "Exited Channel": "exited",
    "Transferred in from another area": "transferred",
    "Transferred out to another area": "transferred",
    "Case closed": "closed",
    "Opened by break-glass": "break_glass",
    "Legal hold placed": "legal_hold",
    "Legal hold lifted": "hold_lifted",
}
KIND_OF_PREFIX = {
    "Triaged: ": "triaged",
    "Routed: ": "routed",
    "Panel decision: ": "decision",
}
KIND_OF_SUFFIX = {
    "-month review completed": "review_done",
}


def kinds_from_titles(apps, schema_editor):
    # Rows whose title matches none keep the kind "other" that adding the column gave them.
    CaseEvent = apps.get_model("casework", "CaseEvent")
    for title, kind in KIND_OF_TITLE.items():
        CaseEvent.objects.filter(title=title).update(kind=kind)
    for prefix, kind in KIND_OF_PREFIX.items():
        CaseEvent.objects.filter(title__startswith=prefix).update(kind=kind)
    for suffix, kind in KIND_OF_SUFFIX.items():
        CaseEvent.objects.filter(title__endswith=suffix).update(kind=kind)


class Migration(migrations.Migration):

    dependencies = [
        ("casework", "0003_record_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="caseevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("received", "Referral received"),
                    ("linked", "Linked to an earlier referral"),
                    ("referred_again", "Referred again"),
                    ("triaged", "Triaged"),
                    ("routed", "Routed"),
                    ("on_agenda", "Put on a panel agenda"),
                    ("decision", "Panel decision"),
                    ("assigned", "Member assigned"),
                    ("called", "Member called for the case"),
                    ("assignment_ended", "Member's access ended"),
                    ("assessment", "Vulnerability assessment recorded"),
                    ("consent", "Consent recorded"),
                    ("support_started", "Support started"),
                    ("onward", "Health or social care considered"),
                    ("intervention", "Intervention added to the support plan"),
                    ("note", "Progress note added"),
                    ("exited", "Exited Channel"),
                    ("review_done", "Review completed"),
                    ("transferred", "Transferred"),
                    ("closed", "Case closed"),
                    ("break_glass", "Opened by break-glass"),
                    ("legal_hold", "Legal hold placed"),
                    ("hold_lifted", "Legal hold lifted"),
                    ("other", "Other"),
                ],
                default="other",
                max_length=20,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(kinds_from_titles, migrations.RunPython.noop),
    ]
