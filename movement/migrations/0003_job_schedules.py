"""Schedule the reminder round and the sweep in django-celery-beat (editable by the secretariat)."""

from django.db import migrations

ROUND = "Reminder round"
SWEEP = "Re-queue unfinished reminders and reports"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    morning, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="7", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Jerusalem"
    )
    PeriodicTask.objects.get_or_create(
        name=ROUND,
        defaults={
            "task": "movement.tasks.reminder_round",
            "crontab": morning,
            "description": "Every morning: each app's reminders. Digests go once a week (the first round "
            "of the week); a key already sent is never sent again.",
        },
    )
    every_two_minutes, _ = IntervalSchedule.objects.get_or_create(every=2, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=SWEEP,
        defaults={
            "task": "movement.tasks.sweep",
            "interval": every_two_minutes,
            "description": "Hands back to the workers the reminders and reports the database records as "
            "unfinished (lost by the broker, or left by a worker that stopped).",
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[ROUND, SWEEP]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("movement", "0002_reminders_and_reports"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create, remove)]
