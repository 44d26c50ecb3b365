from django.urls import path

from preventhub.delivery import report_views

app_name = "delivery_reports"

urlpatterns = [
    path("", report_views.index, name="index"),
    path("<int:pk>/", report_views.report_page, name="report"),
    path("<int:pk>/report.pdf", report_views.report_pdf, name="report_pdf"),
    path("<int:pk>/report.docx", report_views.report_docx, name="report_docx"),
]
