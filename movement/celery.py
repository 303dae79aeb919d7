"""The Celery app. Configuration comes from Django's settings (the CELERY_ namespace)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movement.settings")

app = Celery("movement")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
