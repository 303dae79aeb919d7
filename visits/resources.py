"""Import and export of visits: the same columns both ways. People met are not exported (they name people)."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields

from movement.importing import (
    ChoiceWidget,
    DateWidget,
    LookupWidget,
    ManyLookupWidget,
    SafeResource,
    flag_field,
)
from movement.importing import text_field as text
from movement.models import Kibbutz, User
from movement.resources import UNKNOWN_KIBBUTZ

from .models import Topic, Visit


class VisitResource(SafeResource):
    date = fields.Field(attribute="date", column_name="date", widget=DateWidget())
    coordinator = fields.Field(
        attribute="coordinator",
        column_name="coordinator",
        widget=LookupWidget(User, keys=("email",), unknown=gettext_lazy("No user with the email %(value)s")),
    )
    kibbutzim = fields.Field(
        attribute="kibbutzim",
        column_name="kibbutzim",
        widget=ManyLookupWidget(Kibbutz, keys=("name_he", "name_en", "slug"), unknown=UNKNOWN_KIBBUTZ),
    )
    kind = fields.Field(attribute="kind", column_name="kind", widget=ChoiceWidget(Visit.Kind))
    topics = fields.Field(
        attribute="topics",
        column_name="topics",
        widget=ManyLookupWidget(Topic, unknown=gettext_lazy("Unknown topic: %(value)s")),
    )
    summary = text("summary")
    question = text("question")
    question_answered = flag_field("question_answered")

    required_columns = ("date", "coordinator", "kibbutzim", "summary")
    checked_relations = ("coordinator",)

    class Meta:
        model = Visit
        fields = ("id", "date", "coordinator", "kibbutzim", "kind", "topics", "summary", "question",
                  "question_answered")  # fmt: skip

    def get_queryset(self):
        return Visit.objects.select_related("coordinator").prefetch_related("kibbutzim", "topics")

    def check_row(self, instance, row):
        errors = {}
        if instance.date and instance.date > timezone.localdate():
            errors["date"] = _("A visit cannot be in the future.")
        if not instance.summary:
            errors["summary"] = _("The summary is empty.")
        try:
            if not self.fields["kibbutzim"].clean(row):
                errors["kibbutzim"] = _("Name at least one kibbutz.")
        except ValueError as error:
            errors["kibbutzim"] = str(error)
        try:
            self.fields["topics"].clean(row) if "topics" in row else None
        except ValueError as error:
            errors["topics"] = str(error)
        instance.kind = instance.kind or Visit.Kind.ROUTINE
        if errors:
            raise ValidationError(errors)

    def natural_key(self, instance):
        return ("visit", instance.coordinator_id, instance.date, instance.summary)
