"""Write operations of the safeguarding audit: rounds, questionnaires, links, answers, plans.

Each is one transaction with keyword-only arguments, raising :class:`AuditError` with a message
the page can show. Questionnaires and survey exports are read and checked by ``imports.py``,
which raises :class:`~preventhub.audits.imports.ImportProblems` listing each row to fix, and are
written here.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from preventhub.audits import imports, stats
from preventhub.audits.imports import ImportProblems
from preventhub.audits.models import (
    COUNT_FIELDS,
    ActionPlanItem,
    AuditRound,
    Question,
    ReminderRun,
    Response,
    RoundSchool,
)
from preventhub.audits.queries import (
    default_scope,
    question_has_answers,
    round_has_answers,
    token_digest,
    unanswered_required,
)
from preventhub.audits.scales import (
    AnswerError,
    Outcome,
    PreventCounts,
    outcome_of,
    prevent_counts,
    read_answer,
)
from preventhub.core import audit
from preventhub.core.bulk import cycle_collection_paused, insert_rows
from preventhub.core.concurrency import save_versioned
from preventhub.core.models import AuditEvent
from preventhub.core.spreadsheets import Limits, too_long
from preventhub.schools.models import Establishment

logger = logging.getLogger(__name__)

# How long a school's link works after the round closes: long enough to update the action plan.
LINK_DAYS_AFTER_CLOSE = 180
# When an action plan item is due, counted from the response's submission.
ACTION_DUE_DAYS = 90


class AuditError(Exception):
    """A request about the audit that cannot be carried out; the message says why."""


# --- Rounds and scope ------------------------------------------------------------------------


def _check_dates(opens_on: datetime.date, closes_on: datetime.date) -> None:
    if closes_on < opens_on:
        raise AuditError("The closing date must be the same as or after the opening date.")


@transaction.atomic
def create_round(
    *,
    name: str,
    kind: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    copy_from: AuditRound | None = None,
    establishments: Iterable[Establishment] | None = None,
) -> AuditRound:
    """A new round with the default scope (or ``establishments``), its questions copied or not."""
    _check_dates(opens_on, closes_on)
    if AuditRound.objects.filter(name=name).exists():
        raise AuditError(f"There is already a round called {name}. Choose another name.")
    audit_round = AuditRound.objects.create(
        name=name, kind=kind, opens_on=opens_on, closes_on=closes_on
    )
    chosen = default_scope() if establishments is None else establishments
    with audit.bulk_write(
        RoundSchool,
        action=AuditEvent.Action.CREATE,
        description=f"The schools in scope of {audit_round}",
    ) as write:
        write.rows = len(
            RoundSchool.objects.bulk_create(
                [RoundSchool(round=audit_round, establishment=school) for school in chosen]
            )
        )
    if copy_from is not None:
        copy_questionnaire(audit_round=audit_round, source=copy_from)
    return audit_round


@transaction.atomic
def update_round(*, audit_round: AuditRound, expected_version: int, **fields: Any) -> AuditRound:
    _check_dates(
        fields.get("opens_on", audit_round.opens_on), fields.get("closes_on", audit_round.closes_on)
    )
    name = fields.get("name", audit_round.name)
    if AuditRound.objects.filter(name=name).exclude(pk=audit_round.pk).exists():
        raise AuditError(f"There is already a round called {name}. Choose another name.")
    for field, value in fields.items():
        setattr(audit_round, field, value)
    save_versioned(audit_round, expected_version=expected_version)
    return audit_round


@transaction.atomic
def add_to_scope(*, audit_round: AuditRound, establishments: Iterable[Establishment]) -> int:
    """Add schools to a round; those already in it are left as they are. Returns how many."""
    present = set(audit_round.scope.values_list("establishment_id", flat=True))
    new = [
        RoundSchool(round=audit_round, establishment=school)
        for school in establishments
        if school.pk not in present
    ]
    for place in new:
        place.save()
    return len(new)


@transaction.atomic
def remove_from_scope(*, place: RoundSchool) -> None:
    if (
        place.answered_by_id is not None
        or Response.objects.filter(
            round=place.round_id, establishment=place.establishment_id
        ).exists()
    ):
        raise AuditError(
            f"{place.establishment.name} has answered this round, so it stays in scope: "
            "its answers count in the analysis."
        )
    place.delete()


# --- Questionnaire ---------------------------------------------------------------------------


@transaction.atomic
def save_question(
    *,
    audit_round: AuditRound,
    question: Question | None = None,
    expected_version: int | None = None,
    **fields: Any,
) -> Question:
    code = fields.get("code", question.code if question else "")
    clash = Question.objects.filter(round=audit_round, code=code)
    if question is not None:
        clash = clash.exclude(pk=question.pk)
    if clash.exists():
        raise AuditError(f"Question {code} is already in this round. Give it another code.")
    if question is None:
        if round_has_answers(audit_round):
            raise AuditError(
                "Schools have started answering this round, so its questions cannot change. "
                "Add the question to a focused survey or next year's round."
            )
        position = fields.pop("position", None) or (audit_round.questions.count() + 1)
        return Question.objects.create(round=audit_round, position=position, **fields)
    if fields.get("position") is None:
        fields.pop("position", None)
    answered = question_has_answers(question)
    # Compared with the stored row: a bound model form has already changed ``question``.
    stored = Question.objects.get(pk=question.pk)
    for name in ("code", "scale", "prevent", "requirement"):
        if answered and name in fields and fields[name] != getattr(stored, name):
            raise AuditError(
                f"Schools have answered {question.code}, so its code, scale and whether it is a "
                "Prevent question or a requirement cannot change; the wording and guidance can."
            )
    for name, value in fields.items():
        setattr(question, name, value)
    save_versioned(question, expected_version=expected_version or question.version)
    # Counted again whether or not it had answers when asked: an import holding the round's
    # questions (import_responses) has finished by now, and its responses are counted too.
    if question.prevent and question.required != stored.required:
        recount_answers(audit_round)
    return question


# Responses set per UPDATE by recount_answers: those that share the same counts.
RECOUNT_BATCH = 500


def recount_answers(audit_round: AuditRound) -> int:
    """Count every response of the round again (Response.prevent_done and the others), after
    a change to what its questions count for; how many responses changed. Whether a question
    is required is the one thing that may change once schools have answered it."""
    questions = list(audit_round.questions.filter(prevent=True))
    changed: dict[PreventCounts, list[int]] = defaultdict(list)
    rows = Response.objects.filter(round=audit_round).values_list("pk", "answers", *COUNT_FIELDS)
    for pk, answers, *stored in rows.iterator(chunk_size=2000):
        counts = prevent_counts(answers, questions)
        if counts != tuple(stored):
            changed[counts].append(pk)
    with audit.bulk_write(
        Response,
        action=AuditEvent.Action.UPDATE,
        description="Counted the answers again for the Prevent figures",
        obj=audit_round,
    ) as write:
        for counts, keys in changed.items():
            for start in range(0, len(keys), RECOUNT_BATCH):
                write.rows += Response.objects.filter(
                    pk__in=keys[start : start + RECOUNT_BATCH]
                ).update(**dict(zip(COUNT_FIELDS, counts, strict=True)))
    return write.rows


@transaction.atomic
def delete_question(*, question: Question) -> None:
    if question_has_answers(question):
        raise AuditError(f"Schools have answered {question.code}, so it cannot be removed.")
    question.delete()


@transaction.atomic
def copy_questionnaire(*, audit_round: AuditRound, source: AuditRound) -> int:
    """Copy every question of ``source`` into an empty round. Returns how many."""
    if audit_round.questions.exists():
        raise AuditError(
            f"{audit_round} already has questions. Copy into a round without any, "
            "or change the questions one by one."
        )
    if source.pk == audit_round.pk:
        raise AuditError("Choose another round to copy the questions from.")
    copied = 0
    for question in source.questions.all():
        Question.objects.create(
            round=audit_round,
            **{
                name: getattr(question, name)
                for name in (
                    "code",
                    "section",
                    "text",
                    "scale",
                    "prevent",
                    "requirement",
                    "required",
                    "suggested_action",
                    "position",
                )
            },
        )
        copied += 1
    return copied


# --- Secure links ----------------------------------------------------------------------------


def school_link_url(*, token: str, site_url: str) -> str:
    # The secret rides in the query string, which the access log leaves out (docs/security.md);
    # the first page moves it into the session and redirects to a URL without it.
    return f"{site_url.rstrip('/')}{reverse('school_audit:enter')}?link={token}"


@dataclass(frozen=True)
class IssuedLink:
    place: RoundSchool
    url: str
    emailed: bool


@transaction.atomic
def issue_link(
    *,
    place: RoundSchool,
    site_url: str,
    expires_on: datetime.date | None = None,
    purpose: str = "link",
) -> IssuedLink:
    """A new secret link for one school in one round; any earlier link stops working."""
    token = secrets.token_urlsafe(32)
    place.link_token_digest = token_digest(token)
    place.link_issued_at = timezone.now()
    place.link_revoked_at = None
    place.link_expires_on = expires_on or (
        place.round.closes_on + datetime.timedelta(days=LINK_DAYS_AFTER_CLOSE)
    )
    if purpose == "reminder":
        place.reminded_at = place.link_issued_at
    place.save()
    url = school_link_url(token=token, site_url=site_url)
    emailed = _email_link(place=place, url=url, purpose=purpose)
    return IssuedLink(place=place, url=url, emailed=emailed)


def _email_link(*, place: RoundSchool, url: str, purpose: str) -> bool:
    school = place.establishment
    if not school.contact_email:
        return False
    audit_round = place.round
    opening = (
        f"This is a reminder: we have not yet had {school.name}'s answers to the {audit_round} "
        "safeguarding audit, or its answers to the Prevent questions are not complete."
        if purpose == "reminder"
        else f"{school.name} is invited to complete the {audit_round} safeguarding audit."
    )
    body = (
        f"{opening}\n\nThe audit closes on {audit_round.closes_on:%-d %B %Y}. Use this link to "
        f"answer, save and come back, and later to see your results and action plan:\n\n{url}\n\n"
        "The link is for your school's designated safeguarding lead only: do not forward it. "
        f"It works until {place.link_expires_on:%-d %B %Y}. Any earlier link no longer works."
    )
    try:
        send_mail(
            f"{audit_round} safeguarding audit: {school.name}", body, None, [school.contact_email]
        )
    except OSError:
        # The link stands and can be issued again; the link itself is never logged.
        logger.exception("The audit link e-mail for school %s could not be sent.", school.urn)
        return False
    return True


@dataclass
class Reminders:
    """What "Remind" did for each school chosen, so that none is left out in silence; filled in
    as the schools are reminded, so a run stopped by a fault still says whom it reached."""

    sent: int = 0
    # Chosen schools with no safeguarding contact e-mail; whose e-mail the mail service refused
    # or failed; that had answered by the time they were reached.
    no_address: list[str] = dataclasses.field(default_factory=list)
    not_delivered: list[str] = dataclasses.field(default_factory=list)
    answered: list[str] = dataclasses.field(default_factory=list)


def queue_reminders(
    *, audit_round: AuditRound, place_pks: Iterable[int], by: Any, site_url: str
) -> ReminderRun:
    """Queue reminders to the chosen schools of ``audit_round``: the task worker sends them
    (``tasks.send_reminders``) once this transaction commits, each school's new link and e-mail
    on its own, and records on the run what it did for each."""
    chosen = sorted(set(place_pks))
    if not chosen:
        raise AuditError("Choose the schools to remind.")
    ReminderRun.fail_stale()  # a run whose worker stopped says so before another starts
    run = ReminderRun.objects.create(
        round=audit_round, places=chosen, requested_by=by, site_url=site_url[:200]
    )
    from preventhub.audits.tasks import send_reminders_run

    transaction.on_commit(lambda: send_reminders_run.enqueue(run.pk))
    return run


def remind_non_responders(
    *,
    audit_round: AuditRound,
    place_pks: Iterable[int],
    site_url: str,
    done: Reminders | None = None,
    reached: Callable[[Reminders], object] | None = None,
) -> Reminders:
    """E-mail each chosen school yet to respond a reminder with a new link (the old one stops
    working), filling ``done`` as it goes (and telling ``reached`` after each e-mail): how many
    were sent, and every chosen school that got none, and why. Each school's link is saved with
    its e-mail (``issue_link``), not all of them at the end: a fault part way leaves the schools
    already reminded with links that work."""
    done = done if done is not None else Reminders()
    chosen = set(place_pks)
    outstanding = chosen & set(stats.non_responder_keys(audit_round))
    for place_pk in sorted(outstanding):
        # Read as it is reached, not all at the start: a national run reminds thousands.
        place = RoundSchool.objects.select_related("round", "establishment").get(pk=place_pk)
        if not place.establishment.contact_email:
            done.no_address.append(place.establishment.name)
            continue
        issued = issue_link(place=place, site_url=site_url, purpose="reminder")
        if issued.emailed:
            done.sent += 1
        else:
            done.not_delivered.append(place.establishment.name)
        if reached is not None:
            reached(done)
    done.answered += list(
        RoundSchool.objects.filter(round=audit_round, pk__in=chosen - outstanding)
        .order_by("establishment__name")
        .values_list("establishment__name", flat=True)
    )
    return done


@transaction.atomic
def revoke_link(*, place: RoundSchool) -> None:
    if not place.link_token_digest or place.link_revoked_at is not None:
        raise AuditError(f"{place.establishment.name} has no link that works.")
    place.link_revoked_at = timezone.now()
    place.save(update_fields=["link_revoked_at"])


# --- Answers, submission and action plans ---------------------------------------------------


def _response_for(place: RoundSchool) -> Response:
    # Locked until the transaction ends: two submissions of one school at once take turns, and
    # the second finds the answers already submitted.
    response, _ = Response.objects.select_for_update().get_or_create(
        round=place.round, establishment=place.establishment
    )
    if response.status == Response.Status.SUBMITTED:
        raise AuditError(
            f"{place.establishment.name}'s answers were submitted on "
            f"{response.submitted_on:%-d %B %Y} and cannot change. Ask the education "
            "safeguarding lead if something is wrong."
        )
    return response


@transaction.atomic
def save_answers(*, place: RoundSchool, answers: Mapping[str, str]) -> Response:
    """Keep a school's draft answers (by question code); blank answers are kept as unanswered."""
    if place.answered_by_id and place.answered_by.establishment_id != place.establishment_id:
        raise AuditError(
            f"{place.establishment.name} was answered for by "
            f"{place.answered_by.establishment.name}'s return."
        )
    response = _response_for(place)
    questions = {q.code: q for q in place.round.questions.all()}
    saved = dict(response.answers)
    for code, raw in answers.items():
        question = questions.get(code)
        if question is None:
            raise AuditError(f"There is no question {code} in {place.round}.")
        try:
            saved[str(question.pk)], _ = read_answer(question.scale, raw)
        except AnswerError as error:
            raise AuditError(f"{question.code}: {error}.") from error
    if saved != response.answers:
        response.answers = saved
        response.save(update_fields=["answers", "updated_at"])
    return response


