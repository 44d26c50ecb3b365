from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "preventhub.audits"
    label = "audits"
    verbose_name = "Schools audit"
