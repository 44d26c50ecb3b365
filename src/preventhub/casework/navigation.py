from preventhub.casework.home import home_work
from preventhub.core.home import register_work
from preventhub.core.navigation import NavEntry, register

register(
    NavEntry(
        "Referrals and cases",
        "casework:index",
        "casework.view_referral",
        description="Referrals and Channel cases you work on: intake, triage, panel, support.",
    )
)
register(
    NavEntry(
        "Channel panel",
        "casework:meetings",
        "casework.chair_meetings",
        description="Your panel's meetings, the cases on their agendas and overdue reviews.",
    )
)
register(
    NavEntry(
        "Referral statistics",
        "casework:statistics",
        "casework.view_statistics",
        description="Counts of referrals by period, age, gender, concern, sector, district and "
        "outcome, with small numbers protected.",
    )
)
register(
    NavEntry(
        "Case retention",
        "casework:retention",
        "casework.manage_retention",
        description="Retention dates and legal holds of closed cases, and break-glass openings.",
    )
)
register(
    NavEntry(
        "Make a Prevent referral",
        "casework:refer",
        "casework.refer",
        description="Refer someone you are worried may be drawn into terrorism.",
    )
)
register(
    NavEntry(
        "Casework lists",
        "casework:lists",
        "casework.manage_lists",
        description="The types of concern and the triage checks referrals are recorded with.",
    )
)
register_work(home_work)
