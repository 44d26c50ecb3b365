from django.urls import path  # noqa: F401 - routes are added with the Board progress report

app_name = "delivery_reports"

urlpatterns: list = []
