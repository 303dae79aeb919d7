"""The admin: the secretariat's, in Hebrew, every model with search; closed to everyone else."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _admin_urls(request):
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        yield reverse(f"admin:{info[0]}_{info[1]}_changelist")
        if model_admin.has_add_permission(request):
            yield reverse(f"admin:{info[0]}_{info[1]}_add")


def test_the_secretariat_opens_every_admin_page_in_hebrew(client, personas, rf):
    client.force_login(personas["secretariat"])
    request = rf.get("/admin/")
    request.user = personas["secretariat"]
    urls = list(_admin_urls(request))
    assert len(urls) >= 12
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'dir="rtl"' in response.content.decode(), url


def test_every_core_model_is_in_the_admin_with_search():
    from departments.models import Department, Unit
    from movement.models import Body, Kibbutz, KibbutzContact, Region, User

    for model in (Region, Kibbutz, KibbutzContact, User, Body, Department, Unit):
        assert model in admin.site._registry, model
        assert admin.site._registry[model].search_fields, model


def test_admin_search_finds_a_kibbutz_by_its_hebrew_name(client, personas):
    client.force_login(personas["secretariat"])
    response = client.get(reverse("admin:movement_kibbutz_changelist"), {"q": "בארי"})
    assert response.status_code == 200
    assert "אשכול" in response.content.decode()


def test_kibbutz_changelist_runs_a_bounded_number_of_queries(client, personas, django_assert_max_num_queries):
    client.force_login(personas["secretariat"])
    with django_assert_max_num_queries(12):
        client.get(reverse("admin:movement_kibbutz_changelist"))


@pytest.mark.parametrize("persona", ["member", "youth_head", "negev_coordinator"])
def test_no_one_but_the_secretariat_gets_into_the_admin(client, personas, persona):
    user = personas[persona]
    user.is_staff = True  # even a staff flag set by mistake does not open it
    user.save()
    client.force_login(user)
    response = client.get(reverse("admin:movement_kibbutz_changelist"))
    assert response.status_code == 302
    assert "login" in response.url


def test_the_secretariat_creates_a_user_who_can_then_sign_in(client, personas):
    client.force_login(personas["secretariat"])
    response = client.post(
        reverse("admin:movement_user_add"),
        {
            "email": "new.head@example.org",
            "full_name": "ראש חדש",
            "password1": "a-long-new-password-42",
            "password2": "a-long-new-password-42",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    response = client.post(
        reverse("login"), {"username": "new.head@example.org", "password": "a-long-new-password-42"}
    )
    assert response.status_code == 302
