"""The portal's URLs. The public ones are listed in settings.PUBLIC_URL_NAMES."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from plans import views as plan_views

from . import forms, job_views, search_views, second_factor, views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=forms.LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            form_class=forms.PasswordResetForm,
            email_template_name="registration/password_reset_email.txt",
            html_email_template_name="registration/password_reset_email.html",
        ),
        name="password_reset",
    ),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path("password-change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password-change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("account/second-factor/", second_factor.second_factor, name="second_factor"),
    path("language/", views.set_language, name="set_language"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("health/", views.health, name="health"),
    path("kibbutzim/", views.kibbutz_list, name="kibbutz_list"),
    path("kibbutzim/<slug:slug>/", views.kibbutz_detail, name="kibbutz"),
    path("search/", search_views.search, name="search"),
    path("reports/new/", job_views.report_request, name="report_request"),
    path("reports/<int:pk>/", job_views.report_detail, name="report"),
    path("reports/<int:pk>/download/", job_views.report_download, name="report_download"),
    path("account/reminders/", job_views.reminder_settings, name="reminder_settings"),
    path("reminders/stop/<str:token>/", job_views.reminders_unsubscribe, name="reminders_unsubscribe"),
    path("departments/", include("departments.urls")),
    # The department page shows its goals, so the plans app serves it (departments import no app).
    path("departments/<slug:slug>/", plan_views.department_detail, name="department"),
    path("plans/", include("plans.urls")),
    path("meetings/", include("meetings.urls")),
    path("visits/", include("visits.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCH_FLOOR:
    urlpatterns.append(path("bench/floor/", views.bench_floor, name="bench_floor"))
