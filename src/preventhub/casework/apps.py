from __future__ import annotations

from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "preventhub.casework"
    label = "casework"
    verbose_name = "Referrals and Channel casework"

    def ready(self) -> None:
        from preventhub.casework.models import Referral
        from preventhub.core.references import keep_on_merge

        # Which officers and which panel see a referral follows these: a directory merge must
        # not hand case records to another force's or panel's people. Not counted: a number of
        # cases per force or panel must pass casework's statistical protection first.
        keep_on_merge(
            Referral,
            "force",
            reason="a referral stays with the police force whose Prevent team received it",
            counted=False,
        )
        keep_on_merge(
            Referral,
            "panel",
            reason="a referral stays with the Channel panel that holds it",
            counted=False,
        )
