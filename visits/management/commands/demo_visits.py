from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from movement.reminders import muted_command as reminders_muted
from visits.demo import demo_visits_create


class Command(BaseCommand):
    help = (
        "Demo only: a believable year of visits in every region (demo coordinators where none). Repeatable."
    )

    @reminders_muted
    def handle(self, *args, **options):
        from django.conf import settings

        if settings.PRODUCTION:
            raise CommandError(
                str(ImproperlyConfigured("Demo data is for development only: DJANGO_DEBUG is off."))
            )
        self.stdout.write(f"{demo_visits_create()} demo visits.")
