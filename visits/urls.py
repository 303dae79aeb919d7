from django.urls import path, re_path

from . import views

app_name = "visits"

urlpatterns = [
    path("", views.visit_list, name="list"),
    path("new/", views.visit_log, name="log"),
    path("coverage/", views.coverage, name="coverage"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.visit_export, name="export"),
    path("<int:pk>/", views.visit_detail, name="visit"),
    path("<int:pk>/edit/", views.visit_log, name="edit"),
    path("follow-ups/<int:pk>/status/", views.follow_up_status, name="follow_up_status"),
]
