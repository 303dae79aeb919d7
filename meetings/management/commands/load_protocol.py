from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings.services import protocol_load
from movement.reminders import muted_command as reminders_muted


class Command(BaseCommand):
    help = (
        "Load a reviewed protocol (fixtures/source/protocol-*.json) as a meeting; does nothing if it exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    @reminders_muted
    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        meeting = protocol_load(path=path)
        self.stdout.write(
            f"{meeting}: {meeting.participants.count()} participants, {meeting.items.count()} items, "
            f"{meeting.decisions.count()} decisions."
        )
