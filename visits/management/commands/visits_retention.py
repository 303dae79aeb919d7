from django.conf import settings
from django.core.management.base import BaseCommand

from visits.services import visit_remove_names


class Command(BaseCommand):
    help = (
        "Remove the names of people met from visits older than VISIT_RETENTION_DAYS (also run daily by beat)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, days, **options):
        days = days or settings.VISIT_RETENTION_DAYS
        count = visit_remove_names(older_than_days=days)
        self.stdout.write(f"Names removed from {count} visits older than {days} days.")
