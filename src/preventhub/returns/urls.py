from django.urls import path

from preventhub.returns import views

app_name = "returns"

urlpatterns = [
    path("", views.index, name="index"),
    path("windows/new/", views.window_new, name="window_new"),
    path("windows/<int:pk>/", views.window, name="window"),
    path("windows/<int:pk>/remind/", views.window_remind, name="window_remind"),
    path("reminders/<int:pk>/", views.reminder_run, name="reminder_run"),
    path("<int:pk>/accept/", views.return_accept, name="return_accept"),
    path("<int:pk>/send-back/", views.return_send_back, name="return_send_back"),
    path("<int:pk>/reopen/", views.return_reopen, name="return_reopen"),
]
