"""The movement's core: regions, kibbutzim and their contacts, users, and the movement's bodies.

This module is the floor of the house: it imports no app of the project.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NaturalSlugManager(models.Manager):
    """Reference data is addressed by slug in fixtures, so they stay readable."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Region(models.Model):
    """A field region of the movement; coordinators are assigned to regions."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    coordinators = models.ManyToManyField(
        "movement.User",
        verbose_name=_("coordinators"),
        related_name="coordinated_regions",
        blank=True,
    )

    objects = NaturalSlugManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Kibbutz(models.Model):
    class Kind(models.TextChoices):
        SHITUFI = "shitufi", _("Collective (shitufi)")
        MITCHADESH = "mitchadesh", _("Renewed (mitchadesh)")
        UNKNOWN = "", _("Not recorded")

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="kibbutzim"
    )
    regional_council = models.CharField(_("regional council"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)

    objects = NaturalSlugManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("kibbutz")
        verbose_name_plural = _("kibbutzim")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("kibbutz", args=[self.slug])

    def natural_key(self):
        return (self.slug,)


class KibbutzContact(models.Model):
    """A person a coordinator meets at a kibbutz: its secretary, community manager and so on."""

    class Role(models.TextChoices):
        SECRETARY = "secretary", _("Secretary")
        COMMUNITY_MANAGER = "community_manager", _("Community manager")
        CHAIR = "chair", _("Chair")
        ECONOMIC_MANAGER = "economic_manager", _("Economic manager")
        OTHER = "other", _("Other")

    kibbutz = models.ForeignKey(
        Kibbutz, verbose_name=_("kibbutz"), on_delete=models.CASCADE, related_name="contacts"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    name = models.CharField(_("name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        ordering = ["kibbutz", "role", "name"]
        verbose_name = _("kibbutz contact")
        verbose_name_plural = _("kibbutz contacts")

    def __str__(self):
        return f"{self.name} ({self.get_role_display()}, {self.kibbutz})"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("is_secretariat", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractUser):
    """A person who signs in with their email address.

    Roles are not stored as a field: a user is secretariat staff by `is_secretariat`, a department
    head or staff member by the department's `heads` / `staff`, a coordinator by the regions they
    are assigned to, and a member by being signed in at all.
    """

    class Language(models.TextChoices):
        HEBREW = "he", _("Hebrew")
        ENGLISH = "en", _("English")

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    home_kibbutz = models.ForeignKey(
        Kibbutz,
        verbose_name=_("home kibbutz"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.HEBREW
    )
    is_secretariat = models.BooleanField(
        _("secretariat staff"),
        default=False,
        help_text=_("Runs the admin: plans, imports, protocols, reminders and users."),
    )
    muted_reminders = models.JSONField(
        _("reminders turned off"),
        default=list,
        blank=True,
        help_text=_("The kinds of reminder this person chose not to receive."),
    )
    is_demo = models.BooleanField(
        _("demo account"),
        default=False,
        help_text=_("Created by the demo setup; such accounts cannot sign in in production."),
        editable=False,
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Body(models.Model):
    """An organ of the movement: a secretariat, a headquarters, a committee, a team.

    Plans and meetings both refer to bodies (המטה השיתופי writes its own yearly plan; its
    secretariat meets and minutes its meetings).
    """

    class Kind(models.TextChoices):
        SECRETARIAT = "secretariat", _("Secretariat")
        HEADQUARTERS = "headquarters", _("Headquarters")
        PLENARY = "plenary", _("Plenary")
        COMMITTEE = "committee", _("Committee")
        TEAM = "team", _("Team")
        EXTERNAL = "external", _("Partner organisation")

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(User, verbose_name=_("members"), related_name="bodies", blank=True)

    objects = NaturalSlugManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Reminder(models.Model):
    """One email to one person, recorded before it is sent: the database, not the broker, is the record.

    A row moves queued → claimed → sent (or failed after its retries). `key` is unique per recipient,
    kind, object and period, so a round run twice, or a task delivered twice, sends nothing twice.
    The one window left open: the mail server accepted the message and the worker died before the row
    was marked sent; the sweep re-sends such a row once its claim is stale, and logs that it did.
    """

    class Kind(models.TextChoices):
        STALE_GOALS = "stale_goals", _("Goals without a recent progress update")
        DECISIONS_DUE = "decisions_due", _("Decisions coming due or overdue")
        FOLLOW_UPS_DUE = "follow_ups_due", _("Visit follow-ups coming due")
        MEETING_SOON = "meeting_soon", _("A meeting in two days")
        ASSIGNED = "assigned", _("Something assigned to me")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        CLAIMED = "claimed", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Not sent (turned off)")

    key = models.CharField(_("key"), max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    to_email = models.EmailField(_("sent to"))
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"))
    url = models.URLField(_("link"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="reminder_status_next")]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient} ({self.get_status_display()})"


class ReportJob(models.Model):
    """A PDF report generated in the background: queued → running → done, or failed with the error."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being generated")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=20)
    object_id = models.PositiveIntegerField(_("object"))
    part_id = models.PositiveIntegerField(_("part"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=User.Language.choices, default="he")
    source_version = models.CharField(_("version of the content"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=300)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_jobs",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    seconds = models.FloatField(_("seconds to generate"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["kind", "object_id", "language"], name="report_object"),
            models.Index(fields=["status", "created_at"], name="report_status"),
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("report", args=[self.pk])

    def get_download_url(self):
        return reverse("report_download", args=[self.pk])

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ImportJob(models.Model):
    """A large spreadsheet import run in the background: checked first, written once confirmed.

    queued → checking → checked (the secretariat reads the counts and confirms) → queued → importing
    → done; any row with an error, or a failure, ends in failed with nothing written.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        CHECKING = "checking", _("Checking the rows")
        CHECKED = "checked", _("Checked: waiting for confirmation")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed: nothing was imported")

    UNDER_WAY = (Status.QUEUED, Status.CHECKING, Status.IMPORTING)

    resource = models.CharField(_("resource"), max_length=200)
    title = models.CharField(_("what is imported"), max_length=200)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    file_name = models.CharField(_("file name"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    new_rows = models.PositiveIntegerField(_("new rows"), default=0)
    updated_rows = models.PositiveIntegerField(_("updated rows"), default=0)
    unchanged_rows = models.PositiveIntegerField(_("unchanged rows"), default=0)
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_jobs",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.title} · {self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("admin:movement_importjob_progress", args=[self.pk])

    @property
    def is_under_way(self):
        return self.status in self.UNDER_WAY
