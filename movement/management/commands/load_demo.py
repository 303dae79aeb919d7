from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from movement.demo import DEMO_PASSWORD, demo_users_create
from movement.reminders import muted_command as reminders_muted


class Command(BaseCommand):
    help = "Create one demo account per role (development only; refused when DJANGO_DEBUG is off)."

    @reminders_muted
    def handle(self, *args, **options):
        try:
            users = demo_users_create()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        for role, user in users.items():
            self.stdout.write(f"{role:12} {user.email}  password: {DEMO_PASSWORD}")
