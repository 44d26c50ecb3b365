from __future__ import annotations

from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "preventhub.casework"
    label = "casework"
    verbose_name = "Referrals and Channel casework"

    def ready(self) -> None:
        from preventhub.casework.models import Referral
        from preventhub.core.references import Relation, register_references

        # Which officers and which panel see a referral follows these: a directory merge must
        # not hand case records to another force's or panel's people. Not counted: a number of
        # cases per force or panel must pass casework's statistical protection first.
        register_references(
            Relation(
                Referral,
                "force",
                kept_on_merge="a referral stays with the police force whose Prevent team "
                "received it",
                counted=False,
            ),
            Relation(
                Referral,
                "panel",
                kept_on_merge="a referral stays with the Channel panel that holds it",
                counted=False,
            ),
        )
