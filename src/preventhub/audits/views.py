"""Staff pages of the safeguarding audit: rounds, questionnaires, scope and links, responses,
the analysis, non-responders and action plans. The school's own pages are in ``link/views.py``."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import InvalidPage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_POST

from preventhub.audits import feedback, forms, queries, services, stats, tables
from preventhub.audits.imports import ImportProblems
from preventhub.audits.models import (
    ActionPlanItem,
    AuditRound,
    Question,
    ReminderRun,
    RoundSchool,
)
from preventhub.core import audit
from preventhub.core.access import requires
from preventhub.core.charts import Series, stacked_bar_svg
from preventhub.core.concurrency import ConcurrentEditError
from preventhub.core.exports import table_response
from preventhub.core.numbers import whole_number
from preventhub.core.pages import form_page
from preventhub.core.pagination import pagination
from preventhub.partnership.models import Area
from preventhub.schools.models import Establishment

VIEW = "audits.view_audit"
RESULTS = "audits.view_results"
MANAGE = "audits.manage_audit"

STANDING_COLOURS = {
    stats.Standing.ALL_ACTIONED: "#00703c",
    stats.Standing.UNDER_REVIEW: "#ffdd00",
    stats.Standing.CANNOT_CONFIRM: "#d4351c",
    stats.Standing.NOT_PREVENT: "#b1b4b6",
    stats.Standing.NO_RESPONSE: "#ffffff",
}


def _round(pk: int) -> AuditRound:
    found = queries.audit_round(pk)
    if found is None:
        raise Http404("No such audit round.")
    return found


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


# --- Rounds ----------------------------------------------------------------------------------


@requires(RESULTS)
def rounds(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "audits/rounds.html",
        {"lines": queries.audit_rounds(), "can_manage": request.user.has_perm(MANAGE)},
    )


@requires(MANAGE)
def round_new(request: HttpRequest) -> HttpResponse:
    form = forms.RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_round(**form.service_arguments())
        except services.AuditError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Round {created} created with {created.scope.count()} schools in scope.",
            )
            return redirect("audits:round", pk=created.pk)
    return form_page(
        request,
        form=form,
        title="Start an audit round",
        back_url=reverse("audits:rounds"),
        intro="The round starts with every open school of the partnership's local authorities, "
        "except universities, children's centres, other types, Welsh schools and online "
        "providers. You can change which schools are in it afterwards.",
        submit_label="Start the round",
    )


@requires(MANAGE)
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    audit_round = _round(pk)
    form = forms.RoundForm(request.POST or None, audit_round=audit_round)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_round(audit_round=audit_round, **form.service_arguments())
        except (services.AuditError, ConcurrentEditError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved round {audit_round}.")
            return redirect("audits:round", pk=audit_round.pk)
    return form_page(
        request,
        form=form,
        title=f"Change round {audit_round}",
        back_url=reverse("audits:round", args=[audit_round.pk]),
    )


def _standing_chart(audit_round: AuditRound, by: dict[str, dict[str, int]]) -> str:
    categories = list(by)
    return stacked_bar_svg(
        categories,
        [
            Series(label, STANDING_COLOURS[key], [by[c].get(key, 0) for c in categories])
            for key, label in stats.Standing.LABELS.items()
        ],
        title=f"Schools by district and where they stand, audit {audit_round}",
        description="Each bar is a district's schools in scope. The same figures are in the "
        "table that follows.",
        id_prefix="standing",
    )


@requires(RESULTS)
def round_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    audit_round = _round(pk)
    # The round's figures are the sums of its districts' standings: one query for both.
    by_district = stats.standing_by(audit_round, stats.GROUPS["district"])
    figures = stats.figures_of_groups(by_district)
    analysis = stats.analyse(audit_round, breakdowns=False, figures=figures)
    return render(
        request,
        "audits/round.html",
        {
            "round": audit_round,
            "analysis": analysis,
            "headlines": _headlines(analysis),
            "chart": _standing_chart(audit_round, by_district),
            "standing_labels": list(stats.Standing.LABELS.items()),
            "standing_rows": [
                (name, [counts.get(key, 0) for key in stats.Standing.LABELS], sum(counts.values()))
                for name, counts in by_district.items()
            ],
            "can_manage": request.user.has_perm(MANAGE),
        },
    )


def _headlines(analysis: stats.RoundAnalysis) -> list[tuple[str, str, str]]:
    """(label, this round, previous round) for the dashboard's summary list."""

    def lines(f: stats.Figures | None) -> list[str]:
        if f is None:
            return [""] * 5
        return [
            stats.with_rate(f.responded, f.in_scope),
            stats.with_rate(f.prevent_answered, f.in_scope),
            stats.with_rate(f.all_actioned, f.prevent_answered),
            stats.with_rate(f.under_review, f.prevent_answered),
            stats.with_rate(f.cannot_confirm, f.prevent_answered),
        ]

    labels = [
        "Completed the survey",
        "Answered the Prevent questions",
        "Actioned all Prevent requirements",
        "Prevent requirements under review",
        "Could not confirm Prevent requirements",
    ]
    return list(zip(labels, lines(analysis.figures), lines(analysis.previous_figures), strict=True))


