from django.urls import path

from . import views

app_name = "plans"

# The movement's plan lives at /plans/2018/, a body's at /plans/<body>/2018/; the pages under a plan
# exist in both forms (reverse() picks the one the arguments fit).
urlpatterns = [
    path("", views.plan_index, name="index"),
    path("my-goals/", views.my_goals, name="my_goals"),
]
for prefix in ("<int:year>/", "<slug:body>/<int:year>/"):
    urlpatterns += [
        path(prefix, views.plan_detail, name="plan" if prefix == "<int:year>/" else "body_plan"),
        path(f"{prefix}dashboard/", views.plan_dashboard, name="dashboard"),
        path(f"{prefix}goals/<int:goal_id>/", views.goal_detail, name="goal"),
        path(f"{prefix}goals/<int:goal_id>/progress/", views.goal_progress, name="goal_progress"),
        path(f"{prefix}goals/<int:goal_id>/edit/", views.goal_edit, name="goal_edit"),
    ]
