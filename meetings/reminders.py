"""The meetings app's reminders: a weekly digest of decisions coming due or overdue to each owner, a
reminder to participants two days before a meeting, and a notice to a decision's new owner."""

import datetime
from itertools import groupby

from django.urls import reverse

from movement import reminders
from movement.models import Reminder

from .models import Decision, Meeting, Participant

DUE_SOON_DAYS = 7
MEETING_NOTICE_DAYS = 2


def decision_digests(today):
    horizon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    decisions = (
        Decision.objects.open()
        .filter(owner__isnull=False, owner__is_active=True, due_date__lte=horizon)
        .select_related("meeting__body", "owner")
        .order_by("owner_id", "due_date", "meeting_id", "number")
    )
    period = reminders.week_period(today)
    for _owner_id, group in groupby(decisions, key=lambda decision: decision.owner_id):
        group = list(group)
        owner = group[0].owner
        yield reminders.Message(
            recipient=owner,
            kind=Reminder.Kind.DECISIONS_DUE,
            key=f"decisions:{owner.pk}:{period}",
            template="meetings/email/decisions_due",
            path=reverse("meetings:my_decisions"),
            context={
                "overdue": [d for d in group if d.due_date < today],
                "due_soon": [d for d in group if d.due_date >= today],
                "today": today,
            },
        )


def meeting_notices(today):
    """Participants with an account hear of a meeting two days ahead (or at the next round if missed)."""
    horizon = today + datetime.timedelta(days=MEETING_NOTICE_DAYS)
    participants = (
        Participant.objects.filter(
            meeting__status=Meeting.Status.SCHEDULED,
            meeting__date__gte=today,
            meeting__date__lte=horizon,
            user__isnull=False,
        )
        .select_related("meeting__body", "user")
        .order_by("meeting_id", "order")
    )
    for participant in participants:
        meeting = participant.meeting
        yield reminders.Message(
            recipient=participant.user,
            kind=Reminder.Kind.MEETING_SOON,
            key=f"meeting:{meeting.pk}:{meeting.date.isoformat()}",
            template="meetings/email/meeting_soon",
            path=meeting.get_absolute_url(),
            context={"meeting": meeting},
        )


def notify_owner(decision):
    reminders.notify_assigned(
        decision.owner,
        key=f"decision:{decision.pk}",
        template="meetings/email/decision_assigned",
        path=decision.get_absolute_url(),
        context={"decision": decision},
    )
