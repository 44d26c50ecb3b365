from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "preventhub.casework"
    label = "casework"
    verbose_name = "Referrals and Channel casework"
