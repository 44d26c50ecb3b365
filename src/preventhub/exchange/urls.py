from django.urls import path

from preventhub.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.request_new, name="request_new"),
    path("<int:pk>/", views.request_page, name="request"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/answer/", views.respond, name="respond"),
    path("<int:pk>/close/", views.close, name="close"),
]
