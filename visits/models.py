"""Coordinators' visits to the kibbutzim, what came out of them, and who read their notes."""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from movement.models import Kibbutz, KibbutzContact


class Topic(models.Model):
    """A managed list of what visits are about (צמיחה דמוגרפית, שיוך דירות, חינוך …)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("visit topic")
        verbose_name_plural = _("visit topics")

    def __str__(self):
        return self.name


class VisitQuerySet(models.QuerySet):
    def for_list(self):
        return (
            self.select_related("coordinator")
            .prefetch_related("kibbutzim", "topics")
            .order_by("-date", "-pk")
        )


class Visit(models.Model):
    class Kind(models.TextChoices):
        ROUTINE = "routine", _("Routine visit")
        HQ_TOUR = "hq_tour", _("HQ tour")
        COUNCIL = "council", _("Meeting with a regional council")
        EVENT = "event", _("Event")
        PHONE = "phone", _("Phone call")
        OTHER = "other", _("Other")

    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    kibbutzim = models.ManyToManyField(Kibbutz, verbose_name=_("kibbutzim"), related_name="visits")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ROUTINE)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="visits")
    summary = models.TextField(_("summary"))
    question = models.TextField(
        _("question needing a movement position"),
        blank=True,
        help_text=_("Flagged for the secretariat when filled in."),
    )
    question_answered = models.BooleanField(_("question answered"), default=False)
    names_removed_at = models.DateTimeField(
        _("names of people met removed at"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [
            # A coordinator's visits, newest first; coverage per month.
            models.Index(fields=["coordinator", "-date"], name="visit_coordinator_date"),
            models.Index(fields=["date"], name="visit_date"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(summary=""), name="visit_summary_not_empty"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.date:%d.%m.%Y}"

    def get_absolute_url(self):
        return reverse("visits:visit", args=[self.pk])

    def editable_until(self):
        """The last day its author may still edit it (then only follow-ups change)."""
        return timezone.localtime(self.created_at).date() + datetime.timedelta(days=settings.VISIT_EDIT_DAYS)


class PersonMet(models.Model):
    """Who was met, in what role: picked from the kibbutz's contacts or typed."""

    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="people")
    contact = models.ForeignKey(
        KibbutzContact,
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=100, blank=True)

    class Meta:
        ordering = ["visit", "pk"]
        verbose_name = _("person met")
        verbose_name_plural = _("people met")

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name


class FollowUp(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    text = models.CharField(_("what to do"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="visit_follow_ups",
    )  # fmt: skip
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self):
        return self.text


class NotesRead(models.Model):
    """Every read of a visit's notes (they name people): who and when."""

    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("read of visit notes")
        verbose_name_plural = _("reads of visit notes")

    def __str__(self):
        return f"{self.user} · {self.visit} · {self.at:%d.%m.%Y %H:%M}"
