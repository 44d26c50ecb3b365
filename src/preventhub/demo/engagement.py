"""The demo's communication and engagement, guidance library and information sharing (¶16, 17, 21).

A year of engagement activity across the eight districts up to today, with a few events planned
for the rest of this month; the Contest Communication Plan with its objectives and approved key
messages; the guidance library with one document overdue for review; and an information-sharing
request from the Channel panel to a district council, approved and waiting for its answer.

Dates are relative to ``today``. Each part is created once and left alone afterwards.
"""

from __future__ import annotations

import datetime
import random

from preventhub.accounts.models import User
from preventhub.core.calendar import add_months
from preventhub.core.roles import Role
from preventhub.engagement import services as engagement
from preventhub.engagement.models import Activity, CommunicationObjective
from preventhub.partnership.models import Area, Organisation

OBJECTIVES = [
    (
        "Communities know what Prevent is and how to share a concern",
        "Plain information about Prevent, safeguarding and the referral route, in every district.",
    ),
    (
        "Parents and families recognise the signs and know where to get help",
        "Parenting programmes and school events, online safety above all.",
    ),
    (
        "Partners speak with one voice",
        "Every partner uses the same approved words, from the national campaign and our own.",
    ),
    (
        "Faith groups and businesses are partners in keeping people safe",
        "Venue hire, events and speakers, and what to do when something does not feel right.",
    ),
]

MESSAGES = [
    (
        "Notice, check, share",
        "If you notice something that worries you about someone, check with a colleague or your "
        "safeguarding lead, and share your concern. Prevent is about safeguarding people, not "
        "criminalising them.",
        "",
        0,
    ),
    (
        "ACT Early",
        "Friends and family are best placed to spot the signs. If you are worried that someone "
        "you know is being drawn into extremism, you can get advice at actearly.uk.",
        "parents",
        1,
    ),
    (
        "Safe venues",
        "Before you let a room or a hall, ask who is speaking and what about. If something does "
        "not feel right, talk to your council's Prevent lead.",
        "businesses",
        3,
    ),
]

# (kind, audience, channel, reach kind, reach range, titles)
KINDS = [
    (
        "community_outreach",
        "communities",
        "event",
        "attendance",
        (8, 45),
        ["Community drop-in", "Stall at the market", "Residents' association talk"],
    ),
    (
        "community_outreach",
        "communities",
        "event",
        "attendance",
        (10, 60),
        ["Library information session", "Community centre open day"],
    ),
    (
        "parenting_programme",
        "parents",
        "event",
        "attendance",
        (8, 18),
        ["Online safety for parents", "Parenting programme session"],
    ),
    (
        "school_session",
        "schools",
        "event",
        "attendance",
        (25, 120),
        ["Assembly on online harms", "Sixth form workshop"],
    ),
    (
        "faith_engagement",
        "faith_groups",
        "event",
        "attendance",
        (6, 30),
        ["Interfaith forum meeting", "Faith leaders' briefing"],
    ),
    (
        "business_briefing",
        "businesses",
        "event",
        "attendance",
        (5, 25),
        ["Venue hire briefing", "Night-time economy briefing"],
    ),
    (
        "staff_briefing",
        "staff",
        "event",
        "attendance",
        (10, 40),
        ["Council staff briefing", "Front-line staff update"],
    ),
    (
        "campaign",
        "communities",
        "social_media",
        "impressions",
        (800, 6000),
        ["ACT Early social media post", "Safeguarding week post"],
    ),
    (
        "newsletter",
        "parents",
        "newsletter",
        "impressions",
        (300, 2500),
        ["Article in the schools' newsletter", "Article in the council magazine"],
    ),
]


def _plan(users: dict[Role, User], today: datetime.date) -> dict[str, object]:
    coordinator = users[Role.COORDINATOR]
    objectives = []
    for position, (title, description) in enumerate(OBJECTIVES, start=1):
        found = CommunicationObjective.objects.filter(title=title).first()
        objectives.append(
            found
            or engagement.save_objective(title=title, description=description, position=position)
        )
    messages = []
    for title, text, audience, objective in MESSAGES:
        message = engagement.save_message(
            title=title,
            text=text,
            audience=audience,
            objective=objectives[objective],
            by=coordinator,
        )
        engagement.approve_message_version(
            version=message.versions.get(), on=add_months(today, -10), by=coordinator
        )
        messages.append(message)
    engagement.draft_message_version(
        message=messages[0],
        text=messages[0].versions.get().text + " Call 101, or 999 in an emergency.",
        note="Adds what to do when there is immediate danger, as the national guidance says.",
        by=coordinator,
    )
    return {"objectives": objectives, "messages": messages}


