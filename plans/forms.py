from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Goal, ProgressUpdate


class ProgressUpdateForm(forms.ModelForm):
    """What a head reports: value and/or percent, status, a note. Nothing else is accepted."""

    class Meta:
        model = ProgressUpdate
        fields = ["status", "value", "percent", "note", "as_of"]
        widgets = {
            "note": forms.Textarea(attrs={"rows": 2}),
            "as_of": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "value": forms.NumberInput(attrs={"inputmode": "decimal", "min": "0", "step": "any"}),
            "percent": forms.NumberInput(attrs={"inputmode": "numeric", "min": "0", "max": "100"}),
        }
        error_messages = {
            "percent": {"max_value": _("Percent complete must be between 0 and 100.")},
            "value": {"min_value": _("The value reached cannot be negative.")},
        }

    def __init__(self, *args, goal=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.goal = goal
        self.fields["as_of"].required = False
        self.fields["as_of"].initial = timezone.localdate()
        self.fields["status"].choices = ProgressUpdate.Status.choices  # no empty "---------" choice
        if goal is not None:
            self.fields["status"].initial = goal.status
        if goal is not None and goal.target_unit:
            self.fields["value"].help_text = _("In %(unit)s.") % {"unit": goal.target_unit}

    def clean_as_of(self):
        as_of = self.cleaned_data.get("as_of") or timezone.localdate()
        if as_of > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return as_of

    def clean(self):
        data = super().clean()
        if data.get("value") is None and data.get("percent") is None and not data.get("note"):
            status_changed = self.goal is None or data.get("status") != self.goal.status
            if not status_changed:
                raise forms.ValidationError(_("Report a value, a percent, a new status or a note."))
        return data


class GoalEditForm(forms.ModelForm):
    """A goal's own fields; the plan's fields (department, target, budget) only for the secretariat."""

    PLAN_FIELDS = [
        "department",
        "unit",
        "target_value",
        "target_max",
        "target_unit",
        "target_is_about",
        "baseline",
        "budget",
    ]

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Goal
        fields = [
            "text_he", "text_en", "responsible", "due_quarter", "due_date",
            "department", "unit", "target_value", "target_max", "target_unit", "target_is_about", "baseline", "budget",
        ]  # fmt: skip
        widgets = {
            "text_he": forms.Textarea(attrs={"rows": 3, "dir": "rtl", "lang": "he"}),
            "text_en": forms.Textarea(attrs={"rows": 3, "dir": "ltr", "lang": "en"}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, may_edit_plan_fields=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.fields["text_he"].required = True
        self.fields["text_he"].label = _("Text (Hebrew)")
        self.fields["text_en"].label = _("Text (English)")
        if not may_edit_plan_fields:
            for name in self.PLAN_FIELDS:
                del self.fields[name]

    def clean(self):
        data = super().clean()
        low, high = data.get("target_value"), data.get("target_max")
        if high is not None and (low is None or high < low):
            self.add_error("target_max", _("The upper end of the range must not be below the target."))
        for name in ("target_value", "baseline", "budget"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("This number cannot be negative."))
        return data

    def goal_fields(self):
        """The cleaned values of the fields this user may change (never more)."""
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}


class PlanFilterForm(forms.Form):
    q = forms.CharField(label=_("Search in the plan"), required=False)
    department = forms.ChoiceField(label=_("Department"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status"))] + list(ProgressUpdate.Status.choices),
    )
    stale_days = forms.IntegerField(
        label=_("Not updated for (days)"), required=False, min_value=1, max_value=3650
    )

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("All departments"))] + [
            (d.slug, d.name) for d in departments
        ]
