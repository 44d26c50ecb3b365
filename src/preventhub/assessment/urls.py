from django.urls import path

from preventhub.assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.index, name="index"),
    path("frameworks/", views.frameworks, name="frameworks"),
    path("frameworks/new/", views.framework_new, name="framework_new"),
    path("frameworks/<int:pk>/", views.framework, name="framework"),
    path("frameworks/<int:pk>/edit/", views.framework_edit, name="framework_edit"),
    path("frameworks/<int:pk>/import/", views.framework_import, name="framework_import"),
    path("frameworks/<int:pk>/levels/new/", views.level_new, name="level_new"),
    path("frameworks/<int:pk>/areas/new/", views.area_new, name="area_new"),
    path("levels/<int:pk>/edit/", views.level_edit, name="level_edit"),
    path("areas/<int:pk>/edit/", views.area_edit, name="area_edit"),
    path("areas/<int:pk>/standards/new/", views.standard_new, name="standard_new"),
    path("standards/<int:pk>/edit/", views.standard_edit, name="standard_edit"),
    path("new/", views.assessment_new, name="assessment_new"),
    path("<int:pk>/", views.assessment, name="assessment"),
    path("<int:pk>/sign-off/", views.sign_off, name="sign_off"),
    path("<int:pk>/report/", views.report_page, name="report"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<int:pk>/report.docx", views.report_docx, name="report_docx"),
    path("ratings/<int:pk>/", views.rating, name="rating"),
    path("ratings/<int:pk>/assessor/", views.rating_assessor, name="rating_assessor"),
    path("ratings/<int:pk>/gaps/new/", views.finding_new, name="finding_new"),
    path("findings/<int:pk>/action/", views.finding_action, name="finding_action"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("schools/", views.school_results, name="school_results"),
]
