"""The visits app's reminders: a weekly digest of follow-ups coming due (or overdue) to the person who
owns them (the visit's coordinator where no owner is named), and a notice to a follow-up's new owner."""

import datetime
from itertools import groupby

from django.urls import reverse

from movement import reminders
from movement.models import Reminder

from .models import FollowUp

DUE_SOON_DAYS = 7


def follow_up_digests(today):
    horizon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    follow_ups = (
        FollowUp.objects.filter(status=FollowUp.Status.OPEN, due_date__lte=horizon)
        .select_related("owner", "visit__coordinator")
        .prefetch_related("visit__kibbutzim")
        .order_by("due_date", "pk")
    )
    # Stable sort: each person's follow-ups stay in due-date order.
    follow_ups = sorted((f for f in follow_ups if follow_up_person(f)), key=lambda f: follow_up_person(f).pk)
    period = reminders.week_period(today)
    for _pk, group in groupby(follow_ups, key=lambda f: follow_up_person(f).pk):
        group = list(group)
        person = follow_up_person(group[0])
        yield reminders.Message(
            recipient=person,
            kind=Reminder.Kind.FOLLOW_UPS_DUE,
            key=f"follow-ups:{person.pk}:{period}",
            template="visits/email/follow_ups_due",
            path=reverse("visits:list"),
            context={
                "overdue": [f for f in group if f.due_date < today],
                "due_soon": [f for f in group if f.due_date >= today],
                "count": len(group),
                "today": today,
            },
        )


def follow_up_person(follow_up):
    return follow_up.owner or follow_up.visit.coordinator


def notify_owner(follow_up):
    reminders.notify_assigned(
        follow_up.owner,
        key=f"follow-up:{follow_up.pk}",
        template="visits/email/follow_up_assigned",
        path=follow_up.visit.get_absolute_url(),
        context={"follow_up": follow_up},
    )
