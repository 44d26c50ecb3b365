from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "preventhub.api"
    label = "api"
    verbose_name = "JSON API"
