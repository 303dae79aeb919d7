import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from meetings.models import Decision
from movement.models import Kibbutz, User
from movement.reminders import muted_command as reminders_muted
from plans.models import Goal


class Command(BaseCommand):
    help = (
        "Demo only: give the 2010 protocol's decisions an owner and a due date, and link one of them to a "
        "2018 goal and to a kibbutz (marked as demo links: the protocol predates the plan). Repeatable."
    )

    @transaction.atomic
    @reminders_muted
    def handle(self, *args, **options):
        decisions = list(
            Decision.objects.filter(meeting__date=datetime.date(2010, 12, 21)).order_by(
                "item__order", "number"
            )
        )
        if not decisions:
            raise CommandError("Load the 2010 protocol first (manage.py load_protocol).")
        head = User.objects.filter(email="head@demo.example").first()
        goal = Goal.objects.filter(plan__year=2018, department__slug="youth").order_by("order").first()
        for index, decision in enumerate(decisions):
            decision.owner = head
            decision.due_date = datetime.date(2011, 1, 31) + datetime.timedelta(days=30 * index)
            decision.save(update_fields=["owner", "due_date"])
        if goal:
            decisions[-1].goals.add(goal)
            decisions[-1].is_demo_link = True
            decisions[-1].save(update_fields=["is_demo_link"])
        decisions[0].kibbutzim.add(*Kibbutz.objects.filter(slug__in=["yotvata"]))
        self.stdout.write(
            f"{len(decisions)} decisions given an owner; demo link to goal {goal.pk if goal else '-'}."
        )
