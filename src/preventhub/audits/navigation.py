from preventhub.audits.home import home_work
from preventhub.core.home import register_work
from preventhub.core.navigation import NavEntry, register

register(
    NavEntry(
        "Schools audit",
        "audits:rounds",
        "audits.view_results",
        description="The yearly safeguarding audit of schools, focused surveys and their analysis.",
    )
)
register(
    NavEntry(
        "Your school's audit",
        "audits:own_school",
        "audits.view_own_school",
        description="Your own school's audit response, results, feedback and action plan.",
    )
)
register_work(home_work)
