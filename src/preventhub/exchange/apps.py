from __future__ import annotations

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "preventhub.exchange"
    label = "exchange"
    verbose_name = "Information-sharing requests"
