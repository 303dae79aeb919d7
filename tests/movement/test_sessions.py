"""Sessions end when they should: a deactivated user at once, a changed password elsewhere, and the
secretariat's after a time without activity."""

import time

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_deactivated_users_session_ends_on_their_next_request(client, personas):
    member = personas["member"]
    client.force_login(member)
    assert client.get(reverse("home")).status_code == 200
    member.is_active = False
    member.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_password_change_ends_the_users_other_sessions(client, personas):
    member = personas["member"]
    client.force_login(member)
    member.set_password("a-new-long-password-123")
    member.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_secretariat_session_times_out_after_idling(client, personas, settings):
    settings.STAFF_IDLE_TIMEOUT = 1800
    client.force_login(personas["secretariat"])
    assert client.get(reverse("admin:index")).status_code == 200
    session = client.session
    session["staff_seen"] = int(time.time()) - 1801
    session.save()
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    # Signed out for good, with a message on the login page.
    page = client.get(response.url)
    assert "ללא פעילות" in page.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_an_active_secretariat_session_stays(client, personas, settings):
    settings.STAFF_IDLE_TIMEOUT = 1800
    client.force_login(personas["secretariat"])
    session = client.session
    session["staff_seen"] = int(time.time()) - 1700
    session.save()
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.session["staff_seen"] >= int(time.time()) - 5  # activity moves the clock on


def test_members_are_not_timed_out_like_the_secretariat(client, personas):
    client.force_login(personas["member"])
    session = client.session
    session["staff_seen"] = int(time.time()) - 99999
    session.save()
    assert client.get(reverse("home")).status_code == 200
