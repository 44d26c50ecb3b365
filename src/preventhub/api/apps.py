from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "preventhub.api"
    label = "api"
    verbose_name = "JSON API"

    def ready(self) -> None:
        from preventhub.api.models import ApiToken
        from preventhub.core.references import Relation, move_rows, register_references

        # A merge moves a service token with its organisation: its partner lead moves too.
        register_references(Relation(ApiToken, "organisation", reassign=move_rows))
