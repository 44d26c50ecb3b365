"""Write operations on referrals and Channel cases: one transaction each, keyword-only arguments.

Each raises :class:`CaseworkError` with a message that can be shown to the person, and writes a
line to the case's timeline (:class:`~preventhub.casework.models.CaseEvent`, with its ``kind``).
Timeline lines never hold personal data: they say what happened ("Consent given by a parent or
guardian"), never to whom.

One module per concept; callers use this package (``services.receive_referral(...)``), which
names every public write below. Reads are in ``casework.queries``, never here.
"""

from preventhub.casework.services.break_glass import break_glass
from preventhub.casework.services.common import CaseworkError
from preventhub.casework.services.intake import Subject, correct_intake, receive_referral
from preventhub.casework.services.keys import rotate_case_keys
from preventhub.casework.services.lists import ensure_reference_lists, save_list_item
from preventhub.casework.services.panel import (
    add_to_agenda,
    assign_member,
    end_assignment,
    record_panel_decision,
)
from preventhub.casework.services.retention import purge_referral, set_legal_hold
from preventhub.casework.services.support import (
    add_intervention,
    add_progress_note,
    complete_review,
    exit_case,
    record_assessment,
    record_consent,
    record_onward_referral,
    record_transfer,
    start_support,
)
from preventhub.casework.services.tallies import rebuild_referral_tallies
from preventhub.casework.services.triage import CheckDone, close_case, record_triage, route_referral

__all__ = [
    "CaseworkError",
    "CheckDone",
    "Subject",
    "add_intervention",
    "add_progress_note",
    "add_to_agenda",
    "assign_member",
    "break_glass",
    "close_case",
    "complete_review",
    "correct_intake",
    "end_assignment",
    "ensure_reference_lists",
    "exit_case",
    "purge_referral",
    "rebuild_referral_tallies",
    "receive_referral",
    "record_assessment",
    "record_consent",
    "record_onward_referral",
    "record_panel_decision",
    "record_transfer",
    "record_triage",
    "rotate_case_keys",
    "route_referral",
    "save_list_item",
    "set_legal_hold",
    "start_support",
]
