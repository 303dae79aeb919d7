from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from movement.models import Kibbutz

from .models import FollowUp, PersonMet, Topic, Visit


class VisitForm(forms.ModelForm):
    """A visit as a coordinator logs it from the field: the kibbutz typed, the rest short."""

    kibbutz = forms.CharField(
        label=_("Kibbutz"),
        help_text=_("Type part of its name and pick it from the list."),
        widget=forms.TextInput(attrs={"list": "kibbutz-names", "autocomplete": "off"}),
    )
    more_kibbutzim = forms.ModelMultipleChoiceField(
        label=_("More kibbutzim (a regional meeting)"),
        queryset=Kibbutz.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Visit
        fields = ["date", "kind", "topics", "summary", "question"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "topics": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 5}),
            "question": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {"summary": {"required": _("Write a short summary of the visit.")}}

    def __init__(self, *args, allowed_kibbutzim, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = allowed_kibbutzim
        self.fields["more_kibbutzim"].queryset = allowed_kibbutzim
        self.fields["topics"].queryset = Topic.objects.filter(is_active=True)
        if self.instance.pk:
            kibbutzim = list(self.instance.kibbutzim.all())
            if kibbutzim:
                self.fields["kibbutz"].initial = kibbutzim[0].name
                self.fields["more_kibbutzim"].initial = kibbutzim[1:]

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("A visit cannot be in the future."))
        return date

    def clean_kibbutz(self):
        name = self.cleaned_data["kibbutz"].strip()
        kibbutz = Kibbutz.objects.filter(name=name).first()
        if kibbutz is None:
            raise forms.ValidationError(_("There is no kibbutz named %(name)s.") % {"name": name})
        if not self.allowed.filter(pk=kibbutz.pk).exists():
            raise forms.ValidationError(_("%(name)s is not in your regions.") % {"name": name})
        return kibbutz

    def clean_summary(self):
        summary = self.cleaned_data["summary"].strip()
        if not summary:
            raise forms.ValidationError(_("Write a short summary of the visit."))
        return summary


PeopleFormSet = forms.inlineformset_factory(
    Visit,
    PersonMet,
    fields=["name", "role"],
    extra=2,
    can_delete=True,
    widgets={
        "name": forms.TextInput(attrs={"list": "contact-names", "autocomplete": "off"}),
        "role": forms.TextInput(attrs={"list": "contact-roles", "autocomplete": "off"}),
    },
)

FollowUpFormSet = forms.inlineformset_factory(
    Visit,
    FollowUp,
    fields=["text", "due_date"],
    extra=1,
    can_delete=True,
    widgets={"due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")},
)


class CoverageForm(forms.Form):
    days = forms.IntegerField(label=_("Not visited for (days)"), min_value=1, max_value=3650, initial=90)


class VisitFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    kibbutz = forms.CharField(
        label=_("Kibbutz"), required=False, widget=forms.TextInput(attrs={"list": "kibbutz-names"})
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind"))] + list(Visit.Kind.choices)
    )
