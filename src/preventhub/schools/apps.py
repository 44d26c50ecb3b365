from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "preventhub.schools"
    label = "schools"
    verbose_name = "Schools"
