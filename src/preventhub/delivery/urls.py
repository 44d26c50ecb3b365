from django.urls import path

from preventhub.delivery import views

app_name = "delivery"

urlpatterns = [
    path("versions/<int:pk>/sections/new/", views.section_new, name="section_new"),
    path("sections/<int:pk>/edit/", views.section_edit, name="section_edit"),
    path("", views.plan, name="plan"),
    path("export.<table_format:fmt>", views.export, name="export"),
    path("versions/", views.versions, name="versions"),
    path("versions/new/", views.plan_new, name="plan_new"),
    path("versions/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("versions/<int:pk>/refresh/", views.plan_refresh, name="plan_refresh"),
    path("versions/<int:pk>/actions/new/", views.action_new, name="action_new"),
    path("versions/<int:a>/compare/<int:b>/", views.compare, name="compare"),
    path("actions/<int:pk>/", views.action, name="action"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/update/", views.update, name="update"),
    path("updates/", views.my_updates, name="my_updates"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("periods/", views.periods, name="periods"),
    path("periods/new/", views.period_new, name="period_new"),
    path("periods/<int:pk>/open/", views.period_open, name="period_open"),
    path("periods/<int:pk>/remind/", views.period_remind, name="period_remind"),
    path("reminders/<int:pk>/", views.reminder_run, name="reminder_run"),
    path("periods/<int:pk>/close/", views.period_close, name="period_close"),
    path("periods/<int:pk>/board-meeting/", views.period_meeting, name="period_meeting"),
    path("periods/<int:pk>/reopen/", views.period_reopen, name="period_reopen"),
    path("districts/<str:gss_code>/", views.district, name="district"),
    path("districts/<str:gss_code>/risks/new/", views.risk_new, name="risk_new"),
    path("risks/<int:pk>/edit/", views.risk_edit, name="risk_edit"),
]
