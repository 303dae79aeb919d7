"""The roof's pages: home, kibbutzim, language, accessibility statement, health check."""

import datetime

from django.conf import settings
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from departments.services import departments_for_home
from visits import access as visit_access
from visits.models import FollowUp

from . import access
from .models import Kibbutz, Region


def home(request):
    """What is the signed-in user's to do, gathered from each app."""
    user = request.user
    regions = list(user.coordinated_regions.prefetch_related("kibbutzim"))
    return render(
        request,
        "home.html",
        {
            "departments": departments_for_home(user),
            "regions": regions,
            "open_decisions": user.owned_decisions.filter(status__in=["open", "in_progress"]).count(),
            "may_log_visits": bool(regions) or access.is_secretariat(user),
        },
    )


def kibbutz_list(request):
    regions = Region.objects.prefetch_related("kibbutzim")
    return render(request, "movement/kibbutz_list.html", {"regions": regions})


def kibbutz_detail(request, slug):
    kibbutz = get_object_or_404(
        Kibbutz.objects.select_related("region").prefetch_related("contacts", "region__coordinators"),
        slug=slug,
    )
    decisions = kibbutz.decisions.select_related("meeting__body", "owner").order_by("-meeting__date")
    visits = list(kibbutz.visits.select_related("coordinator").order_by("-date", "-pk")[:30])
    follow_ups = FollowUp.objects.filter(
        visit__kibbutzim=kibbutz, status=FollowUp.Status.OPEN
    ).select_related("owner", "visit")
    return render(
        request,
        "movement/kibbutz_detail.html",
        {
            "kibbutz": kibbutz,
            "decisions": decisions,
            "visits": visits,
            "last_visit": visits[0].date if visits else None,
            "follow_ups": follow_ups,
            "may_read_notes": visit_access.may_read_visit_notes(request.user),
            "may_log_visit": access.may_log_visit(request.user, kibbutz),
            "today": timezone.localdate(),
        },
    )


# The statement's date changes when its text does.
ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 11, 23)


def accessibility(request):
    return render(
        request,
        "accessibility.html",
        {
            "accessibility_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "statement_date": date_format(ACCESSIBILITY_STATEMENT_DATE, "DATE_FORMAT"),
        },
    )


@require_POST
def set_language(request):
    """Switch the interface language; a signed-in user's choice is kept in their profile."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES) and check_for_language(language):
        if request.user.is_authenticated:
            request.user.preferred_language = language
            request.user.save(update_fields=["preferred_language"])
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 60 * 60,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


@never_cache
@require_GET
def health(request):
    """For load balancers and compose: 200 when the database (and Redis, where used) answer."""
    status = {"database": "ok", "redis": "not configured"}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        status["database"] = "error"
        healthy = False
    if settings.REDIS_URL:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
            status["redis"] = "ok"
        except redis.RedisError:
            status["redis"] = "error"
            healthy = False
    return JsonResponse(status, status=200 if healthy else 503)


def bench_floor(request):
    """The benchmarks' floor: signed in, full middleware, one row, a tiny template.

    Routed only when DJANGO_BENCH_FLOOR=1 (bench/run.py sets it for its own server).
    """
    region = Region.objects.order_by("pk").first()
    return render(request, "bench_floor.html", {"region": region})
