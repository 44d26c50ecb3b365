from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "preventhub.demo"
    label = "demo"
    verbose_name = "Demo partnership"
