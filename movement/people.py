"""People, for the secretariat: invite many at once, and hand over what a leaving person owns.

The roof of the house: it asks each app to move its own objects (goals, decisions, follow-ups,
headships) and tells the successor once, in one notice that sums it all up.
"""

import csv
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.models import Department
from departments.services import headships_hand_over, headships_of
from meetings.services import decisions_hand_over, decisions_to_hand_over
from plans.services import goals_hand_over, goals_to_hand_over
from visits.services import follow_ups_hand_over, follow_ups_to_hand_over

from . import reminders
from .models import Region, User

logger = logging.getLogger(__name__)

MAX_INVITATIONS = 300
ROLES = {
    # A role as the secretariat writes it (English or Hebrew) → (role, what it names).
    "member": ("member", None),
    "חבר": ("member", None),
    "חברה": ("member", None),
    "secretariat": ("secretariat", None),
    "מזכירות": ("secretariat", None),
    "head": ("head", "department"),
    "ראש": ("head", "department"),
    "staff": ("staff", "department"),
    "צוות": ("staff", "department"),
    "coordinator": ("coordinator", "region"),
    "רכז": ("coordinator", "region"),
    "רכזת": ("coordinator", "region"),
}
LANGUAGES = {"he": "he", "עברית": "he", "hebrew": "he", "en": "en", "english": "en", "אנגלית": "en"}


@dataclass
class Invitee:
    line: int
    full_name: str
    email: str
    role: str = "member"
    place: object = None  # the Department or Region the role names
    language: str = "he"

    def role_display(self):
        labels = {
            "member": _("Member"),
            "secretariat": _("Secretariat staff"),
            "head": _("Head of %(place)s"),
            "staff": _("Staff of %(place)s"),
            "coordinator": _("Coordinator of %(place)s"),
        }
        return labels[self.role] % {"place": self.place} if self.place else labels[self.role]


@dataclass
class LineError:
    line: int
    text: str
    message: str


def _names(obj):
    return {value.casefold() for value in (obj.slug, obj.name_he, obj.name_en) if value}


def invitations_parse(text):
    """Read "name, email[, role[, language]]" lines (commas or tabs, as pasted from a spreadsheet).

    Returns (invitees, errors). Blank lines are skipped. A role is member (the default), secretariat,
    head:<department>, staff:<department> or coordinator:<region>, in English or Hebrew; a department
    or region by its slug or its name.
    """
    lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not lines:
        return [], [LineError(0, "", _("Write at least one line: a name and an email address."))]
    if len(lines) > MAX_INVITATIONS:
        message = _("At most %(count)d people at once.") % {"count": MAX_INVITATIONS}
        return [], [LineError(0, "", message)]
    departments = list(Department.objects.all())
    regions = list(Region.objects.all())
    taken = set(
        User.objects.filter(email__in=[_email_of(line) for _n, line in lines]).values_list("email", flat=True)
    )
    taken = {email.casefold() for email in taken}
    invitees, errors, seen = [], [], {}
    for number, line in lines:
        try:
            invitee = _parse_line(number, line, departments, regions)
            key = invitee.email.casefold()
            if key in seen:
                raise ValidationError(
                    _("This email address is already on line %(line)d.") % {"line": seen[key]}
                )
            if key in taken:
                raise ValidationError(
                    _("Someone already has an account with this email address; to send them the link "
                      "again, select them in the list of users.")
                )  # fmt: skip
            seen[key] = number
            invitees.append(invitee)
        except ValidationError as error:
            errors.append(LineError(number, line.strip(), " ".join(error.messages)))
    return invitees, errors


def _cells(line):
    delimiter = "\t" if "\t" in line else ","
    return [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter))]


def _email_of(line):
    cells = _cells(line)
    return cells[1].lower() if len(cells) > 1 else ""


def _parse_line(number, line, departments, regions):
    cells = _cells(line)
    if len(cells) < 2 or not cells[0] or not cells[1]:
        raise ValidationError(_("Write a name and an email address, separated by a comma or a tab."))
    if len(cells) > 4:
        raise ValidationError(_("Too many columns: name, email, role and language at most."))
    full_name, email = cells[0], cells[1].lower()
    if len(full_name) > 150:
        raise ValidationError(_("The name is longer than 150 characters."))
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("“%(email)s” is not a valid email address.") % {"email": cells[1]}) from None
    invitee = Invitee(line=number, full_name=full_name, email=email)
    role_text = cells[2] if len(cells) > 2 else ""
    if role_text:
        word, _sep, where = role_text.partition(":")
        known = ROLES.get(word.strip().casefold())
        if known is None:
            raise ValidationError(
                _("Unknown role “%(role)s”: write member, secretariat, head:<department>, "
                  "staff:<department> or coordinator:<region>.") % {"role": role_text}
            )  # fmt: skip
        invitee.role, names = known
        key = where.strip().casefold()
        if names == "department":
            invitee.place = next((d for d in departments if key and key in _names(d)), None)
            if invitee.place is None:
                raise ValidationError(_("No department is called “%(name)s”.") % {"name": where.strip()})
        elif names == "region":
            invitee.place = next((r for r in regions if key and key in _names(r)), None)
            if invitee.place is None:
                raise ValidationError(_("No region is called “%(name)s”.") % {"name": where.strip()})
    language_text = cells[3].casefold() if len(cells) > 3 and cells[3] else "he"
    if language_text not in LANGUAGES:
        raise ValidationError(_("Unknown language “%(language)s”: write he or en.") % {"language": cells[3]})
    invitee.language = LANGUAGES[language_text]
    return invitee


