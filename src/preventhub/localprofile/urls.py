from django.urls import path

from preventhub.localprofile import views

app_name = "localprofile"

urlpatterns = [
    path("", views.indicators, name="indicators"),
    path("indicators/new/", views.indicator_new, name="indicator_new"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("returns/<int:pk>/", views.data_return, name="return"),
    path("returns/<int:pk>/send/", views.return_submit, name="return_submit"),
    path("returns/<int:pk>/template.xlsx", views.return_template, name="return_template"),
    path("returns/<int:pk>/upload/", views.return_upload, name="return_upload"),
    path("dataset/", views.dataset, name="dataset"),
    path("dataset/export.<table_format:fmt>", views.dataset_export, name="dataset_export"),
    path("trends/", views.trends, name="trends"),
    path("districts/<str:gss_code>/", views.district, name="district"),
]
