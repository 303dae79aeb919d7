"""Coordinators' pages: log a visit from the field, a visit and its notes, my visits, coverage."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from movement.access import is_coordinator, is_secretariat
from movement.models import Kibbutz, KibbutzContact

from . import access, selectors, services
from .exporting import visits_dataset
from .forms import CoverageForm, FollowUpFormSet, PeopleFormSet, VisitFilterForm, VisitForm
from .models import FollowUp, Visit


def _allowed_kibbutzim(user):
    kibbutzim = Kibbutz.objects.filter(is_active=True).order_by("name")
    return kibbutzim if is_secretariat(user) else kibbutzim.filter(region__coordinators=user)


def visit_log(request, pk=None):
    """Log a visit (or edit one while its author still may)."""
    visit = None
    if pk is not None:
        visit = get_object_or_404(Visit, pk=pk)
        if not access.may_edit_visit(request.user, visit):
            raise PermissionDenied
    elif not (is_coordinator(request.user) or is_secretariat(request.user)):
        raise PermissionDenied
    allowed = _allowed_kibbutzim(request.user)
    initial = {"kibbutz": request.GET.get("kibbutz", "")[:100]} if visit is None else None
    form = VisitForm(request.POST or None, instance=visit, allowed_kibbutzim=allowed, initial=initial)
    people = PeopleFormSet(request.POST or None, instance=visit or Visit(), prefix="people")
    follow_ups = FollowUpFormSet(request.POST or None, instance=visit or Visit(), prefix="follow_ups")
    if request.method == "POST":
        if form.is_valid() and people.is_valid() and follow_ups.is_valid():
            saved = services.visit_save(
                form=form, people=people, follow_ups=follow_ups, coordinator=request.user
            )
            messages.success(request, _("The visit was saved."))
            return redirect(f"{saved.get_absolute_url()}?saved=1")
        status = 422
    else:
        status = 200
    return render(
        request,
        "visits/visit_form.html",
        {
            "form": form,
            "people": people,
            "follow_ups": follow_ups,
            "visit": visit,
            "allowed": allowed,
            "contacts": KibbutzContact.objects.filter(kibbutz__in=allowed).only("name"),
            "roles": KibbutzContact.Role.choices,
        },
        status=status,
    )


def visit_detail(request, pk):
    if not access.may_read_visit_notes(request.user):
        raise PermissionDenied
    visit = get_object_or_404(
        Visit.objects.select_related("coordinator").prefetch_related(
            "kibbutzim", "topics", "people", "follow_ups__owner"
        ),
        pk=pk,
    )
    services.notes_read(visit=visit, user=request.user)
    return render(
        request,
        "visits/visit_detail.html",
        {
            "visit": visit,
            "may_edit": access.may_edit_visit(request.user, visit),
            "saved": request.GET.get("saved") == "1",
            "today": timezone.localdate(),
        },
    )


@require_POST
def follow_up_status(request, pk):
    follow_up = get_object_or_404(FollowUp.objects.select_related("visit"), pk=pk)
    if not access.may_update_follow_up(request.user, follow_up):
        raise PermissionDenied
    status = request.POST.get("status")
    if status not in FollowUp.Status.values:
        messages.error(request, _("Unknown status."))
    else:
        services.follow_up_set_status(follow_up=follow_up, status=status)
        messages.success(request, _("The follow-up was updated."))
    return redirect(follow_up.visit.get_absolute_url())


def _filtered_visits(request):
    visits = Visit.objects.for_list()
    if not is_secretariat(request.user):
        visits = visits.filter(coordinator=request.user)
    form = VisitFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["start"]:
            visits = visits.filter(date__gte=data["start"])
        if data["end"]:
            visits = visits.filter(date__lte=data["end"])
        if data["kibbutz"]:
            visits = visits.filter(kibbutzim__name=data["kibbutz"].strip())
        if data["kind"]:
            visits = visits.filter(kind=data["kind"])
    return form, visits


def visit_list(request):
    if not access.may_read_visit_notes(request.user):
        raise PermissionDenied
    form, visits = _filtered_visits(request)
    page = Paginator(visits, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "visits/visit_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "allowed": _allowed_kibbutzim(request.user)},
    )


def visit_export(request, fmt):
    if not access.may_read_visit_notes(request.user):
        raise PermissionDenied
    _form, visits = _filtered_visits(request)
    dataset = visits_dataset(visits[:5000])
    if fmt == "csv":
        response = HttpResponse(dataset.export("csv"), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            dataset.export("xlsx"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="visits.{fmt}"'
    return response


def coverage(request):
    coordinator = is_coordinator(request.user)
    if not (coordinator or is_secretariat(request.user) or access.is_department_head(request.user)):
        raise PermissionDenied
    form = CoverageForm(request.GET or None)
    days = form.cleaned_data["days"] if form.is_valid() else 90
    # A coordinator sees their regions; the secretariat and department heads see every region.
    everything = is_secretariat(request.user) or not coordinator
    regions = list(selectors.regions_for(request.user, everything=everything))
    stale = list(selectors.kibbutzim_not_visited(regions, days=days))
    by_region = {region.pk: (region, []) for region in regions}
    for kibbutz in stale:
        by_region[kibbutz.region_id][1].append(kibbutz)
    months, per_coordinator = selectors.visits_per_coordinator_per_month(regions)
    peak = max((count for series in per_coordinator.values() for _, count in series), default=0) or 1
    # Bars of an SVG 12 units per month wide and 40 high; the table beside it gives the numbers.
    charts = [
        (name, [(i * 12, 40 - round(count * 40 / peak), round(count * 40 / peak), month, count)
                for i, (month, count) in enumerate(series)])
        for name, series in per_coordinator.items()
    ]  # fmt: skip
    return render(
        request,
        "visits/coverage.html",
        {
            "form": form,
            "days": days,
            "regions": [row for row in by_region.values()],
            "months": months,
            "per_coordinator": per_coordinator,
            "charts": charts,
            "chart_width": len(months) * 12,
            "questions": selectors.flagged_questions(regions),
            "today": timezone.localdate(),
        },
    )
