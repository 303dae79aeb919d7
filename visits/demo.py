"""A believable year of coordinators' visits for the demo, and synthetic visits for benchmarks."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from movement.models import Region, User

from .models import FollowUp, PersonMet, Topic, Visit

SUMMARIES = [
    "פגישה עם המזכירות על תכנית הצמיחה הדמוגרפית וקליטת משפחות צעירות.",
    "שיחה עם מנהלת הקהילה על מצב הרווחה והסיעוד ועל צורכי הוותיקים.",
    "סיור מטה עם נציגי האגפים: חינוך, צעירים וכלכלה.",
    "פגישה במועצה האזורית על תכנון ובנייה והרחבה קהילתית.",
    "מעקב אחר תהליך שיוך הדירות והשלב הבא באסיפה.",
    'שיחה טלפונית עם יו"ר הקיבוץ על ההכנות לכנס ההנהגות.',
]
ROLES = ["מזכיר/ה", "מנהל/ת קהילה", 'יו"ר', "מרכז/ת משק"]
NAMES = ["רונית", "אורי", "שירה", "דוד", "מיכל", "יעקב", "נעמה", "עמית"]


@transaction.atomic
def demo_visits_create(*, seed=2026, today=None):
    """Give every region a coordinator (demo accounts where it has none) and a year of visits.

    Replaces the demo coordinators' earlier visits, so running it again gives the same history.
    """
    from movement.demo import DEMO_PASSWORD

    today = today or timezone.localdate()
    rng = random.Random(seed)
    topics = list(Topic.objects.all())
    made = 0
    for region in Region.objects.prefetch_related("kibbutzim", "coordinators").order_by("slug"):
        coordinators = list(region.coordinators.all())
        if not coordinators:
            user, created = User.objects.get_or_create(
                email=f"coordinator-{region.slug}@demo.example",
                defaults={"full_name": f"רכז/ת {region.name}", "is_demo": True},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            region.coordinators.add(user)
            coordinators = [user]
        Visit.objects.filter(
            coordinator__in=[c for c in coordinators if c.is_demo], kibbutzim__region=region
        ).delete()
        kibbutzim = list(region.kibbutzim.all())
        if not kibbutzim:
            continue
        # Most kibbutzim visited a few times, some not for months: coverage has something to show.
        for kibbutz in kibbutzim:
            for _ in range(rng.choice([0, 1, 1, 2, 3, 4])):
                date = today - datetime.timedelta(days=rng.randint(0, 360))
                visit = Visit.objects.create(
                    coordinator=rng.choice(coordinators),
                    date=date,
                    kind=rng.choice(["routine", "routine", "routine", "hq_tour", "phone", "council"]),
                    summary=rng.choice(SUMMARIES),
                    question="האם התנועה תומכת בהרחבה קהילתית בקיבוצים בתת-איכלוס?"
                    if rng.random() < 0.05
                    else "",
                )
                visit.kibbutzim.add(kibbutz)
                visit.topics.set(rng.sample(topics, k=min(2, len(topics))))
                PersonMet.objects.create(visit=visit, name=rng.choice(NAMES), role=rng.choice(ROLES))
                if rng.random() < 0.3:
                    FollowUp.objects.create(
                        visit=visit, text="לשלוח חומר רקע לאגף", owner=visit.coordinator,
                        due_date=date + datetime.timedelta(days=21), status="done" if date < today - datetime.timedelta(days=60) else "open",
                    )  # fmt: skip
                made += 1
    return made


def synthetic_visits(*, count=2000, coordinator, kibbutzim, today=None):
    """Visits written in bulk (no people or follow-ups), spread over the last year."""
    today = today or timezone.localdate()
    visits = Visit.objects.bulk_create(
        Visit(
            coordinator=coordinator,
            date=today - datetime.timedelta(days=i % 365),
            kind="routine",
            summary=f"ביקור {i}",
        )
        for i in range(count)
    )
    through = Visit.kibbutzim.through
    through.objects.bulk_create(
        through(visit_id=visit.pk, kibbutz_id=kibbutzim[i % len(kibbutzim)].pk)
        for i, visit in enumerate(visits)
    )
    return visits
