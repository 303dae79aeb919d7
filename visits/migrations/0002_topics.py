"""The starting list of visit topics (the secretariat manages it in the admin)."""

from django.db import migrations

TOPICS = [
    "צמיחה דמוגרפית", "קליטה", "שיוך דירות", "חינוך", "רווחה וסיעוד", "בריאות", "כלכלה ומשק",
    "תכנון ובנייה", "קרקעות", "ממשל וקהילה", "צעירים", "תרבות", "ביטחון סוציאלי ופנסיה", "מועצה אזורית",
]  # fmt: skip


def create(apps, schema_editor):
    Topic = apps.get_model("visits", "Topic")
    for order, name in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
