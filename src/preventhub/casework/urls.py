from django.urls import path

from preventhub.casework import channel_views, lists_views, oversight_views, views

app_name = "casework"

urlpatterns = [
    path("", views.referral_list, name="index"),
    path("lists/", lists_views.lists, name="lists"),
    path("lists/<slug:kind>/new/", lists_views.list_item, name="list_item_new"),
    path("lists/<slug:kind>/<int:pk>/", lists_views.list_item, name="list_item"),
    path("new/", views.intake, name="intake"),
    path("refer/", views.refer, name="refer"),
    path("break-glass/", views.break_glass, name="break_glass"),
    path("<int:pk>/", views.referral, name="referral"),
    path("<int:pk>/triage/", views.triage, name="triage"),
    path("<int:pk>/route/", views.route, name="route"),
    path("<int:pk>/export.json", views.export_json, name="export_json"),
    path("<int:pk>/export.pdf", views.export_pdf, name="export_pdf"),
    path("<int:pk>/assign/", channel_views.assign, name="assign"),
    path("assignments/<int:pk>/end/", channel_views.assignment_end, name="assignment_end"),
    path("<int:pk>/assessment/", channel_views.assessment_new, name="assessment_new"),
    path("<int:pk>/consent/", channel_views.consent_new, name="consent_new"),
    path("<int:pk>/support/", channel_views.support_start, name="support_start"),
    path("<int:pk>/interventions/new/", channel_views.intervention_new, name="intervention_new"),
    path("<int:pk>/notes/new/", channel_views.note_new, name="note_new"),
    path("<int:pk>/onward/", channel_views.onward_new, name="onward_new"),
    path("<int:pk>/exit/", channel_views.exit_case, name="exit"),
    path("reviews/<int:pk>/", channel_views.review_complete, name="review_complete"),
    path("<int:pk>/transfer/", channel_views.transfer_new, name="transfer_new"),
    path("<int:pk>/close/", channel_views.close, name="close"),
    path("panel/", channel_views.meetings, name="meetings"),
    path("panel/reviews/", channel_views.overdue_reviews, name="overdue_reviews"),
    path("panel/meetings/<int:pk>/", channel_views.meeting, name="meeting"),
    path("panel/meetings/<int:pk>/agenda/", channel_views.agenda_add, name="agenda_add"),
    path("panel/agenda/<int:pk>/decision/", channel_views.decision, name="decision"),
    path("statistics/", oversight_views.statistics, name="statistics"),
    path("statistics/export.csv", oversight_views.statistics_export, name="statistics_export"),
    path("break-glass/log/", oversight_views.break_glass_log, name="break_glass_log"),
    path("retention/", oversight_views.retention, name="retention"),
    path("retention/<int:pk>/", oversight_views.legal_hold, name="legal_hold"),
]
