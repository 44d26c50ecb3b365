from django.urls import path

from preventhub.engagement import views

app_name = "engagement"

urlpatterns = [
    path("", views.index, name="index"),
    path("activities.<table_format:fmt>", views.activities_export, name="activities_export"),
    path("calendar/", views.calendar, name="calendar"),
    path("activities/new/", views.activity_new, name="activity_new"),
    path("activities/<int:pk>/", views.activity, name="activity"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("plan/", views.plan, name="plan"),
    path("plan/objectives/new/", views.objective_new, name="objective_new"),
    path("plan/objectives/<int:pk>/edit/", views.objective_edit, name="objective_edit"),
    path("plan/messages/new/", views.message_new, name="message_new"),
    path("plan/messages/<int:pk>/", views.message, name="message"),
    path("plan/messages/<int:pk>/edit/", views.message_edit, name="message_edit"),
    path(
        "plan/messages/<int:pk>/versions/new/",
        views.message_version_new,
        name="message_version_new",
    ),
    path(
        "plan/message-versions/<int:pk>/approve/",
        views.message_version_approve,
        name="message_version_approve",
    ),
    path("figures/", views.figures, name="figures"),
    path("figures/export.<table_format:fmt>", views.figures_export, name="figures_export"),
]
urlpatterns += [
    path("districts/", views.districts, name="districts"),
    path("districts/<int:pk>/", views.district, name="district"),
]