@transaction.atomic
def people_invite(*, invitees, by):
    """Create an account for each invitee, with their role, and email each one a set-password link
    once the transaction commits. All or none: an email taken meanwhile rolls every account back."""
    users = []
    for invitee in invitees:
        if User.objects.filter(email__iexact=invitee.email).exists():
            raise ValidationError(
                _("Someone already has an account with %(email)s; nobody was invited.")
                % {"email": invitee.email}
            )
        user = User.objects.create_user(
            invitee.email,
            password=None,  # unusable until they choose one through the link
            full_name=invitee.full_name,
            preferred_language=invitee.language,
            is_secretariat=invitee.role == "secretariat",
            is_staff=invitee.role == "secretariat",
        )
        if invitee.role == "head":
            invitee.place.heads.add(user)
        elif invitee.role == "staff":
            invitee.place.staff.add(user)
        elif invitee.role == "coordinator":
            invitee.place.coordinators.add(user)
        users.append(user)
    ids = [user.pk for user in users]
    transaction.on_commit(lambda: _dispatch(ids, by.pk))
    return users


def invitations_resend(*, users, by):
    """Send the link again to accounts that never chose a password. Returns (queued, skipped)."""
    queued = [user for user in users if user.is_active and not user.has_usable_password()]
    skipped = [user for user in users if user not in queued]
    ids = [user.pk for user in queued]
    transaction.on_commit(lambda: _dispatch(ids, by.pk))
    return queued, skipped


def _dispatch(ids, by_id):
    """Hand the invitations to the workers. With the broker down the accounts stay (they are the record)
    and the secretariat sends the invitations again from the users' list."""
    from .tasks import invitation_task

    for pk in ids:
        try:
            invitation_task.delay(pk, by_id)
        except Exception:
            if settings.CELERY_TASK_ALWAYS_EAGER:
                raise
            logger.warning("Invitation to user %s not queued: the broker refused it", pk, exc_info=True)


# Hand-over --------------------------------------------------------------------------------------


@dataclass
class Handover:
    """What a person owns that a successor would take: counts, and the places by name."""

    goals: int = 0
    decisions: int = 0
    follow_ups: int = 0
    departments: list = field(default_factory=list)
    units: list = field(default_factory=list)
    regions: list = field(default_factory=list)

    @property
    def is_empty(self):
        return not (
            self.goals or self.decisions or self.follow_ups or self.departments or self.units or self.regions
        )


def handover_preview(person):
    """What `person` owns now, in six queries."""
    departments, units = headships_of(person)
    return Handover(
        goals=goals_to_hand_over(person).count(),
        decisions=decisions_to_hand_over(person).count(),
        follow_ups=follow_ups_to_hand_over(person).count(),
        departments=departments,
        units=units,
        regions=list(person.coordinated_regions.all()),
    )


def handover_check(*, person, successor):
    """The reason a hand-over cannot happen, or None."""
    if successor is None:
        return _("Choose the person who takes over.")
    if successor.pk == person.pk:
        return _("The successor must be someone else than the person leaving.")
    if not successor.is_active:
        return _("%(name)s's account is not active: choose an active successor.") % {"name": successor}
    return None


@transaction.atomic
def person_hand_over(*, person, successor, by):
    """Give `successor` everything `person` owns, in one transaction, and tell them once.

    Goals still to do (responsible), open decisions (owner), open follow-ups (owner), the headship of
    departments and units, the regions coordinated. Goals and decisions keep a history row each (who,
    when, why). The per-object "assigned to you" notices are muted; the successor gets one summary.
    Raises ValidationError (and changes nothing) when `handover_check` refuses. Returns the Handover.
    """
    problem = handover_check(person=person, successor=successor)
    if problem:
        raise ValidationError(problem)
    reason = _("Handed over from %(person)s to %(successor)s") % {"person": person, "successor": successor}
    with reminders.muted():
        done = Handover(
            goals=goals_hand_over(person=person, successor=successor, by=by, reason=reason),
            decisions=decisions_hand_over(person=person, successor=successor, by=by, reason=reason),
            follow_ups=follow_ups_hand_over(person=person, successor=successor),
        )
        done.departments, done.units = headships_hand_over(person=person, successor=successor)
        done.regions = list(person.coordinated_regions.all())
        for region in done.regions:
            region.coordinators.remove(person)
            region.coordinators.add(successor)
    if not done.is_empty:
        reminders.notify_assigned(
            successor,
            key=f"handover:{person.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
            template="movement/email/handover",
            path=reverse("home"),
            context={
                "person": person,
                "goals": done.goals,
                "decisions": done.decisions,
                "follow_ups": done.follow_ups,
                "departments": [str(owner.name) for owner in [*done.departments, *done.units]],
                "regions": [str(region.name) for region in done.regions],
            },
        )
    return done
