from django.core.management.base import BaseCommand

from movement.demo import demo_users_remove


class Command(BaseCommand):
    help = "Delete every demo account (run this if a production database ever received one)."

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {demo_users_remove()} rows.")
