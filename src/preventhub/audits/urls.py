"""The safeguarding audit's staff pages, at /schools/audits/. The school's own pages are in
``link/urls.py``, at /school-audit/."""

from django.urls import path

from preventhub.audits import own_views, views
from preventhub.core.converters import register_choice

# The round's two tables for download: its figures by district, phase and trust, and its schools.
register_choice("round_table", ("summary", "schools"))

app_name = "audits"

urlpatterns = [
    path("", views.rounds, name="rounds"),
    path("your-school/", own_views.own_school, name="own_school"),
    path("your-school/<int:place_pk>/", own_views.own_school_place, name="own_school_place"),
    path(
        "your-school/<int:place_pk>/feedback.pdf",
        own_views.own_school_pdf,
        name="own_school_pdf",
    ),
    path("your-school/<int:place_pk>/open/", own_views.own_school_open, name="own_school_open"),
    path("new/", views.round_new, name="round_new"),
    path("<int:pk>/", views.round_dashboard, name="round"),
    path("<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("<int:pk>/breakdown/", views.round_breakdown, name="round_breakdown"),
    path(
        "<int:pk>/export/<round_table:kind>.<table_format:fmt>",
        views.round_export,
        name="round_export",
    ),
    path("<int:pk>/questions/", views.questions, name="questions"),
    path("<int:pk>/questions/new/", views.question_new, name="question_new"),
    path("<int:pk>/questions/copy/", views.questions_copy, name="questions_copy"),
    path(
        "<int:pk>/questions/import/",
        views.questions_import,
        name="questions_import",
    ),
    path("<int:pk>/questions/<str:code>/", views.question_view, name="question"),
    path("questions/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path(
        "<int:pk>/responses/import/",
        views.responses_import,
        name="responses_import",
    ),
    path("<int:pk>/scope/", views.scope, name="scope"),
    path(
        "<int:pk>/scope/<int:place_pk>/remove/",
        views.scope_remove,
        name="scope_remove",
    ),
    path("<int:pk>/scope/<int:place_pk>/link/", views.link_issue, name="link_issue"),
    path(
        "<int:pk>/scope/<int:place_pk>/revoke/",
        views.link_revoke,
        name="link_revoke",
    ),
    path("<int:pk>/non-responders/", views.non_responders, name="non_responders"),
    path(
        "<int:pk>/non-responders/remind/",
        views.non_responders_remind,
        name="non_responders_remind",
    ),
    path(
        "<int:pk>/non-responders/reminders/<int:run_pk>/",
        views.reminder_run,
        name="reminder_run",
    ),
    path(
        "<int:pk>/non-responders/reminders/<int:run_pk>/not-reminded.<table_format:fmt>",
        views.reminder_run_export,
        name="reminder_run_export",
    ),
    path("<int:pk>/action-plans/", views.action_plans, name="action_plans"),
    path(
        "<int:pk>/schools/<int:place_pk>/",
        views.school_feedback,
        name="school_feedback",
    ),
    path(
        "<int:pk>/schools/<int:place_pk>/feedback.pdf",
        views.school_feedback_pdf,
        name="school_feedback_pdf",
    ),
]
