from django.core.management.base import BaseCommand, CommandError

from movement.models import User
from movement.reminders import muted_command as reminders_muted
from plans.demo import demo_progress_create
from plans.models import AnnualPlan


class Command(BaseCommand):
    help = (
        "Give a plan a believable, repeatable history of progress updates for the demo "
        "(replaces its existing updates; the same --seed gives the same history)."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, nargs="?", default=2018)
        parser.add_argument("--seed", type=int, default=2018)

    @reminders_muted
    def handle(self, *args, year, seed, **options):
        plan = AnnualPlan.objects.filter(year=year, body__isnull=True).first()
        if plan is None:
            raise CommandError(f"There is no movement plan for {year}.")
        authors = {None: User.objects.filter(is_secretariat=True).order_by("pk").first()}
        for user in User.objects.filter(headed_departments__isnull=False).prefetch_related(
            "headed_departments"
        ):
            for department in user.headed_departments.all():
                authors.setdefault(department.pk, user)
        count = demo_progress_create(plan=plan, authors=authors, seed=seed)
        self.stdout.write(f"{count} progress updates for {plan}.")
