from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "preventhub.returns"
    label = "returns"
    verbose_name = "Partner returns"
