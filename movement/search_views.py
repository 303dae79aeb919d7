"""The search page: one box over the portal's goals, decisions, statements, visits and kibbutzim."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from visits.access import may_read_visit_notes

from . import search as portal_search


@require_GET
def search(request):
    query = request.GET.get("q", "")
    kind = request.GET.get("kind", "")
    kind = kind if kind in portal_search.KINDS else None
    context = {
        "query": query.strip()[: portal_search.MAX_LENGTH],
        "kind": kind,
        "groups": None,
        "error": None,
    }
    status = 200
    if "q" in request.GET:  # an empty box submitted is told so too (parse refuses it)
        try:
            words = portal_search.parse(query)
        except portal_search.QueryError as error:
            context["error"], status = error.message, error.status
        else:
            groups = portal_search.search(user=request.user, words=words, kind=kind)
            context["groups"] = [group for group in groups if group.total]
            context["total"] = sum(group.total for group in groups)
            context["per_kind"] = portal_search.PER_KIND_ALONE if kind else portal_search.PER_KIND
    # The menu asks this too; answered here once, it costs the page no second query.
    context["may_read_visits"] = may_read_visit_notes(request.user)
    return render(request, "movement/search.html", context, status=status)
