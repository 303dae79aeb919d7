import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from movement.demo import DEMO_PASSWORD, DEMO_USERS
from movement.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_setup_creates_one_user_per_role(reference_data):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    users = {user.email: user for user in User.objects.filter(is_demo=True)}
    assert set(users) == {email for email, *_ in DEMO_USERS}
    assert users["secretariat@demo.example"].is_secretariat
    assert users["head@demo.example"].headed_departments.filter(slug="youth").exists()
    assert users["staff@demo.example"].staffed_departments.filter(slug="youth").exists()
    assert users["coordinator@demo.example"].coordinated_regions.filter(slug="negev").exists()


def test_demo_setup_is_repeatable(reference_data):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert User.objects.filter(is_demo=True).count() == len(DEMO_USERS)


def test_a_demo_account_cannot_sign_in_in_production_mode(reference_data, settings, rf):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    request = rf.post("/login/")
    assert authenticate(request, username="member@demo.example", password=DEMO_PASSWORD) is not None
    settings.PRODUCTION = True
    assert authenticate(request, username="member@demo.example", password=DEMO_PASSWORD) is None


def test_migrations_create_no_users(db):
    assert not User.objects.exists()
