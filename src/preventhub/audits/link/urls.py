"""The school's secure-link journey, at /school-audit/ (see ``views``).

No route carries a school, response or round: the session, opened by the link, says which school.
"""

from django.urls import path

from preventhub.audits.link import views

app_name = "school_audit"

urlpatterns = [
    path("", views.enter, name="enter"),
    path("start/", views.start, name="start"),
    path("section/<int:number>/", views.section, name="section"),
    path("check/", views.check, name="check"),
    path("submitted/", views.submitted, name="submitted"),
    path("results/", views.results, name="results"),
    path("results/feedback.pdf", views.results_pdf, name="results_pdf"),
    path("action-plan/", views.action_plan, name="action_plan"),
    path("action-plan/<int:pk>/", views.action_item, name="action_item"),
    path("leave/", views.leave, name="leave"),
    path("left/", views.left, name="left"),
]
