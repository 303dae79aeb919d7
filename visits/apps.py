from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("Coordinators' visits")

    def ready(self):
        from . import jobs, tasks  # noqa: F401  (tasks: registered for the periodic-task admin)

        jobs.register()
