"""The demo's reports: the seed's committee report, written with placeholders, and its Word
file, made as the task worker makes it; a draft Board pack for the current quarter and a
published one for the last closed quarter.

Built from the demo's data, the committee report says what the seed says: "In 2018, 399 schools
out of 411 completed the survey, a completion rate of 97%" and the rest, each figure drawn from
its query.
"""

from __future__ import annotations

import datetime
from typing import Any

from preventhub.partnership.models import ReportingPeriod
from preventhub.reports import queries, services
from preventhub.reports.models import BoardPack, CommitteeReport, ReportBuild

TITLE = "Prevent"
COMMITTEE = "Safe and Strong Communities Select Committee"
CHANNEL_DATES = "from=2018-05-01 to=2018-11-30"

SECTIONS = (
    (
        "Background",
        "The UK faces a continuing threat from both international and domestic terrorism as well "
        "as violent extremism, which can emerge from any community and can be inspired by a wide "
        "range of causes.\n\n"
        "In Staffordshire, the implementation of Prevent is overseen by a multi-agency Prevent "
        "Board, which reports into the Staffordshire Contest Board.\n\n"
        "The Prevent Board is the mechanism by which the quality of progress in relation to the "
        "delivery of Prevent is monitored, impact is assessed and challenges are identified and "
        "addressed.",
    ),
    (
        "Staffordshire Prevent Delivery Plan",
        "We have developed and implemented a shared, evidence-based Staffordshire Delivery Plan. "
        "Progress against it is reported to the Prevent Board on a quarterly basis: at the end of "
        '2018/19 Q3, {{ delivery_progress period="2018/19 Q3" }}.\n\n'
        "In terms of monitoring schools' delivery of Prevent, specific Prevent-related questions "
        "are included in the mandatory audit of schools. "
        "In 2018, "
        "{{ audit_completion round=2018 show=responded }} schools out of "
        "{{ audit_completion round=2018 show=in_scope }} completed the survey, a completion rate "
        "of {{ audit_completion round=2018 show=rate }}. "
        "{{ prevent_answered round=2018 show=count }} schools responded to the specific Prevent "
        "questions (a completion rate of {{ prevent_answered round=2018 show=rate }}).\n\n"
        "The responses to the survey indicated that schools are very aware of the Prevent Duty "
        "and around {{ audit_findings round=2018 show=all_actioned }} had actioned all of the "
        "requirements. {{ audit_findings round=2018 show=cannot_confirm }} were not able to "
        "confirm that they have all the expected elements in place and the remaining schools "
        "have practices which are currently under review with Governors. Only "
        "{{ audit_answer round=2018 question=P5 show=rate }} of schools indicated that they "
        "include Prevent within their self-evaluation. Positively, "
        "{{ audit_answer round=2018 question=P6 show=rate }} of schools stated that they engage "
        "with parents and families in relation to Prevent.",
    ),
    (
        "Training & Development",
        "We have implemented a Prevent Training Framework which allows organisations to identify "
        "which of their staff need an awareness and understanding of Prevent and what level of "
        "training they require. At the end of 2018/19 Q3, "
        '{{ training_coverage period="2018/19 Q3" }} staff who need training had it.',
    ),
    (
        "Staffordshire Channel Panel",
        "We have robust referral routes in place and our Channel processes are well-established."
        "\n\n"
        "During the period 1 May to 30 November 2018, the majority of referrals to Staffordshire "
        "Prevent were of individuals aged "
        f"{{{{ referrals_by_age {CHANNEL_DATES} show=majority_words }}}}. Of these, "
        f"{{{{ channel_adopted_under_18 {CHANNEL_DATES} }}}} young people (under 18) were "
        "identified as being at risk of radicalisation and were accepted onto the Channel "
        f"process. {{{{ referrals_by_age {CHANNEL_DATES} show=note }}}}",
    ),
    (
        "Next Steps",
        "We will make use of the self-assessment tool within the Home Office Prevent Duty Toolkit "
        "for Local Authorities to assess our activities and build any improvements into our "
        "Delivery Plan.",
    ),
)


def load_reports(coordinator: Any, today: datetime.date | None = None) -> None:
    """The seed's committee report and its Word file (asked for by ``coordinator``), a draft
    Board pack for the quarter ``today`` is in and a published one for the last closed
    quarter."""
    today = today or datetime.date.today()
    report = CommitteeReport.objects.filter(title=TITLE, committee=COMMITTEE).first()
    if report is None:
        report = services.save_committee_report(
            title=TITLE,
            committee=COMMITTEE,
            meeting_on=datetime.date(2019, 3, 4),
            recommendations="It is recommended that the Safe & Strong Communities Select "
            "Committee scrutinises the content of this report regarding the local implementation "
            "of the Prevent Duty.",
            report_of="Cllr Gill Heath, Cabinet Member for Communities",
            summary="",
            strategic_plan="Work to implement the Prevent Duty will contribute to the strategic "
            'priority: "The people of Staffordshire will feel safer, happier and more supported '
            'in and by their community".',
            community_impact="The Prevent Delivery Plan is based on the requirements of the "
            "Prevent Duty, but also draws upon the recommendations of the Counter-Terrorism "
            "Local Profile.",
            contact_name="Mick Harrison, Commissioner for Safety & Families",
            contact_phone="01785 278163",
            contact_email="michael.harrison@staffordshire.gov.uk",
            footnotes="Counter Terrorism Local Profile (CTLP): a document produced annually by "
            "the police which identifies the threat and vulnerability from terrorism.\n"
            "The Counter-Terrorism and Security Act 2015 required local authorities to establish "
            "a multi-agency panel (a 'Channel Panel').",
            background_papers="",
            appendices="",
        )
        for heading, body in SECTIONS:
            services.save_committee_section(report=report, heading=heading, body=body)
    if queries.latest_file(report) is None:
        # In this process, not through the queue: the demo needs no worker running to show a
        # file that is ready.
        services.build_now(
            of=report,
            fmt=ReportBuild.Format.DOCX,
            by=coordinator,
            site_url="http://127.0.0.1:8000/",
            today=today,
        )
    period = (
        ReportingPeriod.objects.filter(starts_on__lte=today, ends_on__gte=today).first()
        or ReportingPeriod.objects.order_by("-starts_on").first()
    )
    if period is not None and not BoardPack.objects.filter(period=period).exists():
        services.create_pack(period=period)
    closed = (
        ReportingPeriod.objects.filter(status=ReportingPeriod.Status.CLOSED, ends_on__lt=today)
        .order_by("-ends_on")
        .first()
    )
    if closed is not None and not BoardPack.objects.filter(period=closed).exists():
        pack = services.create_pack(period=closed)
        services.publish_pack(pack=pack, by=None, today=today)
