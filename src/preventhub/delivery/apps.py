from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "preventhub.delivery"
    label = "delivery"
    verbose_name = "Delivery Plan"