@transaction.atomic
def submit_response(
    *,
    place: RoundSchool,
    headteacher: str,
    governor: str,
    submitted_on: datetime.date | None = None,
) -> Response:
    """Submit a school's answers with their sign-off: they count from now on and cannot change."""
    response = _response_for(place)
    missing = unanswered_required(response)
    if missing:
        codes = ", ".join(q.code for q in missing)
        raise AuditError(f"Answer every required question before submitting: {codes}.")
    if not headteacher.strip() or not governor.strip():
        raise AuditError("Enter the names of the headteacher and the governor who signed it off.")
    response.status = Response.Status.SUBMITTED
    response.submitted_on = submitted_on or timezone.localdate()
    response.headteacher, response.governor = headteacher.strip(), governor.strip()
    # Its answers do not change, so neither do their counts (kept since they were saved, and by
    # recount_answers since): they are not counted again.
    response.save(update_fields=["status", "submitted_on", "headteacher", "governor", "updated_at"])
    place.answered_by = response
    place.save(update_fields=["answered_by"])
    for item in action_items_for(response=response, places=[place]):
        item.save()
    return response


def action_items_for(*, response: Response, places: Iterable[RoundSchool]) -> list[ActionPlanItem]:
    """One unsaved item per requirement the response falls short of, per school it answers for."""
    gaps = []
    for question in response.round.questions.filter(requirement=True):
        value = response.answers.get(str(question.pk), "")
        if outcome_of(question.scale, value) in (Outcome.PARTIAL, Outcome.NEGATIVE):
            gaps.append((question, value))
    due = (response.submitted_on or timezone.localdate()) + datetime.timedelta(days=ACTION_DUE_DAYS)
    return [
        ActionPlanItem(
            place=place,
            question=question,
            answer=value[:100],
            action=question.suggested_action or f"Make sure that: {question.text}",
            due_on=due,
        )
        for place in places
        for question, value in gaps
    ]


