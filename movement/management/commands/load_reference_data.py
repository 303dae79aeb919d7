from django.core.management.base import BaseCommand
from django.db import transaction

from departments.reference_data import load_departments
from movement.reference_data import load_core


class Command(BaseCommand):
    help = "Load (or update) regions, kibbutzim, bodies, departments and units from fixtures/."

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = load_core() | load_departments()
        for name, (created, total) in counts.items():
            self.stdout.write(f"{name}: {total} ({created} new)")
