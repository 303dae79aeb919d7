from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from movement.models import Body, Kibbutz, User
from movement.widgets import Select

from .models import Decision


class DecisionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Decision.Status.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class DecisionFilterForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("Body"),
        queryset=Body.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All bodies"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("open", _("Open or in progress")), ("", _("Any status"))] + list(Decision.Status.choices),
    )
    kibbutz = forms.ModelChoiceField(
        label=_("Kibbutz"),
        queryset=Kibbutz.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("Any kibbutz"),
        widget=Select,
    )
    owner = forms.ModelChoiceField(
        label=pgettext_lazy("person", "Owner"),
        # A semi-join: no DISTINCT over every decision's owner.
        queryset=User.objects.filter(Exists(Decision.objects.filter(owner=OuterRef("pk")))),
        required=False,
        empty_label=_("Any owner"),
        widget=Select,
    )
    goal = forms.IntegerField(label=_("Goal number"), required=False, min_value=1)