def _partners(
    organisations: dict[str, Organisation], area: Area, kind: str, chance: random.Random
) -> list[Organisation]:
    council = organisations.get(f"{area.name} District Council")
    partners = [council] if council else []
    extra = {
        "faith_engagement": "Demo Interfaith Forum (fictional)",
        "community_outreach": "Demo Community Trust (fictional)",
        "school_session": "Staffordshire Police",
    }.get(kind)
    if extra in organisations and chance.random() < 0.6:
        partners.append(organisations[extra])
    return partners


def load_engagement(
    areas: dict[str, Area],
    organisations: dict[str, Organisation],
    users: dict[Role, User],
    today: datetime.date | None = None,
) -> None:
    """The whole of this module's demo: engagement, the guidance library, information sharing."""
    today = today or datetime.date.today()
    load_activities(areas, organisations, users, today)
    load_guidance(organisations, users, today)
    load_exchange(organisations, users, today)


def load_activities(
    areas: dict[str, Area],
    organisations: dict[str, Organisation],
    users: dict[Role, User],
    today: datetime.date,
) -> None:
    if Activity.objects.exists():
        return
    plan = _plan(users, today)
    objectives: list[CommunicationObjective] = plan["objectives"]  # type: ignore[assignment]
    chance = random.Random(2026)
    coordinator = users[Role.COORDINATOR]
    districts = sorted(
        (area for area in areas.values() if area.kind == Area.Kind.DISTRICT),
        key=lambda area: area.name,
    )
    start = add_months(today, -12)
    for area in districts:
        day = start + datetime.timedelta(days=chance.randint(0, 9))
        while day < today:
            kind, audience, channel, reach_kind, (low, high), titles = chance.choice(KINDS)
            engagement.save_activity(
                title=f"{chance.choice(titles)}, {area.name}",
                kind=kind,
                held_on=day,
                district=area,
                audience=audience,
                channel=channel,
                partners=_partners(organisations, area, kind, chance),
                objective=objectives[chance.randrange(len(objectives))],
                materials=chance.choice(
                    ["ACT Early leaflets", "Our Prevent presentation", "Notice, check, share card"]
                ),
                reach=chance.randint(low, high),
                reach_kind=reach_kind,
                feedback="Participants said the session was useful and asked for more.",
                outcomes=chance.choice(
                    ["Two requests for training", "New contact with a community group", ""]
                ),
                by=coordinator,
                today=today,
            )
            day += datetime.timedelta(days=chance.randint(12, 30))
    end_of_month = add_months(today.replace(day=1), 1) - datetime.timedelta(days=1)
    planned = [
        ("Winter online safety evening for parents", "parenting_programme", "parents", "E07000197"),
        ("Faith leaders' briefing on venue hire", "faith_engagement", "faith_groups", "E07000199"),
        ("Christmas market Prevent stall", "community_outreach", "communities", "E07000193"),
        ("County newsletter: ACT Early", "newsletter", "parents", None),
    ]
    for offset, (title, kind, audience, code) in enumerate(planned, start=1):
        engagement.save_activity(
            title=title,
            kind=kind,
            held_on=min(today + datetime.timedelta(days=3 * offset), end_of_month),
            district=areas[code] if code else None,
            audience=audience,
            channel="newsletter" if kind == "newsletter" else "event",
            objective=objectives[0],
            by=coordinator,
            today=today,
        )


# ---- the guidance library ------------------------------------------------------------------------

GUIDANCE = [
    (
        "Joint Staffordshire and Stoke-on-Trent Prevent Safeguarding Guidance",
        "guidance",
        "A clear framework for every professional working with people about whom there are "
        "concerns that they are at risk of being drawn into violent extremism; links the "
        "safeguarding procedures and the Channel programme. Endorsed by the Adult and "
        "Children's Safeguarding Boards.",
        "Prevent coordinator",
        "Every professional working with children and adults",
        -20,  # days from today: its review is overdue
        [Role.PARTNER_LEAD, Role.DISTRICT_LEAD, Role.EDUCATION_LEAD, Role.CHANNEL_MEMBER],
    ),
    (
        "Prevent referral form: guidance for referrers",
        "form_guidance",
        "How to complete the referral form, what to include and what happens next.",
        "Police Prevent team",
        "Anyone who may make a Prevent referral",
        150,
        [Role.PARTNER_LEAD, Role.EDUCATION_LEAD],
    ),
    (
        "Staffordshire Channel Panel terms of reference",
        "terms",
        "Membership, core and co-opted members, quorum, information sharing and decisions.",
        "Channel chair",
        "Channel panel members",
        240,
        [Role.CHANNEL_CHAIR, Role.CHANNEL_MEMBER],
    ),
    (
        "Staffordshire Prevent Board terms of reference",
        "terms",
        "Purpose, membership, reporting lines and the quarterly cycle of the Prevent Board.",
        "Prevent coordinator",
        "Prevent Board members",
        300,
        [Role.BOARD_READER, Role.COORDINATOR],
    ),
]


