"""Every route of Prevent Hub. Each view declares its access (``preventhub.core.access``)."""

from django.urls import include, path

urlpatterns = [
    path("", include("preventhub.core.urls")),
    path("", include("preventhub.accounts.urls")),
    path("partnership/", include("preventhub.partnership.urls")),
    path("schools/", include("preventhub.schools.urls")),
    path("plan/reports/", include("preventhub.delivery.report_urls")),
    path("plan/", include("preventhub.delivery.urls")),
    path("cases/", include("preventhub.casework.urls")),
]

handler500 = "preventhub.core.views.server_error"
