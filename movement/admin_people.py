"""The users' admin pages for the secretariat: invite people in bulk, hand over what a person owns.

Each is a preview first (nothing written), then a confirming POST. The model admin (movement/admin.py)
wires them into its URLs; the writes are in movement/people.py.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import access, people
from .models import User


class InviteForm(forms.Form):
    people = forms.CharField(
        label=gettext_lazy("People to invite"),
        widget=forms.Textarea(attrs={"rows": 12, "cols": 80, "dir": "auto", "spellcheck": "false"}),
        max_length=60_000,
        help_text=gettext_lazy(
            "One person a line: name, email, role, language (commas or tabs, as copied from a "
            "spreadsheet). Role: member (if empty), secretariat, head:<department>, staff:<department> or "
            "coordinator:<region>; language: he (if empty) or en."
        ),
    )


def invite_view(model_admin, request):
    """Paste lines → see every person (or every bad line) → invite them all, or nobody."""
    if not access.may_manage_users(request.user):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Invite people"),
    }
    form = InviteForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "admin/movement/user/invite.html", {**context, "form": form})
    invitees, errors = people.invitations_parse(form.cleaned_data["people"])
    if errors:
        context["errors"] = errors
    elif "confirm" in request.POST:
        try:
            users = people.people_invite(invitees=invitees, by=request.user)
        except ValidationError as error:
            context["errors"] = [people.LineError(0, "", " ".join(error.messages))]
        else:
            for user in users:
                model_admin.log_addition(request, user, _("Invited by email"))
            model_admin.message_user(
                request,
                ngettext(
                    "%(count)d person was invited; the email with their link is on its way.",
                    "%(count)d people were invited; the emails with their links are on their way.",
                    len(users),
                )
                % {"count": len(users)},
                messages.SUCCESS,
            )
            return redirect("admin:movement_user_changelist")
    else:
        context["invitees"] = invitees
    return render(request, "admin/movement/user/invite.html", {**context, "form": form})


class HandoverForm(forms.Form):
    successor = forms.ModelChoiceField(
        label=gettext_lazy("Successor"),
        # Every account, so that choosing an inactive one gets a message that says so.
        queryset=User.objects.order_by("full_name"),
        empty_label=gettext_lazy("Choose a person"),
        error_messages={"invalid_choice": gettext_lazy("Choose the person who takes over.")},
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_successor(self):
        successor = self.cleaned_data["successor"]
        problem = people.handover_check(person=self.person, successor=successor)
        if problem:
            raise ValidationError(problem)
        return successor


def handover_view(model_admin, request, object_id):
    """Choose a successor → see what moves → hand it all over in one transaction."""
    if not access.may_manage_users(request.user):
        raise PermissionDenied
    person = get_object_or_404(User, pk=object_id)
    preview = people.handover_preview(person)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": person,
        "person": person,
        "preview": preview,
        "title": _("Hand over what %(name)s owns") % {"name": person},
    }
    form = HandoverForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        successor = form.cleaned_data["successor"]
        if "confirm" not in request.POST:
            context["successor"] = successor
        elif preview.is_empty:
            model_admin.message_user(request, _("%(name)s owns nothing to hand over.") % {"name": person})
            return redirect("admin:movement_user_change", person.pk)
        else:
            done = people.person_hand_over(person=person, successor=successor, by=request.user)
            summary = _(
                "Handed over to %(successor)s: %(goals)d goals, %(decisions)d decisions, %(follow_ups)d "
                "follow-ups, %(headships)d headships, %(regions)d regions."
            ) % {
                "successor": successor,
                "goals": done.goals,
                "decisions": done.decisions,
                "follow_ups": done.follow_ups,
                "headships": len(done.departments) + len(done.units),
                "regions": len(done.regions),
            }
            model_admin.log_change(request, person, summary)
            model_admin.log_change(
                request,
                successor,
                _("Took over from %(person)s (%(by)s)") % {"person": person, "by": request.user},
            )
            for place in [*done.departments, *done.units, *done.regions]:
                model_admin.log_change(request, place, summary)
            model_admin.message_user(request, summary, messages.SUCCESS)
            return redirect("admin:movement_user_change", person.pk)
    return render(request, "admin/movement/user/handover.html", {**context, "form": form})
