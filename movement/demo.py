"""Demo accounts, one per role, for `make run`. Never created in production mode.

Their logins are listed in README.md. They are marked `is_demo`, and the authentication backend
refuses them whenever DJANGO_DEBUG is off, even if one was copied into a production database.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

DEMO_PASSWORD = "kibbutz-demo-2026"

# email, full name, role, home kibbutz slug
DEMO_USERS = [
    ("secretariat@demo.example", "דנה לוי", "secretariat", "gan-shmuel"),
    ("head@demo.example", "יואב ברק", "head", "mishmar-haemek"),
    ("staff@demo.example", "נועה פרץ", "staff", "ramat-yohanan"),
    ("coordinator@demo.example", "אבי מזרחי", "coordinator", "revivim"),
    ("member@demo.example", "מיכל אורן", "member", "beeri"),
]
DEMO_DEPARTMENT = "youth"
DEMO_REGION = "negev"


@transaction.atomic
def demo_users_create():
    """Create or refresh the demo accounts and their roles; returns them by role."""
    from departments.models import Department

    from .models import Kibbutz, Region, User

    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo accounts are for development only: DJANGO_DEBUG is off.")

    users = {}
    for email, full_name, role, kibbutz_slug in DEMO_USERS:
        user, _ = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
        user.full_name = full_name
        user.is_demo = True
        user.is_secretariat = role == "secretariat"
        user.is_staff = role == "secretariat"
        user.home_kibbutz = Kibbutz.objects.filter(slug=kibbutz_slug).first()
        user.set_password(DEMO_PASSWORD)
        user.save()
        users[role] = user

    department = Department.objects.get(slug=DEMO_DEPARTMENT)
    department.heads.add(users["head"])
    department.staff.add(users["staff"])
    Region.objects.get(slug=DEMO_REGION).coordinators.add(users["coordinator"])
    return users


def demo_users_remove():
    from .models import User

    deleted, _ = User.objects.filter(is_demo=True).delete()
    return deleted
