from django.urls import path

from preventhub.schools import views

app_name = "schools"

urlpatterns = [
    path("", views.register, name="register"),
    path("import/", views.import_new, name="import_new"),
    path("import/<int:pk>/", views.import_run, name="import_run"),
    path("import/<int:pk>/retry/", views.import_retry, name="import_retry"),
    path("<int:urn>/contact/", views.school_contact, name="school_contact"),
]
