"""Schedule the daily retention job in django-celery-beat (editable by the secretariat)."""

from django.db import migrations


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="3", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Jerusalem"
    )
    PeriodicTask.objects.get_or_create(
        name="Remove names from old visit notes",
        defaults={"task": "visits.tasks.visit_retention_task", "crontab": schedule},
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name="Remove names from old visit notes").delete()


class Migration(migrations.Migration):
    dependencies = [("visits", "0002_topics"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]
