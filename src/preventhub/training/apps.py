from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "preventhub.training"
    label = "training"
    verbose_name = "Prevent Training Framework"
