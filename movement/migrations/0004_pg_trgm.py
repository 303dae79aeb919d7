"""The trigram extension the search uses on PostgreSQL: a no-op on SQLite and where it is present."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class KeepTrigramExtension(TrigramExtension):
    """CREATE EXTENSION IF NOT EXISTS pg_trgm (PostgreSQL only); never dropped going back.

    The database may have had it before this migration (the CI template does), and Django's own
    backwards step would also query pg_extension on SQLite.
    """

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


class Migration(migrations.Migration):
    dependencies = [
        ("movement", "0003_job_schedules"),
    ]

    operations = [
        KeepTrigramExtension(),
    ]
