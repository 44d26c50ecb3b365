from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "preventhub.partnership"
    label = "partnership"
    verbose_name = "Partnership"