@transaction.atomic
def update_action_item(
    *, item: ActionPlanItem, expected_version: int, status: str, progress: str
) -> ActionPlanItem:
    item.status = status
    item.progress = progress
    item.completed_on = timezone.localdate() if status == ActionPlanItem.Status.DONE else None
    save_versioned(item, expected_version=expected_version)
    return item


# --- Imports of questionnaires and survey exports -------------------------------------------


def import_questionnaire(
    *,
    round_name: str,
    content: bytes,
    filename: str = "questionnaire.csv",
    opens_on: datetime.date | None = None,
    closes_on: datetime.date | None = None,
) -> tuple[AuditRound, int]:
    """Load a round's questions, creating the round if there is none of that name."""
    if too_long(AuditRound, {"name": round_name}):
        raise ImportProblems(["The round's name is longer than 100 characters."])
    questions = imports.parse_questionnaire(imports.read_sheet(content, filename))
    with transaction.atomic():
        audit_round = AuditRound.objects.filter(name=round_name).first()
        if audit_round is None:
            today = timezone.localdate()
            audit_round = create_round(
                name=round_name,
                kind=AuditRound.Kind.ANNUAL,
                opens_on=opens_on or today,
                closes_on=closes_on or today + datetime.timedelta(weeks=8),
            )
        elif round_has_answers(audit_round):
            raise ImportProblems(
                [
                    f"Schools have started answering {audit_round}, so its questions cannot be "
                    "replaced."
                ]
            )
        audit_round.questions.all().delete()
        for values in questions:
            Question.objects.create(round=audit_round, **values)
    return audit_round, len(questions)


