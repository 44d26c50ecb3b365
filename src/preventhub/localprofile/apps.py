from django.apps import AppConfig


class LocalprofileConfig(AppConfig):
    name = "preventhub.localprofile"
    label = "localprofile"
    verbose_name = "Counter-Terrorism Local Profile data"
