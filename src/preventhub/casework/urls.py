from django.urls import path

from preventhub.casework.views import channel, lists, oversight, referrals

app_name = "casework"

urlpatterns = [
    path("", referrals.referral_list, name="index"),
    path("lists/", lists.lists, name="lists"),
    path("lists/<slug:kind>/new/", lists.list_item, name="list_item_new"),
    path("lists/<slug:kind>/<int:pk>/", lists.list_item, name="list_item"),
    path("new/", referrals.intake, name="intake"),
    path("refer/", referrals.refer, name="refer"),
    path("break-glass/", referrals.break_glass, name="break_glass"),
    path("<int:pk>/", referrals.referral, name="referral"),
    path("<int:pk>/intake/", referrals.correct_intake, name="correct_intake"),
    path("<int:pk>/triage/", referrals.triage, name="triage"),
    path("<int:pk>/route/", referrals.route, name="route"),
    path("<int:pk>/export.json", referrals.export_json, name="export_json"),
    path("<int:pk>/export.pdf", referrals.export_pdf, name="export_pdf"),
    path("<int:pk>/assign/", channel.assign, name="assign"),
    path("assignments/<int:pk>/end/", channel.assignment_end, name="assignment_end"),
    path("<int:pk>/assessment/", channel.assessment_new, name="assessment_new"),
    path("<int:pk>/consent/", channel.consent_new, name="consent_new"),
    path("<int:pk>/support/", channel.support_start, name="support_start"),
    path("<int:pk>/interventions/new/", channel.intervention_new, name="intervention_new"),
    path("<int:pk>/notes/new/", channel.note_new, name="note_new"),
    path("<int:pk>/onward/", channel.onward_new, name="onward_new"),
    path("<int:pk>/exit/", channel.exit_case, name="exit"),
    path("reviews/<int:pk>/", channel.review_complete, name="review_complete"),
    path("<int:pk>/transfer/", channel.transfer_new, name="transfer_new"),
    path("<int:pk>/close/", channel.close, name="close"),
    path("panel/", channel.meetings, name="meetings"),
    path("panel/reviews/", channel.overdue_reviews, name="overdue_reviews"),
    path("panel/meetings/<int:pk>/", channel.meeting, name="meeting"),
    path("panel/meetings/<int:pk>/agenda/", channel.agenda_add, name="agenda_add"),
    path("panel/agenda/<int:pk>/decision/", channel.decision, name="decision"),
    path("statistics/", oversight.statistics, name="statistics"),
    path("statistics/export.csv", oversight.statistics_export, name="statistics_export"),
    path("break-glass/log/", oversight.break_glass_log, name="break_glass_log"),
    path("retention/", oversight.retention, name="retention"),
    path("retention/<int:pk>/", oversight.legal_hold, name="legal_hold"),
]
