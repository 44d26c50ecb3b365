from django.urls import path

from preventhub.schools import audit_views, views

app_name = "schools"

urlpatterns = [
    path("", views.register, name="register"),
    path("import/", views.import_new, name="import_new"),
    path("import/<int:pk>/", views.import_run, name="import_run"),
    path("<int:urn>/contact/", audit_views.school_contact, name="school_contact"),
    # The safeguarding audit
    path("audits/", audit_views.rounds, name="rounds"),
    path("audits/new/", audit_views.round_new, name="round_new"),
    path("audits/<int:pk>/", audit_views.round_dashboard, name="round"),
    path("audits/<int:pk>/edit/", audit_views.round_edit, name="round_edit"),
    path("audits/<int:pk>/breakdown/", audit_views.round_breakdown, name="round_breakdown"),
    path(
        "audits/<int:pk>/export/<str:kind>.<str:fmt>",
        audit_views.round_export,
        name="round_export",
    ),
    path("audits/<int:pk>/questions/", audit_views.questions, name="questions"),
    path("audits/<int:pk>/questions/new/", audit_views.question_new, name="question_new"),
    path("audits/<int:pk>/questions/copy/", audit_views.questions_copy, name="questions_copy"),
    path(
        "audits/<int:pk>/questions/import/",
        audit_views.questions_import,
        name="questions_import",
    ),
    path("audits/<int:pk>/questions/<str:code>/", audit_views.question_view, name="question"),
    path("audits/questions/<int:pk>/edit/", audit_views.question_edit, name="question_edit"),
    path("audits/questions/<int:pk>/delete/", audit_views.question_delete, name="question_delete"),
    path(
        "audits/<int:pk>/responses/import/",
        audit_views.responses_import,
        name="responses_import",
    ),
    path("audits/<int:pk>/scope/", audit_views.scope, name="scope"),
    path(
        "audits/<int:pk>/scope/<int:place_pk>/remove/",
        audit_views.scope_remove,
        name="scope_remove",
    ),
    path("audits/<int:pk>/scope/<int:place_pk>/link/", audit_views.link_issue, name="link_issue"),
    path(
        "audits/<int:pk>/scope/<int:place_pk>/revoke/",
        audit_views.link_revoke,
        name="link_revoke",
    ),
    path("audits/<int:pk>/non-responders/", audit_views.non_responders, name="non_responders"),
    path(
        "audits/<int:pk>/non-responders/remind/",
        audit_views.non_responders_remind,
        name="non_responders_remind",
    ),
    path("audits/<int:pk>/action-plans/", audit_views.action_plans, name="action_plans"),
    path(
        "audits/<int:pk>/schools/<int:place_pk>/",
        audit_views.school_feedback,
        name="school_feedback",
    ),
    path(
        "audits/<int:pk>/schools/<int:place_pk>/feedback.pdf",
        audit_views.school_feedback_pdf,
        name="school_feedback_pdf",
    ),
]