# Responses written per statement group: a national export is 23,000 responses and 1.4 million
# answers, written a chunk at a time so that memory stays the same whatever the file's size.
CHUNK = 500


class _School(NamedTuple):
    urn: int
    name: str


class _Place(NamedTuple):
    pk: int
    establishment_id: int
    answered_by_id: int | None
    establishment: _School


class _Register(Mapping[int, imports.School]):
    """The register by URN for the checks of an export: the round's schools, known already, and
    any other URN looked up when the file names it (which is a problem: it is not in scope)."""

    def __init__(self, scope: dict[int, _Place]) -> None:
        self.known: dict[int, imports.School] = {
            urn: place.establishment for urn, place in scope.items()
        }

    def __getitem__(self, urn: int) -> imports.School:
        if urn not in self.known:
            found = Establishment.objects.only("urn", "name").filter(urn=urn).first()
            if found is None:
                raise KeyError(urn)
            self.known[urn] = found
        return self.known[urn]

    def __iter__(self) -> Iterator[int]:
        return iter(self.known)

    def __len__(self) -> int:
        return len(self.known)


@cycle_collection_paused()
def import_responses(
    *,
    audit_round: AuditRound,
    content: bytes,
    filename: str,
    limits: Limits | None = None,
) -> imports.ResponsesResult:
    """Import a survey export: each row a submitted response, counted for the schools it covers.

    All or nothing, in one pass over the file and one transaction: each response is written a
    chunk at a time as it is read and checked, and a problem anywhere raises
    :class:`ImportProblems` naming every problem after the last row, which rolls back all that
    was written. One summary entry in the audit trail. Nothing is held per row between chunks,
    so memory stays the same for a county or the whole country.
    """
    # Plain rows rather than model objects: a national round's scope is 23,000 schools.
    scope = {
        urn: _Place(pk, school, answered_by, _School(urn, name))
        for pk, school, answered_by, urn, name in RoundSchool.objects.filter(
            round=audit_round
        ).values_list(
            "pk", "establishment_id", "answered_by_id", "establishment__urn", "establishment__name"
        )
    }
    counts = {"responses": 0, "schools_covered": 0, "answers": 0, "action_items": 0}
    # Each covered school's place and the school whose response answers for it.
    covered: dict[int, int] = {}
    with audit.bulk_write(
        Response,
        action=AuditEvent.Action.CREATE,
        description=f"Imported {filename}",
        obj=audit_round,
    ) as write:
        # The round's questions are held until the import commits: each response is counted
        # with them as they are (Response.prevent_done and the others), so a question made
        # required or optional meanwhile (save_question) waits, then counts these responses too.
        context = imports.ResponsesContext(
            round=audit_round,
            questions=list(audit_round.questions.select_for_update()),
            register=_Register(scope),
            scope=scope,
            answered_before=set(
                Response.objects.filter(round=audit_round).values_list(
                    "establishment__urn", flat=True
                )
            ),
        )
        newer_than = _last_response_id()
        chunk: list[imports.ParsedResponse] = []
        parsed = imports.iter_responses(imports.stream_sheet(content, filename, limits), context)
        for item in parsed:
            chunk.append(item)
            if len(chunk) == CHUNK:
                _write_responses(audit_round, chunk, scope, counts, covered)
                chunk = []
        _write_responses(audit_round, chunk, scope, counts, covered)
        _set_answered_by(audit_round, newer_than, covered)
        counts["schools_covered"] = len(covered)
        result = imports.ResponsesResult(**counts)
        write.rows = result.responses
        write.changes = {"import": result.as_dict()}
    return result