@requires(RESULTS)
def round_breakdown(request: HttpRequest, pk: int) -> HttpResponse:
    audit_round = _round(pk)
    by_district, by_phase, by_trust = stats.breakdown(audit_round)
    return render(
        request,
        "audits/breakdown.html",
        {
            "round": audit_round,
            "groups": [
                ("district", "By district", by_district),
                ("phase", "By phase", by_phase),
                ("trust", "By trust", by_trust),
            ],
        },
    )


@requires(VIEW)
def question_view(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    audit_round = _round(pk)
    question = get_object_or_404(Question, round=audit_round, code=code)
    return render(
        request,
        "audits/question.html",
        {
            "round": audit_round,
            "question": question,
            "figures": stats.one_question_figures(question),
        },
    )


@requires(VIEW)
def round_export(request: HttpRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
    audit_round = _round(pk)
    if kind == "summary":
        table = tables.summary_table(stats.analyse(audit_round))
    else:
        table = tables.schools_table(audit_round)
    audit.record_export(what=table.title, rows=len(table.rows), detail=fmt)
    return table_response(table, filename=f"audit-{audit_round.pk}-{kind}", fmt=fmt)


# --- Questionnaire ---------------------------------------------------------------------------


@requires(VIEW)
def questions(request: HttpRequest, pk: int) -> HttpResponse:
    audit_round = _round(pk)
    return render(
        request,
        "audits/questions.html",
        {
            "round": audit_round,
            "questions": audit_round.questions.all(),
            "other_rounds": AuditRound.objects.exclude(pk=audit_round.pk).order_by("-opens_on"),
            "can_manage": request.user.has_perm(MANAGE),
        },
    )


def _question_page(
    request: HttpRequest, audit_round: AuditRound, found: Question | None
) -> HttpResponse:
    form = forms.QuestionForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_question(
                audit_round=audit_round, question=found, **form.service_arguments()
            )
        except (services.AuditError, ConcurrentEditError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved question {saved.code}.")
            return redirect("audits:questions", pk=audit_round.pk)
    return form_page(
        request,
        form=form,
        title=f"Change question {found.code}" if found else "Add a question",
        caption=f"Audit round {audit_round}",
        back_url=reverse("audits:questions", args=[audit_round.pk]),
    )


@requires(MANAGE)
def question_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _question_page(request, _round(pk), None)


@requires(MANAGE)
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("round"), pk=pk)
    return _question_page(request, question.round, question)


@requires(MANAGE)
@require_POST
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("round"), pk=pk)
    try:
        services.delete_question(question=question)
    except services.AuditError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Removed question {question.code}.")
    return redirect("audits:questions", pk=question.round_id)


@requires(MANAGE)
@require_POST
def questions_copy(request: HttpRequest, pk: int) -> HttpResponse:
    audit_round = _round(pk)
    asked = whole_number(request.POST.get("source", ""))
    source = AuditRound.objects.filter(pk=asked).first() if asked is not None else None
    if source is None:
        messages.error(request, "Choose the round to copy the questions from.")
    else:
        try:
            count = services.copy_questionnaire(audit_round=audit_round, source=source)
        except services.AuditError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Copied {count} question{pluralize(count)} from {source}.")
    return redirect("audits:questions", pk=audit_round.pk)


def _upload_page(
    request: HttpRequest, audit_round: AuditRound, *, title: str, intro: str, load: object
) -> HttpResponse:
    form = forms.SpreadsheetUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            message = load(upload.read(), upload.name)  # type: ignore[operator]
        except ImportProblems as error:
            problems = error.problems
            form.add_error("file", f"Nothing was imported from {upload.name}: fix the rows listed")
        else:
            messages.success(request, message)
            return redirect("audits:round", pk=audit_round.pk)
    return render(
        request,
        "audits/upload.html",
        {"round": audit_round, "form": form, "title": title, "intro": intro, "problems": problems},
    )


@requires(MANAGE)
def questions_import(request: HttpRequest, pk: int) -> HttpResponse:
    audit_round = _round(pk)

    def load(content: bytes, filename: str) -> str:
        _, count = services.import_questionnaire(
            round_name=audit_round.name, content=content, filename=filename
        )
        return f"Loaded {count} question{pluralize(count)} from {filename}."

    return _upload_page(
        request,
        audit_round,
        title="Load the questionnaire",
        intro="A CSV or XLSX file with the columns code, section, text, scale, prevent, "
        "requirement and required (and optionally suggested_action). It replaces the round's "
        "questions, until schools start answering.",
        load=load,
    )


@requires(MANAGE)
def responses_import(request: HttpRequest, pk: int) -> HttpResponse:
    audit_round = _round(pk)

    def load(content: bytes, filename: str) -> str:
        result = services.import_responses(
            audit_round=audit_round, content=content, filename=filename
        )
        return (
            f"Imported {result.responses} response{pluralize(result.responses)} from {filename}, "
            f"answering also for {result.schools_covered} school"
            f"{pluralize(result.schools_covered)} in trusts or federations."
        )

    return _upload_page(
        request,
        audit_round,
        title="Import responses from the survey tool",
        intro="A CSV or XLSX export with a URN column, optionally Submitted (the date) and "
        "Covers (URNs of other schools the response answers for, separated by semicolons), "
        "then one column per question code.",
        load=load,
    )


# --- Scope and links -------------------------------------------------------------------------


@requires(VIEW)
def scope(request: HttpRequest, pk: int) -> HttpResponse:
    audit_round = _round(pk)
    form = forms.ScopeAddForm(request.POST or None)
    if request.method == "POST" and request.user.has_perm(MANAGE) and form.is_valid():
        urns = form.cleaned_data["urns"]
        found = list(Establishment.objects.filter(urn__in=urns))
        missing = sorted(set(urns) - {school.urn for school in found})
        if missing:
            form.add_error(
                "urns",
                f"{', '.join(map(str, missing[:5]))} is not in the schools register: check the URN",
            )
        else:
            added = services.add_to_scope(audit_round=audit_round, establishments=found)
            messages.success(request, f"Added {added} school{pluralize(added)} to {audit_round}.")
            return redirect("audits:scope", pk=audit_round.pk)
    page = queries.scope_page(audit_round, request.GET.get("page"))
    return render(
        request,
        "audits/scope.html",
        {
            "round": audit_round,
            "page": page,
            "pagination": pagination(page, request.GET),
            "form": form,
            "can_manage": request.user.has_perm(MANAGE),
            "issued": request.session.pop("schools_issued_link", None),
        },
    )


def _place(pk: int, place_pk: int) -> RoundSchool:
    return get_object_or_404(
        RoundSchool.objects.select_related("round", "establishment"), pk=place_pk, round_id=pk
    )


@requires(MANAGE)
@require_POST
def scope_remove(request: HttpRequest, pk: int, place_pk: int) -> HttpResponse:
    place = _place(pk, place_pk)
    try:
        services.remove_from_scope(place=place)
    except services.AuditError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Removed {place.establishment.name} from {place.round}.")
    return redirect("audits:scope", pk=pk)


@requires(MANAGE)
@require_POST
def link_issue(request: HttpRequest, pk: int, place_pk: int) -> HttpResponse:
    place = _place(pk, place_pk)
    issued = services.issue_link(place=place, site_url=_site_url(request))
    # Shown once, on the next page only: the link is a secret and is not stored.
    request.session["schools_issued_link"] = {
        "school": place.establishment.name,
        "url": issued.url,
        "emailed": issued.emailed,
        "email": place.establishment.contact_email,
    }
    return redirect("audits:scope", pk=pk)


@requires(MANAGE)
@require_POST
def link_revoke(request: HttpRequest, pk: int, place_pk: int) -> HttpResponse:
    place = _place(pk, place_pk)
    try:
        services.revoke_link(place=place)
    except services.AuditError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{place.establishment.name}'s link no longer works.")
    return redirect("audits:scope", pk=pk)


# --- Non-responders and action plans ---------------------------------------------------------


@requires(VIEW)
def non_responders(request: HttpRequest, pk: int) -> HttpResponse:
    audit_round = _round(pk)
    district = request.GET.get("district", "")
    try:
        found = stats.non_responders_page(
            audit_round, district=district, page_number=request.GET.get("page", 1)
        )
    except InvalidPage as error:
        raise Http404("There is no such page of schools.") from error
    return render(
        request,
        "audits/non_responders.html",
        {
            "round": audit_round,
            "found": found,
            "pagination": pagination(found, request.GET),
            "districts": Area.objects.filter(kind=Area.Kind.DISTRICT).order_by("name"),
            "district": district,
            "can_manage": request.user.has_perm(MANAGE),
            "latest_run": queries.latest_reminder_run(audit_round),
        },
    )


@requires(MANAGE)
@require_POST
def non_responders_remind(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a reminder with a new link (the old one stops working) to each chosen school: the
    task worker sends them, and the run's page says what it did for each."""
    audit_round = _round(pk)
    if request.POST.get("every"):
        # Every school the list shows, on all its pages: read again now, not sent by the page.
        chosen = set(
            stats.non_responder_keys(audit_round, district=request.POST.get("district", ""))
        )
    else:
        chosen = {
            number
            for number in map(whole_number, request.POST.getlist("place"))
            if number is not None
        }
    try:
        run = services.queue_reminders(
            audit_round=audit_round, place_pks=chosen, by=request.user, site_url=_site_url(request)
        )
    except services.AuditError as error:
        messages.error(request, str(error))
        return redirect("audits:non_responders", pk=pk)
    return redirect("audits:reminder_run", pk=pk, run_pk=run.pk)


# Schools shown in each of a run's lists; the rest are in its download.
NAMES_SHOWN = 100


def _first_names(names: list[str]) -> tuple[list[str], int]:
    """The names a run's page shows of one of its lists, and how many more there are."""
    return names[:NAMES_SHOWN], max(len(names) - NAMES_SHOWN, 0)


def _run(pk: int, run_pk: int) -> ReminderRun:
    return get_object_or_404(
        ReminderRun.objects.select_related("round", "requested_by"), pk=run_pk, round=pk
    )


@requires(MANAGE)
def reminder_run(request: HttpRequest, pk: int, run_pk: int) -> HttpResponse:
    run = _run(pk, run_pk)
    # A national round's first reminders find most of 22,000 schools without an address: the
    # page shows the first of each list, and its download has them all.
    lists = {field: _first_names(getattr(run, field)) for field in tables.NOT_REMINDED_BECAUSE}
    return render(
        request, "audits/reminder_run.html", {"run": run, "round": run.round, "lists": lists}
    )


@requires(MANAGE)
def reminder_run_export(request: HttpRequest, pk: int, run_pk: int, fmt: str) -> HttpResponse:
    run = _run(pk, run_pk)
    table = tables.not_reminded_table(run)
    audit.record_export(what=table.title, rows=len(table.rows), detail=fmt)
    return table_response(table, filename=f"audit-{pk}-not-reminded-{run.pk}", fmt=fmt)


@requires(VIEW)
def action_plans(request: HttpRequest, pk: int) -> HttpResponse:
    audit_round = _round(pk)
    status = request.GET.get("status", "")
    if status not in ActionPlanItem.Status.values:
        status = ""
    tracking = queries.action_plan_tracking(
        audit_round, status=status, page_number=request.GET.get("page")
    )
    return render(
        request,
        "audits/action_plans.html",
        {
            "round": audit_round,
            "tracking": tracking,
            "pagination": pagination(tracking.items, request.GET),
            "statuses": ActionPlanItem.Status.choices,
            "status": status,
        },
    )


# --- One school's feedback -------------------------------------------------------------------


@requires(VIEW)
def school_feedback(request: HttpRequest, pk: int, place_pk: int) -> HttpResponse:
    """The feedback the school sees through its link, with its action plan, for the staff."""
    place = _place(pk, place_pk)
    return render(
        request,
        "audits/school_feedback.html",
        {
            "round": place.round,
            "place": place,
            "feedback": feedback.school_feedback(place),
            "items": place.action_items.select_related("question"),
        },
    )


@requires(VIEW)
def school_feedback_pdf(request: HttpRequest, pk: int, place_pk: int) -> HttpResponse:
    found = feedback.school_feedback(_place(pk, place_pk))
    if found.response is None:
        return redirect("audits:school_feedback", pk=pk, place_pk=place_pk)
    response = HttpResponse(feedback.feedback_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{feedback.filename(found)}"'
    return response
