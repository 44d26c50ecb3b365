"""The school's secure-link journey, at /school-audit/ (see ``link_views``).

No route carries a school, response or round: the session, opened by the link, says which school.
"""

from django.urls import path

from preventhub.schools import link_views

app_name = "school_audit"

urlpatterns = [
    path("", link_views.enter, name="enter"),
    path("start/", link_views.start, name="start"),
    path("section/<int:number>/", link_views.section, name="section"),
    path("check/", link_views.check, name="check"),
    path("submitted/", link_views.submitted, name="submitted"),
    path("results/", link_views.results, name="results"),
    path("results/feedback.pdf", link_views.results_pdf, name="results_pdf"),
    path("action-plan/", link_views.action_plan, name="action_plan"),
    path("action-plan/<int:pk>/", link_views.action_item, name="action_item"),
    path("leave/", link_views.leave, name="leave"),
    path("left/", link_views.left, name="left"),
]