def demo_pdf(title: str) -> bytes:
    """A one-page PDF with ``title`` on it: a real, small file for the demo's downloads."""
    text = title.replace("\\", "").replace("(", "").replace(")", "")[:90]
    stream = f"BT /F1 14 Tf 56 780 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def load_guidance(
    organisations: dict[str, Organisation],
    users: dict[Role, User],
    today: datetime.date | None = None,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from preventhub.guidance import services as guidance
    from preventhub.guidance.models import GuidanceDocument

    today = today or datetime.date.today()
    if GuidanceDocument.objects.exists():
        return
    coordinator = users[Role.COORDINATOR]
    owner = organisations["Staffordshire County Council"]
    for title, kind, summary, owner_name, audience, review_in, roles in GUIDANCE:
        document = guidance.save_document(
            title=title,
            kind=kind,
            summary=summary,
            owner_organisation=organisations["Staffordshire Police"]
            if owner_name == "Police Prevent team"
            else owner,
            owner_name=owner_name,
            audience=audience,
            review_on=today + datetime.timedelta(days=review_in),
            must_read_roles=roles,
        )
        slug = "-".join(title.lower().split()[:4]).replace(":", "")
        guidance.add_version(
            document=document,
            upload=SimpleUploadedFile(f"{slug}-v1.pdf", demo_pdf(title)),
            note="First published version",
            by=coordinator,
        )
        if kind == "guidance":
            for role in (Role.DISTRICT_LEAD, Role.EDUCATION_LEAD):
                guidance.acknowledge(document=document, user=users[role])
            guidance.add_version(
                document=document,
                upload=SimpleUploadedFile(f"{slug}-v2.pdf", demo_pdf(title + " (v2)")),
                note="Updated for the 2018 Contest strategy",
                by=coordinator,
            )
            # The education lead has read the new version; the district lead only the first.
            guidance.acknowledge(document=document, user=users[Role.EDUCATION_LEAD])


# ---- information sharing -------------------------------------------------------------------------


def load_exchange(
    organisations: dict[str, Organisation],
    users: dict[Role, User],
    today: datetime.date | None = None,
) -> None:
    from preventhub.exchange import services as exchange
    from preventhub.exchange.models import SharingRequest

    today = today or datetime.date.today()
    if SharingRequest.objects.exists():
        return
    county = organisations["Staffordshire County Council"]
    district_council = organisations["Stafford District Council"]
    chair, district_lead = users[Role.CHANNEL_CHAIR], users[Role.DISTRICT_LEAD]
    answered = exchange.make_request(
        requesting_organisation=county,
        receiving_organisation=district_council,
        about="Any housing or anti-social behaviour records held, for the Channel panel's "
        "vulnerability assessment",
        case_reference="PH-DEMO-0007",
        lawful_basis="channel_duty",
        respond_by=today - datetime.timedelta(days=40),
        by=chair,
        today=today - datetime.timedelta(days=50),
    )
    exchange.decide(request=answered, approve=True, by=district_lead)
    exchange.respond(
        request=answered,
        outcome="nothing_held",
        note="Checked housing and community safety records; nothing held",
        by=district_lead,
    )
    exchange.close(request=answered, by=chair)
    in_progress = exchange.make_request(
        requesting_organisation=county,
        receiving_organisation=district_council,
        about="Any housing, licensing or community safety records held, for the Channel "
        "panel's next meeting",
        case_reference="PH-DEMO-0012",
        lawful_basis="channel_duty",
        respond_by=today + datetime.timedelta(days=5),
        by=chair,
        today=today - datetime.timedelta(days=4),
    )
    exchange.decide(
        request=in_progress,
        approve=True,
        note="Approved by the council's information governance lead",
        by=district_lead,
    )
