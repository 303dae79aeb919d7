"""Annual plans, their section trees, goals with numeric targets, and progress updates."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from departments.models import Department, Unit
from movement.formatting import format_number
from movement.models import Body


class AnnualPlan(models.Model):
    """The year's plan of the movement as a whole (body empty) or of one of its bodies."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        CLOSED = "closed", _("Closed")

    body = models.ForeignKey(
        Body,
        verbose_name=_("owner body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        help_text=_("Empty for the plan of the movement as a whole."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    rolled_over_from = models.ForeignKey(
        "self",
        verbose_name=_("rolled over from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rolled_over_to",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Touched by every change to the plan, its sections, goals and updates: the key of the
    # cached plan tree.
    changed_at = models.DateTimeField(_("last changed"), default=timezone.now)

    class Meta:
        ordering = ["-year", "body__name"]
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        constraints = [
            # (owner, year) is unique; NULLs never collide in a unique index, hence two constraints.
            models.UniqueConstraint(
                fields=["year"], condition=Q(body__isnull=True), name="plan_unique_movement_year"
            ),
            models.UniqueConstraint(fields=["body", "year"], name="plan_unique_body_year"),
            models.CheckConstraint(condition=Q(year__gte=1990, year__lte=2100), name="plan_year_range"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.changed_at = timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "changed_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        if self.body_id:
            return reverse("plans:body_plan", args=[self.body.slug, self.year])
        return reverse("plans:plan", args=[self.year])

    def url_kwargs(self):
        """The URL arguments of pages under this plan (goals, dashboard)."""
        return {"year": self.year, "body": self.body.slug} if self.body_id else {"year": self.year}

    def get_dashboard_url(self):
        return reverse("plans:dashboard", kwargs=self.url_kwargs())

    def touch(self):
        """Mark the plan changed, so its cached tree is rendered anew."""
        self.changed_at = timezone.now()
        AnnualPlan.objects.filter(pk=self.pk).update(changed_at=self.changed_at)

    @property
    def owner_name(self):
        return self.body.name if self.body_id else _("The Kibbutz Movement")


class PlanSection(models.Model):
    """A node of a plan's tree of headings; may belong to a department or one of its units."""

    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="sections"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent section"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_sections",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_sections",
    )
    partners = models.ManyToManyField(
        Department, verbose_name=_("partner departments"), blank=True, related_name="partner_sections"
    )

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("plan section")
        verbose_name_plural = _("plan sections")
        indexes = [
            # The plan page loads a whole plan's sections in order.
            models.Index(fields=["plan", "order"], name="section_plan_order"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.plan.touch()


class GoalQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_archived=False)

    def for_plan_page(self, plan):
        """Every live goal of a plan with what its row shows, in a fixed number of queries."""
        return (
            self.active()
            .filter(plan=plan)
            .select_related("plan__body", "latest_update", "department", "unit", "responsible")
            .order_by("order")
        )

    def for_user(self, user):
        """Goals whose progress the user keeps: of departments/units they head, or theirs as responsible.

        Subqueries rather than joins through the heads tables: no duplicate rows, so no DISTINCT.
        """
        departments = Department.heads.through.objects.filter(user=user).values("department_id")
        units = Unit.heads.through.objects.filter(user=user).values("unit_id")
        return self.active().filter(
            Q(responsible=user)
            | Q(department_id__in=departments)
            | Q(unit_id__in=units)
            | Q(unit__department_id__in=departments)
        )


class Goal(models.Model):
    """A goal of a plan, its text exactly as written, optionally with a numeric target."""

    class Quarter(models.IntegerChoices):
        Q1 = 1, _("Q1")
        Q2 = 2, _("Q2")
        Q3 = 3, _("Q3")
        Q4 = 4, _("Q4")

    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="goals"
    )
    section = models.ForeignKey(
        PlanSection, verbose_name=_("section"), on_delete=models.CASCADE, related_name="goals"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent goal"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("text"))
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="goals",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="goals"
    )
    target_value = models.DecimalField(_("target"), max_digits=12, decimal_places=2, null=True, blank=True)
    target_max = models.DecimalField(
        _("target (upper end of a range)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target_unit = models.CharField(_("unit of the target"), max_length=60, blank=True)
    target_is_about = models.BooleanField(_("approximate target"), default=False)
    target_is_increase = models.BooleanField(_("target is an increase"), default=False)
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2, null=True, blank=True)
    budget = models.DecimalField(_("budget (₪)"), max_digits=12, decimal_places=0, null=True, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_goals",
    )
    due_quarter = models.PositiveSmallIntegerField(
        _("due quarter"), choices=Quarter.choices, null=True, blank=True
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    latest_update = models.ForeignKey(
        "ProgressUpdate",
        verbose_name=_("latest update"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    carried_over_from = models.ForeignKey(
        "self",
        verbose_name=_("carried over from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_over_to",
    )
    is_archived = models.BooleanField(_("archived"), default=False)
    # Incremented by every edit of the goal's fields: an edit made on an older version is a conflict.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        indexes = [
            models.Index(fields=["plan", "order"], name="goal_plan_order"),
            # "My goals" and the department page select goals by department.
            models.Index(fields=["department", "is_archived"], name="goal_department"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_max__isnull=True)
                | Q(target_value__isnull=False, target_max__gte=models.F("target_value")),
                name="goal_target_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="goal_budget_not_negative"
            ),
        ]

    def __str__(self):
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.plan.touch()  # the cached plan tree shows this goal

    def get_absolute_url(self):
        return reverse("plans:goal", kwargs={**self.plan.url_kwargs(), "goal_id": self.pk})

    def get_progress_url(self):
        return reverse("plans:goal_progress", kwargs={**self.plan.url_kwargs(), "goal_id": self.pk})

    def get_edit_url(self):
        return reverse("plans:goal_edit", kwargs={**self.plan.url_kwargs(), "goal_id": self.pk})

    @property
    def has_target(self):
        return self.target_value is not None

    def target_text(self):
        """The target as the plan states it: "about 20 מנהיגים", "6–9 מפגשים", "+7%"."""
        if self.target_value is None:
            return ""
        text = format_number(self.target_value)
        if self.target_max is not None:
            text = f"{text}–{format_number(self.target_max)}"
        if self.target_is_increase:
            text = f"+{text}"
        if self.target_unit == "%":
            text += "%"
        elif self.target_unit:
            text += f" {self.target_unit}"
        return gettext("about %(target)s") % {"target": text} if self.target_is_about else text

    @property
    def status(self):
        return self.latest_update.status if self.latest_update_id else ProgressUpdate.Status.NOT_STARTED.value

    def get_status_display(self):
        return ProgressUpdate.Status(self.status).label

    @property
    def percent(self):
        """How far along the goal is, 0–100, from its latest update."""
        return self.percent_at(self.latest_update) or 0

    def percent_at(self, update):
        """0–100 as of `update`: done is 100, else its reported percent, else its value against the target."""
        if update is None:
            return None
        if update.status == ProgressUpdate.Status.DONE:
            return 100
        if update.percent is not None:
            return update.percent
        if update.value is not None and self.target_value:
            return max(0, min(100, int(update.value * 100 / (self.target_max or self.target_value))))
        return None

    @property
    def last_updated_on(self):
        return self.latest_update.created_at if self.latest_update_id else None

    def days_since_update(self, today=None):
        today = today or timezone.localdate()
        if not self.latest_update_id:
            return None
        return (today - timezone.localtime(self.latest_update.created_at).date()).days


class ProgressUpdate(models.Model):
    """One report of a goal's progress. Never edited away: the goal's state is its latest one."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        BEHIND = "behind", _("Behind")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="progress_updates",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, db_index=True)
    as_of = models.DateField(_("as of"), default=datetime.date.today)
    value = models.DecimalField(
        _("value reached"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    percent = models.PositiveSmallIntegerField(
        _("percent complete"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        indexes = [
            # A goal's history, newest first.
            models.Index(fields=["goal", "-created_at"], name="update_goal_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100), name="update_percent_0_100"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="update_value_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.goal} — {self.get_status_display()} ({self.created_at:%d.%m.%Y})"
