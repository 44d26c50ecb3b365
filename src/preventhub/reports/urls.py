from django.urls import path

from preventhub.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("committee/new/", views.committee_new, name="committee_new"),
    path("committee/<int:pk>/", views.committee, name="committee"),
    path("committee/<int:pk>/edit/", views.committee_edit, name="committee_edit"),
    path("committee/<int:pk>/report.pdf", views.committee_pdf, name="committee_pdf"),
    path("committee/<int:pk>/report.docx", views.committee_docx, name="committee_docx"),
    path("committee/<int:pk>/sections/new/", views.section_new, name="section_new"),
    path("sections/<int:pk>/edit/", views.section_edit, name="section_edit"),
    path("packs/new/", views.pack_new, name="pack_new"),
    path("packs/<int:pk>/", views.pack, name="pack"),
    path("packs/<int:pk>/edit/", views.pack_edit, name="pack_edit"),
    path("packs/<int:pk>/publish/", views.pack_publish, name="pack_publish"),
    path("packs/<int:pk>/pack.pdf", views.pack_pdf, name="pack_pdf"),
    path("packs/<int:pk>/pack.docx", views.pack_docx, name="pack_docx"),
    path("packs/<int:pk>/tables/<int:index>.<slug:fmt>", views.pack_table, name="pack_table"),
    path("versions/<int:pk>/", views.pack_version, name="pack_version"),
    path("versions/<int:pk>/pack.pdf", views.pack_version_pdf, name="pack_version_pdf"),
    path("versions/<int:pk>/pack.docx", views.pack_version_docx, name="pack_version_docx"),
    path(
        "versions/<int:pk>/tables/<int:index>.<slug:fmt>",
        views.pack_version_table,
        name="pack_version_table",
    ),
]
