"""The shell's pages: the sign-in wall, the home page per role, language, errors, headers."""

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from movement.models import Kibbutz

pytestmark = pytest.mark.django_db


def _all_named_routes(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _all_named_routes(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, pattern


def test_anonymous_visitors_are_sent_to_login_except_on_public_pages(client, reference_data):
    kibbutz = Kibbutz.objects.first()
    checked = 0
    for name, pattern in _all_named_routes():
        if name.startswith("admin:") and pattern.pattern.converters:
            continue  # admin object URLs: covered by the admin tests
        kwargs = {}
        for key in pattern.pattern.converters:
            kwargs[key] = {"slug": kibbutz.slug, "uidb64": "MQ", "token": "x-y"}.get(key, "1")
        try:
            url = reverse(name, kwargs=kwargs)
        except Exception:
            continue
        response = client.get(url)
        checked += 1
        if name in settings.PUBLIC_URL_NAMES:
            assert response.status_code in (200, 302, 400, 405), name  # 400: a made-up token
            if response.status_code == 302:
                assert not response.url.startswith(reverse("login")), name
        else:
            assert response.status_code == 302, name
            assert response.url.startswith(reverse("login") + "?next="), name
    assert checked > 15


def test_an_unknown_url_redirects_anonymous_visitors_to_login(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_an_unknown_url_gives_a_hebrew_404_page_to_a_signed_in_user(client, personas):
    client.force_login(personas["member"])
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "הדף לא נמצא" in response.content.decode()


def test_the_login_page_is_hebrew_and_right_to_left(client):
    response = client.get(reverse("login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="he" dir="rtl">' in body
    assert "כניסה" in body


def test_the_login_page_is_english_for_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="en" dir="ltr">' in response.content.decode()


def test_wrong_credentials_give_a_clear_hebrew_message(client, personas):
    response = client.post(
        reverse("login"), {"username": personas["member"].email, "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "כתובת הדוא״ל או הסיסמה שגויים" in response.content.decode()


def test_a_member_signs_in_with_email_and_lands_home(client, personas):
    member = personas["member"]
    response = client.post(
        reverse("login"), {"username": member.email.upper(), "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_login_is_throttled_after_repeated_failures(client, personas):
    member = personas["member"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": member.email, "password": "wrong-password"})
    response = client.post(reverse("login"), {"username": member.email, "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "ניסיונות" in response.content.decode()


def test_home_shows_a_head_their_department(client, personas):
    client.force_login(personas["youth_head"])
    body = client.get(reverse("home")).content.decode()
    assert "אגף צעירים" in body
    assert "המחלקות שלי" in body


def test_home_shows_a_coordinator_their_regions(client, personas):
    client.force_login(personas["negev_coordinator"])
    body = client.get(reverse("home")).content.decode()
    assert "האזורים שלי" in body
    assert "הנגב" in body


def test_home_offers_the_admin_to_the_secretariat_only(client, personas):
    client.force_login(personas["secretariat"])
    assert reverse("admin:index") in client.get(reverse("home")).content.decode()
    client.force_login(personas["member"])
    assert reverse("admin:index") not in client.get(reverse("home")).content.decode()


def test_home_runs_a_bounded_number_of_queries(client, personas, django_assert_max_num_queries):
    client.force_login(personas["negev_coordinator"])
    # session, user, departments of the user, regions + their kibbutzim (prefetch), open decisions,
    # whether the menu shows visits
    with django_assert_max_num_queries(7):
        assert client.get(reverse("home")).status_code == 200


def test_kibbutz_list_runs_a_bounded_number_of_queries(client, personas, django_assert_max_num_queries):
    client.force_login(personas["member"])
    # session, user, regions, their kibbutzim, whether the menu shows visits
    with django_assert_max_num_queries(5):
        response = client.get(reverse("kibbutz_list"))
    assert "בארי" in response.content.decode()


def test_kibbutz_page_shows_region_and_council(client, personas):
    client.force_login(personas["member"])
    response = client.get(reverse("kibbutz", args=["beeri"]))
    body = response.content.decode()
    assert "הנגב" in body and "אשכול" in body


def test_an_unknown_kibbutz_is_a_404(client, personas):
    client.force_login(personas["member"])
    assert client.get(reverse("kibbutz", args=["no-such-kibbutz"])).status_code == 404


def test_department_pages_list_heads_and_units(client, personas, django_assert_max_num_queries):
    client.force_login(personas["member"])
    with django_assert_max_num_queries(6):
        body = client.get(reverse("departments:list")).content.decode()
    assert "יואב ראש צעירים" in body
    body = client.get(reverse("department", args=["society-community"])).content.decode()
    assert "מטה תרבות" in body


def test_language_switch_keeps_the_choice_in_the_profile(client, personas):
    member = personas["member"]
    client.force_login(member)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302 and response.url == reverse("home")
    member.refresh_from_db()
    assert member.preferred_language == "en"
    assert '<html lang="en" dir="ltr">' in client.get(reverse("home")).content.decode()


def test_language_switch_refuses_get_and_foreign_redirects(client, personas):
    member = personas["member"]
    client.force_login(member)
    assert client.get(reverse("set_language"), {"language": "en"}).status_code == 405
    member.refresh_from_db()
    assert member.preferred_language == "he"
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response.url == "/"


def test_language_switch_ignores_an_unknown_language(client, personas):
    member = personas["member"]
    client.force_login(member)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    member.refresh_from_db()
    assert member.preferred_language == "he"


def test_the_accessibility_statement_is_public_in_both_languages(client):
    body = client.get(reverse("accessibility")).content.decode()
    assert "הצהרת נגישות" in body and "5568" in body
    body = client.get(reverse("accessibility"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Accessibility statement" in body


def test_health_reports_the_database(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.redis
def test_health_reports_redis_when_it_is_configured(client):
    assert client.get(reverse("health")).json()["redis"] == "ok"


def test_health_fails_when_redis_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["redis"] == "error"


def test_pages_send_the_security_headers(client, personas):
    client.force_login(personas["member"])
    response = client.get(reverse("home"), secure=True)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_password_reset_sends_a_hebrew_email_with_a_site_url_link(client, personas, mailoutbox, settings):
    settings.SITE_URL = "https://portal.example.org"
    response = client.post(reverse("password_reset"), {"email": personas["member"].email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert "https://portal.example.org/password-reset/" in message.body
    html = message.alternatives[0][0]
    assert 'dir="rtl"' in html and "סיסמה" in html


def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mailoutbox == []


@pytest.mark.parametrize(
    "url",
    [
        "/meetings/?body=%00",
        "/plans/2018/?status=%00x",
        "/departments/youth/?year=%00",
        "/kibbutzim/?q=a%00b",
    ],
)
def test_a_nul_character_in_a_parameter_is_a_400_not_a_500(client, personas, url):
    client.force_login(personas["member"])
    response = client.get(url)
    assert response.status_code == 400
    assert "הבקשה" in response.content.decode()


def test_a_nul_character_in_a_posted_field_is_a_400_and_changes_nothing(client, personas):
    member = personas["member"]
    client.force_login(member)
    response = client.post(reverse("reminder_settings"), {"kinds": ["meeting_soon\x00"]})
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.muted_reminders == []