def _write_responses(
    audit_round: AuditRound,
    chunk: list[imports.ParsedResponse],
    scope: dict[int, _Place],
    counts: dict[str, int],
    covered: dict[int, int],
) -> None:
    """One chunk of an import's responses with their answers and their gaps; the places they
    cover are added to ``covered``."""
    if not chunk:
        return
    # Values as the database takes them (text on SQLite), made once rather than for each row.
    adapt_date = connection.ops.adapt_datefield_value
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    dates: dict[datetime.date, tuple[Any, Any]] = {}
    for item in chunk:
        if item.submitted_on not in dates:
            due = item.submitted_on + datetime.timedelta(days=ACTION_DUE_DAYS)
            dates[item.submitted_on] = (adapt_date(item.submitted_on), adapt_date(due))
    insert_rows(
        Response,
        RESPONSE_FIELDS,
        [
            (audit_round.pk, scope[item.school.urn].establishment_id, SUBMITTED, IMPORTED,
             dates[item.submitted_on][0], "", "", item.answers, *item.counts, now)
            for item in chunk
        ],
    )  # fmt: skip
    items: list[tuple[Any, ...]] = []
    for item in chunk:
        school = scope[item.school.urn].establishment_id
        places = [scope[item.school.urn].pk]
        for other in item.covers:
            covered[scope[other.urn].pk] = school
            places.append(scope[other.urn].pk)
        # What action_items_for() makes, as plain rows: one per requirement short of met, per
        # school the response answers for.
        due = dates[item.submitted_on][1]
        for question, value in item.gaps:
            action = question.suggested_action or f"Make sure that: {question.text}"
            items.extend(
                (place, question.pk, value[:100], action, due, OPEN, "", None, now, 1)
                for place in places
            )
    insert_rows(ActionPlanItem, ITEM_FIELDS, items)
    counts["responses"] += len(chunk)
    counts["answers"] += sum(item.answered for item in chunk)
    counts["action_items"] += len(items)


