"""Meetings of the movement's bodies, their protocols as written, and decisions that are followed up."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from departments.models import Department
from movement.models import Body, Kibbutz
from plans.models import Goal


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        DRAFT = "draft", _("Protocol draft")
        SENT = "sent", _("Sent to participants")
        APPROVED = "approved", _("Approved")

    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="meetings")
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    written_on = models.DateField(_("protocol written on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    recorder = models.ForeignKey(
        "Participant",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approves = models.ForeignKey(
        "self",
        verbose_name=_("approves the protocol of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approved_by_meetings",
    )
    approves_as_written = models.CharField(_("previous meeting as written"), max_length=50, blank=True)
    stated_participant_count = models.PositiveSmallIntegerField(
        _("participant count stated in the protocol"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "body__name"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            # Meetings of a body, newest first; the previous meeting of a body.
            models.Index(fields=["body", "-date"], name="meeting_body_date"),
        ]

    def __str__(self):
        return self.title or f"{self.body} {self.date:%d.%m.%Y}"

    def get_absolute_url(self):
        return reverse("meetings:meeting", args=[self.pk])

    @property
    def is_read_only(self):
        return self.status == self.Status.APPROVED


class Participant(models.Model):
    class Attendance(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        GUEST = "guest", _("Guest")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="participants"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=150)
    affiliation = models.CharField(_("affiliation as written"), max_length=150, blank=True)
    kibbutz = models.ForeignKey(
        Kibbutz, verbose_name=_("kibbutz"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.PRESENT
    )

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            # A person is listed once per meeting.
            models.UniqueConstraint(fields=["meeting", "name"], name="participant_unique_name_per_meeting"),
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="participant_unique_user_per_meeting",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.affiliation})" if self.affiliation else self.name


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        APPROVAL = "approval", _("Approval of the previous protocol")
        REPORT = "report", _("Report")
        DISCUSSION = "discussion", _("Discussion")
        DECISION = "decision", _("Decision")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    label = models.CharField(_("label"), max_length=5, help_text=_("The Hebrew letter: א, ב, ג …"))
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.DISCUSSION)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            # The protocol refers to items by their letter.
            models.UniqueConstraint(fields=["meeting", "label"], name="agenda_item_unique_label_per_meeting"),
        ]

    def __str__(self):
        return f"{self.label}. {self.title}"


class Statement(models.Model):
    """What one speaker (a participant, or a named group) said under an agenda item."""

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="statements"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    speaker = models.ForeignKey(
        Participant,
        verbose_name=_("speaker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="statements",
    )
    group_name = models.CharField(_("speaking group"), max_length=150, blank=True)
    group_members = models.CharField(_("members of the group"), max_length=300, blank=True)
    speaker_as_written = models.CharField(_("speaker as written"), max_length=100, blank=True)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["item", "order", "pk"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    def __str__(self):
        return f"{self.speaker_display}: {self.text[:60]}"

    @property
    def speaker_display(self):
        if self.speaker_id:
            return self.speaker.name
        return self.group_name or str(_("Recorder's note"))


class DecisionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[Decision.Status.OPEN, Decision.Status.IN_PROGRESS])

    def overdue(self, today):
        """Open decisions whose due date has passed (as `Decision.is_overdue` says of one)."""
        return self.open().filter(due_date__lt=today)

    def for_tracker(self):
        """Due date first (overdue ones lead), undated last. Sorted on the decision's own columns, so
        PostgreSQL picks the page before joining meetings and owners."""
        return self.select_related("meeting__body", "owner").order_by(
            models.F("due_date").asc(nulls_last=True), "meeting_id", "number"
        )


class Decision(models.Model):
    """A decision ("סוכם"), exactly as written, with an owner, a due date and a status."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="decisions"
    )
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    text = models.TextField(_("text"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_decisions",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    goals = models.ManyToManyField(
        Goal, verbose_name=_("goals it serves"), blank=True, related_name="decisions"
    )
    kibbutzim = models.ManyToManyField(
        Kibbutz, verbose_name=_("kibbutzim it concerns"), blank=True, related_name="decisions"
    )
    is_demo_link = models.BooleanField(
        _("demo link"), default=False, help_text=_("Links made for the demo, not in the source protocol.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "item__order", "number"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        indexes = [
            # The tracker: open decisions by due date.
            models.Index(fields=["status", "due_date"], name="decision_status_due"),
        ]

    def __str__(self):
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    def get_absolute_url(self):
        return reverse("meetings:decision", args=[self.pk])

    def clean(self):
        meeting = (
            self.meeting if self.meeting_id else getattr(self.item, "meeting", None) if self.item_id else None
        )
        if self.due_date and meeting and self.due_date < meeting.date:
            raise ValidationError({"due_date": _("The due date cannot be before the meeting's date.")})

    @property
    def is_open(self):
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)

    def is_overdue(self, today=None):
        return self.is_open and self.due_date is not None and self.due_date < (today or timezone.localdate())


class DecisionStatusChange(models.Model):
    """The trail of a decision's status: who moved it, when, from what to what, and why."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="changes"
    )
    from_status = models.CharField(_("from"), max_length=12, choices=Decision.Status.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=Decision.Status.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("decision status change")
        verbose_name_plural = _("decision status changes")

    def __str__(self):
        return f"{self.decision}: {self.from_status} → {self.to_status}"
