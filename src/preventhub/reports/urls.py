from django.urls import path

from preventhub.core.converters import register_choice
from preventhub.reports import views
from preventhub.reports.models import ReportBuild

register_choice("report_format", ReportBuild.Format.values)

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("committee/new/", views.committee_new, name="committee_new"),
    path("committee/<int:pk>/", views.committee, name="committee"),
    path("committee/<int:pk>/edit/", views.committee_edit, name="committee_edit"),
    path(
        "committee/<int:pk>/files/<report_format:fmt>/",
        views.committee_build,
        name="committee_build",
    ),
    path(
        "committee/<int:pk>/tables/<int:index>.<table_format:fmt>",
        views.committee_table,
        name="committee_table",
    ),
    path(
        "committee/<int:pk>/sources.<table_format:fmt>",
        views.committee_sources,
        name="committee_sources",
    ),
    path("committee/<int:pk>/sections/new/", views.section_new, name="section_new"),
    path("sections/<int:pk>/edit/", views.section_edit, name="section_edit"),
    path("packs/new/", views.pack_new, name="pack_new"),
    path("packs/<int:pk>/", views.pack, name="pack"),
    path("packs/<int:pk>/edit/", views.pack_edit, name="pack_edit"),
    path("packs/<int:pk>/publish/", views.pack_publish, name="pack_publish"),
    path("packs/<int:pk>/files/<report_format:fmt>/", views.pack_build, name="pack_build"),
    path("packs/<int:pk>/sources.<table_format:fmt>", views.pack_sources, name="pack_sources"),
    path(
        "packs/<int:pk>/tables/<int:index>.<table_format:fmt>", views.pack_table, name="pack_table"
    ),
    path("versions/<int:pk>/", views.pack_version, name="pack_version"),
    path(
        "versions/<int:pk>/files/<report_format:fmt>/",
        views.pack_version_build,
        name="pack_version_build",
    ),
    path(
        "versions/<int:pk>/sources.<table_format:fmt>",
        views.pack_version_sources,
        name="pack_version_sources",
    ),
    path(
        "versions/<int:pk>/tables/<int:index>.<table_format:fmt>",
        views.pack_version_table,
        name="pack_version_table",
    ),
    path("files/<int:pk>/", views.build_page, name="build"),
    path("files/<int:pk>/download", views.build_file, name="build_file"),
    path("files/<int:pk>/again/", views.build_again, name="build_again"),
]
