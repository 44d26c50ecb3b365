from django.urls import path

from preventhub.training import views

app_name = "training"

urlpatterns = [
    path("", views.framework, name="framework"),
    path("levels/new/", views.level_new, name="level_new"),
    path("levels/<int:pk>/edit/", views.level_edit, name="level_edit"),
    path("role-groups/new/", views.role_group_new, name="role_group_new"),
    path("role-groups/<int:pk>/edit/", views.role_group_edit, name="role_group_edit"),
    path("products/", views.products, name="products"),
    path("products/new/", views.product_new, name="product_new"),
    path("products/<int:pk>/versions/new/", views.product_version_new, name="product_version_new"),
    path("product-files/<int:pk>/", views.product_file, name="product_file"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/export.<table_format:fmt>", views.coverage_export, name="coverage_export"),
    path("returns/<int:pk>/", views.training_return, name="return"),
    path("returns/<int:pk>/workforce/", views.workforce, name="workforce"),
    path("returns/<int:pk>/sessions/new/", views.session_new, name="session_new"),
    path(
        "returns/<int:pk>/sessions/<int:session_pk>/edit/",
        views.session_edit,
        name="session_edit",
    ),
    path(
        "returns/<int:pk>/sessions/<int:session_pk>/remove/",
        views.session_remove,
        name="session_remove",
    ),
    path("returns/<int:pk>/send/", views.return_submit, name="return_submit"),
    path("returns/<int:pk>/template.xlsx", views.return_template, name="return_template"),
    path("returns/<int:pk>/upload/", views.return_upload, name="return_upload"),
]
