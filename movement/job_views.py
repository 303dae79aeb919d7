"""Pages for the background jobs: a report's status and download, and a person's reminder settings
(with the unsubscribe link's confirming form: a GET never changes anything)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import reminders, reports
from .models import Reminder, ReportJob


def _readable_job(request, pk):
    job = get_object_or_404(ReportJob, pk=pk)
    kind = reports.get_kind(job.kind)
    obj = kind.get_object(job) if kind else None
    if obj is None:
        raise Http404
    if not kind.can_read(request.user, obj, job):
        raise PermissionDenied
    return job, kind, obj


@require_safe
def report_detail(request, pk):
    """The report's status; while it is being made the page asks again every two seconds (htmx)."""
    job, kind, obj = _readable_job(request, pk)
    context = {"job": job, "object_url": kind.object_url(obj, job)}
    if request.headers.get("HX-Request"):
        return render(request, "movement/includes/report_status.html", context)
    return render(request, "movement/report_detail.html", context)


@require_safe
def report_download(request, pk):
    job, kind, obj = _readable_job(request, pk)
    if job.status != ReportJob.Status.DONE or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle, as_attachment=True, filename=kind.filename(obj, job), content_type="application/pdf"
    )


class ReportRequestForm(forms.Form):
    kind = forms.CharField(max_length=20)
    object_id = forms.IntegerField(min_value=1)
    part_id = forms.IntegerField(min_value=1, required=False)
    language = forms.ChoiceField(choices=get_user_model().Language.choices, required=False)


@require_POST
def report_request(request):
    """Ask for a PDF of a page's content: an up-to-date one is reused, else one is queued."""
    form = ReportRequestForm(request.POST)
    kind = reports.get_kind(form.data.get("kind", "")) if form.is_valid() else None
    if kind is None:
        messages.error(request, _("This report cannot be made. Please go back and try again."))
        return HttpResponseRedirect(reverse("home"))
    probe = ReportJob(
        kind=kind.name, object_id=form.cleaned_data["object_id"], part_id=form.cleaned_data["part_id"]
    )
    obj = kind.get_object(probe)
    if obj is None:
        raise Http404
    if not kind.can_read(request.user, obj, probe):
        raise PermissionDenied
    if kind.name == "department" and not probe.part_id:
        raise Http404
    language = form.cleaned_data["language"] or request.LANGUAGE_CODE[:2]
    job = reports.request_report(
        kind=kind.name, obj=obj, part_id=probe.part_id, language=language, user=request.user
    )
    return HttpResponseRedirect(job.get_absolute_url())


class ReminderSettingsForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Send me these reminders"),
        choices=Reminder.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def reminder_settings(request):
    user = request.user
    if request.method == "POST":
        form = ReminderSettingsForm(request.POST)
        if form.is_valid():
            wanted = set(form.cleaned_data["kinds"])
            user.muted_reminders = [kind for kind in Reminder.Kind.values if kind not in wanted]
            user.save(update_fields=["muted_reminders"])
            messages.success(request, _("Your reminder settings were saved."))
            return HttpResponseRedirect(reverse("reminder_settings"))
    else:
        muted = set(user.muted_reminders or [])
        form = ReminderSettingsForm(initial={"kinds": [k for k in Reminder.Kind.values if k not in muted]})
    recent = user.reminders.only("kind", "subject", "status", "created_at", "sent_at")[:10]
    return render(request, "movement/reminder_settings.html", {"form": form, "recent": recent})


@require_http_methods(["GET", "POST"])
def reminders_unsubscribe(request, token):
    """From an email's link: a GET shows what will be turned off; only the form's POST does it."""
    found = reminders.read_unsubscribe_token(token)
    user = None
    if found:
        user = get_user_model().objects.filter(pk=found[0], is_active=True).first()
    if user is None:
        return render(request, "movement/unsubscribe.html", {"invalid": True}, status=400)
    kind = Reminder.Kind(found[1])
    done = kind.value in (user.muted_reminders or [])
    if request.method == "POST" and not done:
        user.muted_reminders = [*(user.muted_reminders or []), kind.value]
        user.save(update_fields=["muted_reminders"])
        done = True
    return render(request, "movement/unsubscribe.html", {"kind": kind, "done": done, "person": user})
