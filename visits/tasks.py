from celery import shared_task
from django.conf import settings

from .services import visit_remove_names


@shared_task(time_limit=300, soft_time_limit=240)
def visit_retention_task():
    """Scheduled daily: remove the names of people met from visits past the retention period."""
    return visit_remove_names(older_than_days=settings.VISIT_RETENTION_DAYS)
