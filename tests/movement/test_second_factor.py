"""Secretariat staff sign in with a second factor (django-otp TOTP) when OTP_REQUIRED is on."""

import base64
import re
import time

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from movement.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings):
    settings.OTP_REQUIRED = True
    settings.AXES_ENABLED = False


def sign_in(client, user):
    user.set_password(DEMO_PASSWORD)
    user.save()
    response = client.post(reverse("login"), {"username": user.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return response


def code_for(device, offset=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def test_a_password_alone_gives_the_secretariat_nothing(client, personas, required):
    sign_in(client, personas["secretariat"])
    for url in (reverse("home"), reverse("admin:index"), reverse("plans:index")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("second_factor")), url


def test_setting_up_the_app_then_signing_in_with_a_code(client, personas, required):
    secretariat = personas["secretariat"]
    sign_in(client, secretariat)
    page = client.get(reverse("second_factor") + "?next=/admin/")
    html = page.content.decode()
    assert page.status_code == 200 and "data:image/svg+xml;base64," in html
    secret = re.search(r'<code dir="ltr" class="otp-secret">([A-Z2-7]+)</code>', html).group(1)
    device = TOTPDevice.objects.get(user=secretariat, confirmed=False)
    assert secret.rstrip("=") == base64.b32encode(device.bin_key).decode().rstrip("=")

    wrong = client.post(reverse("second_factor"), {"code": "000000", "next": "/admin/"})
    assert wrong.status_code == 422 and "הקוד שגוי" in wrong.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302
    # Straight after a wrong code even the right one waits (django-otp throttles: 1 s, then 2, 4 …).
    throttled = client.post(reverse("second_factor"), {"code": code_for(device), "next": "/admin/"})
    assert throttled.status_code == 422 and "יותר מדי קודים שגויים" in throttled.content.decode()
    time.sleep(2.1)

    right = client.post(reverse("second_factor"), {"code": code_for(device), "next": "/admin/"})
    assert right.status_code == 302 and right.url == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed

    # The next sign-in asks only for the code: no QR code, no new device.
    client.logout()
    sign_in(client, secretariat)
    html = client.get(reverse("second_factor")).content.decode()
    assert "data:image/svg+xml" not in html and "otp-secret" not in html
    assert TOTPDevice.objects.filter(user=secretariat).count() == 1


@pytest.mark.parametrize("code", ["", "12345", "abcdef", "1234567"])
def test_a_malformed_code_is_refused_with_a_message(client, personas, required, code):
    sign_in(client, personas["secretariat"])
    response = client.post(reverse("second_factor"), {"code": code})
    assert response.status_code == 422
    assert client.get(reverse("home")).status_code == 302


def test_a_foreign_next_url_is_ignored(client, personas, required):
    secretariat = personas["secretariat"]
    sign_in(client, secretariat)
    client.get(reverse("second_factor"))
    device = TOTPDevice.objects.get(user=secretariat)
    response = client.post(
        reverse("second_factor"), {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == "/"


def test_members_and_heads_are_not_asked(client, personas, required):
    sign_in(client, personas["member"])
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("second_factor")).status_code == 302


def test_in_development_the_secretariat_goes_straight_in(client, personas, settings):
    settings.OTP_REQUIRED = False
    settings.AXES_ENABLED = False
    sign_in(client, personas["secretariat"])
    assert client.get(reverse("admin:index")).status_code == 200


def test_production_requires_the_second_factor_by_default():
    from tests.movement.test_settings import PRODUCTION, manage

    out = manage(
        "shell", "-c", "from django.conf import settings; print(settings.OTP_REQUIRED)", **PRODUCTION
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "True"
