from django.urls import path

from preventhub.partnership import views

app_name = "partnership"

urlpatterns = [
    path("", views.directory, name="directory"),
]
