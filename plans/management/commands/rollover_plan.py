from django.core.management.base import BaseCommand, CommandError

from movement.reminders import muted_command as reminders_muted
from plans.models import AnnualPlan
from plans.services import plan_rollover


class Command(BaseCommand):
    help = (
        "Copy a plan to another year (e.g. rollover_plan 2018 2019): sections and goals, unfinished "
        "goals marked as carried over; finished and cancelled goals stay behind unless --include-finished."
    )

    def add_arguments(self, parser):
        parser.add_argument("from_year", type=int)
        parser.add_argument("to_year", type=int)
        parser.add_argument("--owner", help="slug of the owning body; the movement as a whole if absent")
        parser.add_argument("--include-finished", action="store_true")

    @reminders_muted
    def handle(self, *args, from_year, to_year, owner, include_finished, **options):
        plans = AnnualPlan.objects.filter(year=from_year)
        plan = plans.filter(body__slug=owner).first() if owner else plans.filter(body__isnull=True).first()
        if plan is None:
            raise CommandError(f"There is no {from_year} plan for this owner.")
        if to_year <= from_year:
            raise CommandError("The new year must come after the plan's year.")
        try:
            new_plan = plan_rollover(plan=plan, to_year=to_year, include_finished=include_finished)
        except ValueError as error:
            raise CommandError(str(error)) from error
        carried = new_plan.goals.count()
        left = plan.goals.filter(is_archived=False).count() - carried
        self.stdout.write(f"{new_plan}: {carried} goals carried over, {left} left behind.")
