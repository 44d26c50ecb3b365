"""The frameworks Prevent Hub starts with, in our own words. Touches no database.

They follow the structure of the published tools (their areas and rating scales) so that a
partnership, school or college recognises them, but every standard is worded here, and each is
data the coordinator can change in the app (``services.ensure_default_frameworks`` loads them once,
matched by code, and never overwrites an edit).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LevelData:
    code: str
    label: str
    colour: str
    is_gap: bool
    description: str = ""


@dataclass(frozen=True)
class StandardData:
    code: str
    title: str
    good_looks_like: str
    evidence_expected: str


@dataclass(frozen=True)
class AreaData:
    code: str
    title: str
    standards: tuple[StandardData, ...]
    description: str = ""


@dataclass(frozen=True)
class FrameworkData:
    code: str
    title: str
    publisher: str
    audience: str
    description: str
    steps: str
    levels: tuple[LevelData, ...]
    areas: tuple[AreaData, ...]


RAG = (
    LevelData("red", "Red", "red", True, "Not in place, or not working: needs action now."),
    LevelData("amber", "Amber", "yellow", True, "Partly in place: improvements needed."),
    LevelData("green", "Green", "green", False, "In place and working well."),
)

SCHOOL_LEVELS = (
    LevelData("1", "Level 1", "red", True, "Not yet in place."),
    LevelData("2", "Level 2", "orange", True, "Started: some of it is in place."),
    LevelData("3", "Level 3", "green", False, "In place across the school."),
    LevelData("4", "Level 4", "blue", False, "Embedded, reviewed and shared as good practice."),
)

FE_LEVELS = (
    LevelData("red", "Red: not met", "red", True, "The requirement is not met."),
    LevelData("amber", "Amber: partly met", "yellow", True, "The requirement is partly met."),
    LevelData("green", "Green: met", "green", False, "The requirement is met, with evidence."),
)


def _s(code: str, title: str, good: str, evidence: str) -> StandardData:
    return StandardData(code, title, good, evidence)


TOOLKIT = FrameworkData(
    code="toolkit",
    title="Prevent duty toolkit for local authorities",
    publisher="Home Office",
    audience="partnership",
    description=(
        "The partnership's own check of how the local authority and its partners deliver the "
        "Prevent duty, area by area, rated red, amber or green as in the annual assurance return."
    ),
    steps="Rate each standard with its evidence\nRecord the gaps found\n"
    "Turn gaps into Delivery Plan actions\nSign off and report to the Prevent Board",
    levels=RAG,
    areas=(
        AreaData(
            "TK1",
            "Multi-agency partnership group",
            (
                _s(
                    "TK1.1",
                    "A partnership group oversees Prevent",
                    "A multi-agency board with agreed terms of reference meets at least quarterly, "
                    "with senior members from each statutory partner.",
                    "Terms of reference, membership list, attendance records.",
                ),
                _s(
                    "TK1.2",
                    "The group holds partners to account",
                    "Progress against the plan is reported at each meeting and actions are "
                    "followed up until closed.",
                    "Minutes, action log, quarterly progress reports.",
                ),
            ),
        ),
        AreaData(
            "TK2",
            "Local risk assessment process",
            (
                _s(
                    "TK2.1",
                    "The risk assessment draws on more than police data",
                    "The Counter-Terrorism Local Profile is shared with partners and combined "
                    "with partnership data to give a local picture of risk.",
                    "CTLP briefing records, partner data returns, the local risk assessment.",
                ),
                _s(
                    "TK2.2",
                    "Districts identify their own risks",
                    "Each Community Safety Partnership has considered Prevent risks and its "
                    "plan responds to them in proportion.",
                    "District risk assessments and action plans.",
                ),
            ),
        ),
        AreaData(
            "TK3",
            "Partnership plan",
            (
                _s(
                    "TK3.1",
                    "A current plan answers the local risk",
                    "An approved delivery plan with owners and dates addresses the risks found.",
                    "The approved plan, the Board decision approving it.",
                ),
                _s(
                    "TK3.2",
                    "The plan is refreshed and its progress reported",
                    "The plan is reviewed at least yearly and progress goes to the Board every "
                    "quarter.",
                    "Plan versions, Board progress reports.",
                ),
            ),
        ),
        AreaData(
            "TK4",
            "Referral pathway",
            (
                _s(
                    "TK4.1",
                    "Staff know how to refer",
                    "A clear pathway, aligned with safeguarding procedures, is published to every "
                    "partner and is easy to find.",
                    "The published pathway, where partners host it, a check of a sample of staff.",
                ),
                _s(
                    "TK4.2",
                    "Referrals are handled promptly",
                    "Referrals are triaged and routed within agreed times, and referrers are told "
                    "the outcome where appropriate.",
                    "Referral timeliness figures, feedback to referrers.",
                ),
            ),
        ),
        AreaData(
            "TK5",
            "Channel panel",
            (
                _s(
                    "TK5.1",
                    "The panel meets the Channel duty",
                    "The panel is chaired by the local authority, meets monthly with its core "
                    "members, and calls co-opted members when a case needs them.",
                    "Panel terms of reference, attendance, co-opted member list.",
                ),
                _s(
                    "TK5.2",
                    "Support is planned, reviewed and followed up",
                    "Each case has a support plan with consent recorded, regular reviews, and "
                    "reviews 6 and 12 months after exit.",
                    "Case review dates, exit review completion figures.",
                ),
            ),
        ),
        AreaData(
            "TK6",
            "Training programme",
            (
                _s(
                    "TK6.1",
                    "Training needs are assessed",
                    "Each partner knows which staff need which level of training, from a needs "
                    "assessment kept up to date.",
                    "The training framework, workforce figures by role group.",
                ),
                _s(
                    "TK6.2",
                    "Training reaches those who need it",
                    "Coverage against need is reported quarterly and gaps are acted on.",
                    "Training returns, coverage figures.",
                ),
            ),
        ),
        AreaData(
            "TK7",
            "Reducing permissive environments",
            (
                _s(
                    "TK7.1",
                    "Venues are not hired to extremist speakers",
                    "Council and partner venue-hire terms and checks address extremist speakers, "
                    "and staff who book venues know them.",
                    "Venue hire terms, booking checks, staff briefings.",
                ),
                _s(
                    "TK7.2",
                    "Public IT is filtered",
                    "Public computers in libraries and council buildings filter extremist content "
                    "and the filtering is tested.",
                    "Filtering policy, test results.",
                ),
            ),
        ),
        AreaData(
            "TK8",
            "Communications and engagement",
            (
                _s(
                    "TK8.1",
                    "A communication plan is in use",
                    "Key messages are agreed and partners use the same words across channels.",
                    "The communication plan, approved messages.",
                ),
                _s(
                    "TK8.2",
                    "Communities are engaged",
                    "Engagement reaches communities, faith groups, parents and businesses in "
                    "every district, and feedback shapes the plan.",
                    "Engagement activity records, reach and feedback.",
                ),
            ),
        ),
    ),
)

SCHOOLS = FrameworkData(
    code="schools",
    title="Prevent duty self-assessment for schools",
    publisher="Department for Education",
    audience="school",
    description=(
        "A school's own check of how it meets the Prevent duty. Not mandatory: it helps the "
        "designated safeguarding lead and governors see what is in place and what to do next."
    ),
    steps="Evaluation: judge each standard at level 1 to 4, with evidence\n"
    "Action planning: record what you will do about each gap, and by when\n"
    "Summary: sum up where the school is and sign it off",
    levels=SCHOOL_LEVELS,
    areas=(
        AreaData(
            "S1",
            "Leadership and management",
            (
                _s(
                    "S1.1",
                    "Leaders own the Prevent duty",
                    "Senior leaders and governors understand the duty and check it is met.",
                    "Governors' minutes, the safeguarding policy.",
                ),
                _s(
                    "S1.2",
                    "Prevent is part of self-evaluation",
                    "The school's self-evaluation covers Prevent and feeds its improvement plan.",
                    "The self-evaluation form.",
                ),
            ),
        ),
        AreaData(
            "S2",
            "Risk assessment",
            (
                _s(
                    "S2.1",
                    "The school knows its local risk",
                    "The school has assessed the risk of its pupils being drawn into terrorism, "
                    "using local information.",
                    "The school's Prevent risk assessment.",
                ),
            ),
        ),
        AreaData(
            "S3",
            "Working in partnership",
            (
                _s(
                    "S3.1",
                    "The school works with local partners",
                    "The school knows its local Prevent contacts and safeguarding partners and "
                    "shares concerns with them.",
                    "Contact details in the policy, records of referrals and advice sought.",
                ),
            ),
        ),
        AreaData(
            "S4",
            "Training",
            (
                _s(
                    "S4.1",
                    "Staff are trained and confident",
                    "All staff have had Prevent awareness training and know how to raise a "
                    "concern; the DSL has had more.",
                    "Training records, staff survey.",
                ),
            ),
        ),
        AreaData(
            "S5",
            "Online safety",
            (
                _s(
                    "S5.1",
                    "Filtering and monitoring work",
                    "Filtering and monitoring are in place, checked, and alerts are acted on.",
                    "Filtering and monitoring reports.",
                ),
                _s(
                    "S5.2",
                    "Pupils learn to stay safe online",
                    "The curriculum teaches pupils about online risks, including extremism.",
                    "Curriculum plans.",
                ),
            ),
        ),
        AreaData(
            "S6",
            "Safeguarding school premises",
            (
                _s(
                    "S6.1",
                    "Visitors and lettings are checked",
                    "Visiting speakers and those who hire school premises are checked first.",
                    "Visitor and lettings policy, checks made.",
                ),
            ),
        ),
        AreaData(
            "S7",
            "Building children's resilience to radicalisation",
            (
                _s(
                    "S7.1",
                    "The curriculum builds resilience",
                    "Pupils discuss controversial issues safely and learn critical thinking and "
                    "fundamental British values.",
                    "Curriculum maps, pupil voice.",
                ),
            ),
        ),
    ),
)

FURTHER_EDUCATION = FrameworkData(
    code="further-education",
    title="Prevent duty self-assessment for further education",
    publisher="Department for Education",
    audience="college",
    description=(
        "A college's yearly check of how it meets the Prevent duty: each requirement rated with "
        "evidence, and an action for each requirement not fully met."
    ),
    steps="Rate each requirement with its evidence\nRecord an action for each gap\nSign it off",
    levels=FE_LEVELS,
    areas=(
        AreaData(
            "FE1",
            "Leadership",
            (
                _s(
                    "FE1.1",
                    "Leaders and governors oversee Prevent",
                    "A senior lead is named and governors receive reports on Prevent.",
                    "Governors' reports, the named lead.",
                ),
            ),
        ),
        AreaData(
            "FE2",
            "Partnership",
            (
                _s(
                    "FE2.1",
                    "The college works with local partners",
                    "The college works with its local authority, police and FE/HE Prevent "
                    "coordinator.",
                    "Meeting records, referral records.",
                ),
            ),
        ),
        AreaData(
            "FE3",
            "Staff training",
            (
                _s(
                    "FE3.1",
                    "Staff are trained for their role",
                    "Staff have training proportionate to their role, refreshed regularly.",
                    "Training records by role.",
                ),
            ),
        ),
        AreaData(
            "FE4",
            "Online safety",
            (
                _s(
                    "FE4.1",
                    "IT use is safe",
                    "An acceptable-use policy covers extremist material and filtering is in place.",
                    "IT policy, filtering reports.",
                ),
            ),
        ),
        AreaData(
            "FE5",
            "Welfare and pastoral support",
            (
                _s(
                    "FE5.1",
                    "Learners can get support",
                    "Pastoral and chaplaincy support is available and knows the referral route.",
                    "Support service records.",
                ),
            ),
        ),
        AreaData(
            "FE6",
            "Speakers and events",
            (
                _s(
                    "FE6.1",
                    "Speakers and events are risk-assessed",
                    "External speakers and events are checked in advance, balancing free speech.",
                    "The speakers policy, event approvals.",
                ),
            ),
        ),
        AreaData(
            "FE7",
            "Site security",
            (
                _s(
                    "FE7.1",
                    "The site is secure",
                    "Access to the site is controlled and promotional material is checked.",
                    "Security policy, site checks.",
                ),
            ),
        ),
        AreaData(
            "FE8",
            "British values",
            (
                _s(
                    "FE8.1",
                    "British values are promoted",
                    "Fundamental British values are part of teaching and tutorials.",
                    "Schemes of work, learner feedback.",
                ),
            ),
        ),
        AreaData(
            "FE9",
            "Learner engagement",
            (
                _s(
                    "FE9.1",
                    "Learners are engaged",
                    "Learners understand Prevent and know whom to tell about a concern.",
                    "Learner surveys, induction materials.",
                ),
            ),
        ),
    ),
)

DEFAULT_FRAMEWORKS: tuple[FrameworkData, ...] = (TOOLKIT, SCHOOLS, FURTHER_EDUCATION)

# The scales a new framework may start from (then edited in the app).
SCALES: dict[str, tuple[str, tuple[LevelData, ...]]] = {
    "rag": ("Red, amber, green", RAG),
    "levels": ("Levels 1 to 4", SCHOOL_LEVELS),
    "met": ("Not met, partly met, met", FE_LEVELS),
}
