"""Reads for the coverage page: kibbutzim not visited for long, visits per coordinator per month."""

import datetime

from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from movement.models import Kibbutz, Region

from .models import Visit


def regions_for(user, *, everything):
    regions = Region.objects.prefetch_related("coordinators").order_by("name")
    return regions if everything else regions.filter(coordinators=user)


def kibbutzim_not_visited(regions, *, days, today=None):
    """Kibbutzim of `regions` with no visit in `days` days, never visited first, then stalest.

    "No visit since the cutoff" is a NOT EXISTS (stops at the first recent visit) and the last visit
    is looked up for those kibbutzim only, rather than a MAX over every visit of every kibbutz.
    """
    cutoff = (today or timezone.localdate()) - datetime.timedelta(days=days)
    visits_of = Visit.kibbutzim.through.objects.filter(kibbutz=OuterRef("pk"))
    return (
        Kibbutz.objects.filter(region__in=regions, is_active=True)
        .filter(~Exists(visits_of.filter(visit__date__gte=cutoff)))
        .annotate(last_visit=Subquery(visits_of.order_by("-visit__date").values("visit__date")[:1]))
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
    # A visit counts once however many of its kibbutzim are in the regions: a semi-join, no DISTINCT.
    in_regions = Visit.kibbutzim.through.objects.filter(visit=OuterRef("pk"), kibbutz__region__in=regions)
    rows = (
        Visit.objects.filter(date__gte=first)
        .filter(Exists(in_regions))
        .annotate(month=TruncMonth("date"))
        .values("coordinator__full_name", "month")
        .annotate(count=Count("pk"))
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
