"""A school's or college's own self-assessment, at /school-self-assessment/ (see ``views``).

No route carries a school: the session opened by the school's secure audit link says which.
"""

from django.urls import path

from preventhub.assessment.link import views

app_name = "school_assessment"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.assessment, name="assessment"),
    path("<int:pk>/sign-off/", views.sign_off, name="sign_off"),
    path("ratings/<int:pk>/", views.rating, name="rating"),
    path("ratings/<int:pk>/actions/new/", views.finding_new, name="finding_new"),
]
