from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="index"),
    path("<int:pk>/", views.meeting_detail, name="meeting"),
    path("decisions/", views.decision_tracker, name="decisions"),
    path("decisions/mine/", views.my_decisions, name="my_decisions"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("decisions/<int:pk>/status/", views.decision_status, name="decision_status"),
]
