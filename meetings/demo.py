"""Synthetic meetings and decisions, written in bulk: for query-count tests and benchmarks."""

import datetime

from movement.models import Body

from .models import AgendaItem, Decision, Meeting, Participant


def synthetic_meetings(
    *,
    meetings=200,
    decisions_per_meeting=10,
    participants=20,
    owner=None,
    body_slug="cooperative-hq-secretariat",
):
    body = Body.objects.get(slug=body_slug)
    start = datetime.date(2020, 1, 1)
    objs = Meeting.objects.bulk_create(
        Meeting(
            body=body,
            title=f"ישיבה {i}",
            date=start + datetime.timedelta(days=i),
            status=Meeting.Status.APPROVED,
        )
        for i in range(meetings)
    )
    items = AgendaItem.objects.bulk_create(
        AgendaItem(meeting=m, order=1, label="א", title="נושא") for m in objs
    )
    statuses = list(Decision.Status)
    Decision.objects.bulk_create(
        Decision(
            meeting=item.meeting,
            item=item,
            number=n,
            text=f"החלטה {n} של ישיבה {i}",
            owner=owner,
            status=statuses[(i + n) % len(statuses)],
            due_date=item.meeting.date + datetime.timedelta(days=30),
        )  # fmt: skip
        for i, item in enumerate(items)
        for n in range(1, decisions_per_meeting + 1)
    )
    Participant.objects.bulk_create(
        Participant(meeting=meeting, order=j, name=f"משתתף {j}")
        for meeting in objs
        for j in range(participants)
    )
    return objs