def _last_response_id() -> int:
    """The newest response's key: an import's responses are those of its round after it."""
    return Response.objects.aggregate(last=Max("pk"))["last"] or 0


# Covered places set per UPDATE: its CASE is read through for each row it sets.
ANSWERED_BY_BATCH = 100


def _set_answered_by(audit_round: AuditRound, newer_than: int, covered: dict[int, int]) -> None:
    """Each school of the round answered by the import's responses (keys above ``newer_than``):
    its own response, and for each covered place (key) the response of the school (value) that
    covers it. Set in the database, in one statement for the schools that answered: setting each
    place with its response's key took two seconds for a national round on PostgreSQL."""
    # Table and column names from the models, quoted; every value is a parameter.
    quote = connection.ops.quote_name
    places = quote(RoundSchool._meta.db_table)
    responses = quote(Response._meta.db_table)
    own = (
        f"UPDATE {places} SET answered_by_id = (SELECT r.id FROM {responses} r"  # noqa: S608
        f" WHERE r.round_id = {places}.round_id AND r.establishment_id = {places}.establishment_id)"
        f" WHERE round_id = %s AND establishment_id IN"
        f" (SELECT establishment_id FROM {responses} WHERE round_id = %s AND id > %s)"
    )
    pairs = list(covered.items())
    with connection.cursor() as cursor:
        cursor.execute(own, [audit_round.pk, audit_round.pk, newer_than])
        for start in range(0, len(pairs), ANSWERED_BY_BATCH):
            batch = pairs[start : start + ANSWERED_BY_BATCH]
            cases = " ".join(["WHEN %s THEN %s"] * len(batch))
            marks = ", ".join(["%s"] * len(batch))
            cover = (
                f"UPDATE {places} SET answered_by_id = (SELECT r.id FROM {responses} r"  # noqa: S608
                f" WHERE r.round_id = %s AND r.establishment_id = CASE {places}.id {cases} END)"
                f" WHERE id IN ({marks})"
            )
            values = [value for pair in batch for value in pair]
            cursor.execute(cover, [audit_round.pk, *values, *(place for place, _ in batch)])


# Plain text for the database driver, not the enumerations' members.
OPEN = str(ActionPlanItem.Status.OPEN.value)
SUBMITTED = str(Response.Status.SUBMITTED.value)
IMPORTED = str(Response.Source.IMPORTED.value)
RESPONSE_FIELDS = (
    "round", "establishment", "status", "source", "submitted_on", "headteacher", "governor",
    "answers", *COUNT_FIELDS, "updated_at",
)  # fmt: skip
ITEM_FIELDS = (
    "place", "question", "answer", "action", "due_on", "status", "progress",
    "completed_on", "updated_at", "version",
)  # fmt: skip
