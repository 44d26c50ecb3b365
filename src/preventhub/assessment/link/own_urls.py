"""A School DSL's own school's self-assessment, signed in, at /self-assessment/your-school/.

The same pages as the link's (``views``); no route carries a school: the account's address says
which (the school whose safeguarding contact it is).
"""

from preventhub.assessment.link.views import ACCOUNT, journey_urls

app_name = "own_assessment"

urlpatterns = journey_urls(ACCOUNT)
