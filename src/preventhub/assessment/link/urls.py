"""A school's or college's own self-assessment, at /school-self-assessment/ (see ``views``).

No route carries a school: the session opened by the school's secure audit link says which.
"""

from preventhub.assessment.link.views import LINK, journey_urls

app_name = "school_assessment"

urlpatterns = journey_urls(LINK)
