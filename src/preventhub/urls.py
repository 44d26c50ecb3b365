"""Every route of Prevent Hub. Each view declares its access (``preventhub.core.access``)."""

from django.urls import include, path

from preventhub.api.urls import api_urls

urlpatterns = [
    path("", include("preventhub.core.urls")),
    path("", include("preventhub.accounts.urls")),
    path("partnership/", include("preventhub.partnership.urls")),
    path("schools/audits/", include("preventhub.audits.urls")),
    path("schools/", include("preventhub.schools.urls")),
    path("school-audit/", include("preventhub.audits.link.urls")),
    path("plan/reports/", include("preventhub.delivery.report_urls")),
    path("plan/", include("preventhub.delivery.urls")),
    path("returns/", include("preventhub.returns.urls")),
    path("training/", include("preventhub.training.urls")),
    path("local-profile/", include("preventhub.localprofile.urls")),
    path("cases/", include("preventhub.casework.urls")),
    path("api/v1/", api_urls()),
    path("api/", include("preventhub.api.urls")),
    path("self-assessment/your-school/", include("preventhub.assessment.link.own_urls")),
    path("self-assessment/", include("preventhub.assessment.urls")),
    path("school-self-assessment/", include("preventhub.assessment.link.urls")),
    path("engagement/", include("preventhub.engagement.urls")),
    path("reports/", include("preventhub.reports.urls")),
    path("guidance/", include("preventhub.guidance.urls")),
    path("information-sharing/", include("preventhub.exchange.urls")),
]

handler500 = "preventhub.core.views.server_error"
