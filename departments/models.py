"""Departments (אגף, or a stand-alone מחלקה) and the units under them, with heads and staff."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from movement.models import NaturalSlugManager


class Department(models.Model):
    class Kind(models.TextChoices):
        DIVISION = "division", _("Division (agaf)")
        DEPARTMENT = "department", _("Department (machlaka)")
        UNIT = "unit", _("Unit (yechida)")

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    heads = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("heads"),
        related_name="headed_departments",
        blank=True,
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff"),
        related_name="staffed_departments",
        blank=True,
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = NaturalSlugManager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("department", args=[self.slug])

    def natural_key(self):
        return (self.slug,)


class Unit(models.Model):
    """A מחלקה / יחידה / מטה inside a department, such as מטה תרבות in אגף חברה וקהילה."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Department (machlaka)")
        UNIT = "unit", _("Unit (yechida)")
        STAFF = "staff", _("Staff (mate)")

    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    heads = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("heads"), related_name="headed_units", blank=True
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff"), related_name="staffed_units", blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = NaturalSlugManager()

    class Meta:
        ordering = ["department", "order", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            # Two units of one department never share a name: imports match units by it.
            models.UniqueConstraint(fields=["department", "name"], name="unit_unique_name_per_department"),
        ]

    def __str__(self):
        return f"{self.name} ({self.department})"

    def get_absolute_url(self):
        return self.department.get_absolute_url()

    def natural_key(self):
        return (self.slug,)
