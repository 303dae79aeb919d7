"""Import and export of meeting participants: the same columns both ways (a meeting by its id).

The meeting page's "Import attendance" (attendance.py) adds the participants of one meeting from a
list of names; this resource is the admin's table of every meeting's participants.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields

from departments.resources import department_lookup
from movement.importing import ChoiceWidget, IdWidget, LookupWidget, NumberWidget, SafeResource
from movement.importing import text_field as text
from movement.models import Kibbutz, User
from movement.resources import UNKNOWN_KIBBUTZ

from .models import Meeting, Participant


class ParticipantResource(SafeResource):
    meeting = fields.Field(attribute="meeting_id", column_name="meeting", widget=IdWidget())
    order = fields.Field(attribute="order", column_name="order", widget=NumberWidget(whole=True))
    name = text("name")
    user = fields.Field(
        attribute="user",
        column_name="user",
        widget=LookupWidget(User, keys=("email",), unknown=gettext_lazy("No user with the email %(value)s")),
    )
    affiliation = text("affiliation")
    kibbutz = fields.Field(
        attribute="kibbutz",
        column_name="kibbutz",
        widget=LookupWidget(Kibbutz, keys=("name_he", "name_en", "slug"), unknown=UNKNOWN_KIBBUTZ),
    )
    department = fields.Field(attribute="department", column_name="department", widget=department_lookup())
    attendance = fields.Field(
        attribute="attendance", column_name="attendance", widget=ChoiceWidget(Participant.Attendance)
    )

    required_columns = ("meeting", "name")
    checked_relations = ("meeting", "user", "kibbutz", "department")
    validate_constraints = False  # one name and one account per meeting: checked in check_row()

    class Meta:
        model = Participant
        fields = (
            "id",
            "meeting",
            "order",
            "name",
            "user",
            "affiliation",
            "kibbutz",
            "department",
            "attendance",
        )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.meetings = {}
        self.taken = {}

    def get_queryset(self):
        return Participant.objects.select_related("user", "kibbutz", "department")

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        ids = set()
        for value in dataset["meeting"]:
            try:
                ids.add(IdWidget().clean(value))
            except ValueError:
                continue
        self.meetings = {meeting.pk: meeting for meeting in Meeting.objects.filter(pk__in=ids - {None})}
        for pk, meeting_id, name, user_id in Participant.objects.filter(
            meeting_id__in=self.meetings
        ).values_list("pk", "meeting_id", "name", "user_id"):
            self.taken[(meeting_id, "name", name)] = pk
            if user_id:
                self.taken[(meeting_id, "user", user_id)] = pk

    def check_row(self, instance, row):
        meeting = self.meetings.get(instance.meeting_id)
        if meeting is None:
            raise ValidationError(
                {"meeting": _("There is no meeting with the id %(id)s.") % {"id": instance.meeting_id or "—"}}
            )
        if meeting.is_read_only:
            raise ValidationError(
                {
                    "meeting": _("The protocol of %(meeting)s is approved: its participants do not change.")
                    % {"meeting": meeting}
                }
            )
        if not instance.name:
            raise ValidationError({"name": _("The name is missing.")})
        instance.attendance = instance.attendance or Participant.Attendance.PRESENT
        instance.order = instance.order if instance.order is not None else 0
        for kind, value in (("name", instance.name), ("user", instance.user_id)):
            other = self.taken.get((instance.meeting_id, kind, value)) if value else None
            if other and other != instance.pk:
                raise ValidationError(
                    _("%(name)s is already listed in this meeting.")
                    % {"name": instance.user if kind == "user" else instance.name}
                )

    def natural_key(self, instance):
        return ("participant", instance.meeting_id, instance.name)
