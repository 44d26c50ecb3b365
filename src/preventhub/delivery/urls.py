from django.urls import path  # noqa: F401 - routes are added with the plan pages

app_name = "delivery"

urlpatterns: list = []
