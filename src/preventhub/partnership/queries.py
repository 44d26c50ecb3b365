from __future__ import annotations

from django.db.models import QuerySet

from preventhub.partnership.models import Area, Organisation


def districts() -> QuerySet[Area]:
    return Area.objects.filter(kind=Area.Kind.DISTRICT).order_by("name")


def organisations() -> QuerySet[Organisation]:
    return Organisation.objects.select_related("area").order_by("name")
