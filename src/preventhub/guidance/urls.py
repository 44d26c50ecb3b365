from django.urls import path

from preventhub.guidance import views

app_name = "guidance"

urlpatterns = [
    path("", views.library, name="library"),
    path("documents/new/", views.document_new, name="document_new"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("documents/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("documents/<int:pk>/versions/new/", views.version_new, name="version_new"),
    path("documents/<int:pk>/read/", views.acknowledge, name="acknowledge"),
    path("documents/<int:pk>/readers/", views.readers, name="readers"),
    path("files/<int:pk>/", views.version_file, name="version_file"),
]
