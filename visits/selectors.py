"""Reads for the coverage page: kibbutzim not visited for long, visits per coordinator per month."""

import datetime

from django.db.models import Count, F, Max, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from movement.models import Kibbutz, Region

from .models import Visit


def regions_for(user, *, everything):
    regions = Region.objects.prefetch_related("coordinators").order_by("name")
    return regions if everything else regions.filter(coordinators=user)


def kibbutzim_not_visited(regions, *, days, today=None):
    """Kibbutzim of `regions` with no visit in `days` days, never visited first, then stalest."""
    cutoff = (today or timezone.localdate()) - datetime.timedelta(days=days)
    return (
        Kibbutz.objects.filter(region__in=regions, is_active=True)
        .annotate(last_visit=Max("visits__date"))
        .filter(Q(last_visit__isnull=True) | Q(last_visit__lt=cutoff))
        .select_related("region")
        .order_by(F("last_visit").asc(nulls_first=True), "name")
    )


def visits_per_coordinator_per_month(regions, *, months=12, today=None):
    """{coordinator: [(month, count), …]} for the last `months` months, every month present."""
    today = today or timezone.localdate()
    first = (today.replace(day=1) - datetime.timedelta(days=31 * (months - 1))).replace(day=1)
    month_list = []
    month = first
    while month <= today:
        month_list.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    rows = (
        Visit.objects.filter(date__gte=first, kibbutzim__region__in=regions)
        .annotate(month=TruncMonth("date"))
        .values("coordinator__full_name", "month")
        .annotate(count=Count("pk", distinct=True))
        .order_by("coordinator__full_name", "month")
    )
    counts = {}
    for row in rows:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        counts.setdefault(row["coordinator__full_name"], {})[month] = row["count"]
    return month_list, {
        name: [(m, by_month.get(m, 0)) for m in month_list] for name, by_month in counts.items()
    }


def flagged_questions(regions):
    return (
        Visit.objects.filter(kibbutzim__region__in=regions, question_answered=False)
        .exclude(question="")
        .select_related("coordinator")
        .prefetch_related("kibbutzim")
        .distinct()
        .order_by("-date")[:50]
    )
