from django.urls import path

from preventhub.core.converters import register_choice
from preventhub.partnership import meeting_views, views

register_choice("partnership_table", views.EXPORTS)

app_name = "partnership"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("search/", views.search, name="search"),
    path("export/<partnership_table:what>.<table_format:fmt>", views.export, name="export"),
    path("areas/new/", views.area_new, name="area_new"),
    path("areas/<int:pk>/edit/", views.area_edit, name="area_edit"),
    path("sectors/", views.sectors, name="sectors"),
    path("sectors/new/", views.sector_new, name="sector_new"),
    path("sectors/<int:pk>/edit/", views.sector_edit, name="sector_edit"),
    path("districts/<str:gss_code>/", views.district, name="district"),
    path("organisations/new/", views.organisation_new, name="organisation_new"),
    path("organisations/<int:pk>/", views.organisation, name="organisation"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<int:pk>/archive/", views.organisation_archive, name="organisation_archive"
    ),
    path("organisations/<int:pk>/delete/", views.organisation_delete, name="organisation_delete"),
    path("organisations/<int:pk>/merge/", views.organisation_merge, name="organisation_merge"),
    path("organisations/<int:pk>/contacts/new/", views.contact_new, name="contact_new"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
    path("boards/new/", views.board_new, name="board_new"),
    path("boards/<int:pk>/", views.board, name="board"),
    path("boards/<int:pk>/edit/", views.board_edit, name="board_edit"),
    path("boards/<int:pk>/archive/", views.board_archive, name="board_archive"),
    path("boards/<int:pk>/delete/", views.board_delete, name="board_delete"),
    path("boards/<int:pk>/members/new/", views.membership_new, name="membership_new"),
    path("boards/<int:pk>/meetings/new/", meeting_views.meeting_new, name="meeting_new"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("meetings/<int:pk>/", meeting_views.meeting, name="meeting"),
    path("meetings/<int:pk>/edit/", meeting_views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/minutes/", meeting_views.meeting_minutes, name="meeting_minutes"),
    path(
        "meetings/<int:pk>/attendance/", meeting_views.meeting_attendance, name="meeting_attendance"
    ),
    path("meetings/<int:pk>/decisions/new/", meeting_views.decision_new, name="decision_new"),
    path("meetings/<int:pk>/actions/new/", meeting_views.action_new, name="action_new"),
    path("actions/<int:pk>/status/", meeting_views.action_status, name="action_status"),
]
