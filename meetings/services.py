"""Writes of meetings and decisions: status changes with their trail, approval, loading a protocol."""

import datetime
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from movement.models import Body, Kibbutz

from .models import AgendaItem, Decision, DecisionStatusChange, Meeting, Participant, Statement


@transaction.atomic
def decision_set_status(*, decision, by, status, note=""):
    """Move a decision to `status`, keeping the trail (who, when, from, to, note)."""
    if status not in Decision.Status.values:
        raise ValidationError(_("Unknown status."))
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    if locked.status == status:
        raise ValidationError(_("The decision already has this status."))
    DecisionStatusChange.objects.create(
        decision=locked, from_status=locked.status, to_status=status, note=note, by=by
    )
    locked.status = status
    locked._history_user = by
    locked.save(update_fields=["status"])
    return locked


@transaction.atomic
def protocol_approve(*, meeting, by):
    meeting.status = Meeting.Status.APPROVED
    meeting._history_user = by
    meeting.save(update_fields=["status"])
    return meeting


@transaction.atomic
def protocol_reopen(*, meeting, by, reason):
    """Reopen an approved protocol; the reason is kept in the meeting's history."""
    if not reason.strip():
        raise ValidationError(_("Say why the protocol is reopened."))
    meeting.status = Meeting.Status.DRAFT
    meeting._history_user = by
    meeting._change_reason = reason
    meeting.save(update_fields=["status"])
    return meeting


@transaction.atomic
def protocol_load(*, path):
    """Create a meeting from a reviewed protocol file (fixtures/source/protocol-*.json).

    Returns the meeting; does nothing and returns the existing one if it was loaded before. The file
    names kibbutzim and people in Hebrew: it is read with Hebrew active, whatever language the caller
    had (modeltranslation looks `name` up in the active language).
    """
    from django.utils import translation

    with translation.override("he"):
        return _protocol_load(path=path)


def _protocol_load(*, path):
    data = json.loads(path.read_text(encoding="utf-8"))
    body = Body.objects.get(slug=data["body"])
    date = datetime.date.fromisoformat(data["date"])
    existing = Meeting.objects.filter(body=body, date=date).first()
    if existing:
        return existing
    previous = None
    if data.get("previous_meeting"):
        previous_date = datetime.date.fromisoformat(data["previous_meeting"]["date"])
        previous, _created = Meeting.objects.get_or_create(
            body=body,
            date=previous_date,
            defaults={
                "title": _("Meeting of %(body)s, %(date)s")
                % {"body": body.name, "date": f"{previous_date:%d.%m.%Y}"},
                "status": Meeting.Status.APPROVED,
            },
        )
    meeting = Meeting.objects.create(
        body=body,
        title=data["title"],
        date=date,
        written_on=datetime.date.fromisoformat(data["written_on"]) if data.get("written_on") else None,
        status=Meeting.Status.APPROVED,
        approves=previous,
        approves_as_written=(data.get("previous_meeting") or {}).get("as_written", ""),
        stated_participant_count=data.get("stated_participant_count"),
    )
    kibbutzim = {k.name: k for k in Kibbutz.objects.all()}
    participants = {}
    for order, row in enumerate(data["participants"], start=1):
        participants[row["name"]] = Participant.objects.create(
            meeting=meeting,
            order=order,
            name=row["name"],
            affiliation=row["affiliation"],
            kibbutz=_kibbutz_named(kibbutzim, row) if row["affiliation_kind"] == "kibbutz" else None,
        )
    groups = {group["name"]: group for group in data.get("groups", [])}
    for order, row in enumerate(data["items"], start=1):
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=order,
            label=row["label"],
            title=row["title"],
            kind=row["kind"],
            outcome=row.get("outcome", ""),
        )
        for position, statement in enumerate(row["statements"], start=1):
            group = groups.get(statement.get("group") or "")
            Statement.objects.create(
                item=item,
                order=position,
                speaker=participants[statement["speaker"]] if statement.get("speaker") else None,
                group_name=group["name"] if group else "",
                group_members=", ".join(group["members"]) if group else "",
                speaker_as_written=statement.get("as_written") or "",
                text=statement["text"],
            )
        for decision in row["decisions"]:
            Decision.objects.create(
                meeting=meeting, item=item, number=decision["number"], text=decision["text"]
            )
    if data.get("recorder"):
        meeting.recorder = participants[data["recorder"]]
        meeting.save(update_fields=["recorder"])
    return meeting


def _kibbutz_named(kibbutzim, row):
    kibbutz = kibbutzim.get(row["affiliation"])
    if kibbutz is None:
        raise ValueError(f"Unknown kibbutz {row['affiliation']!r} for {row['name']}")
    return kibbutz


def protocol_send_draft(*, meeting, by):
    """Email the draft protocol's link to every participant with an account, in their language.

    Returns how many were sent. The meeting moves to "sent to participants".
    """
    from django.conf import settings
    from django.core.mail import EmailMultiAlternatives
    from django.template.loader import render_to_string
    from django.utils import translation

    url = settings.SITE_URL + meeting.get_absolute_url()
    sent = 0
    for participant in meeting.participants.select_related("user").filter(
        user__isnull=False, user__is_active=True
    ):
        user = participant.user
        with translation.override(user.preferred_language):
            context = {"meeting": meeting, "url": url, "user": user}
            message = EmailMultiAlternatives(
                subject=render_to_string("meetings/email/draft_subject.txt", context).strip(),
                body=render_to_string("meetings/email/draft.txt", context),
                to=[user.email],
            )
            message.attach_alternative(render_to_string("meetings/email/draft.html", context), "text/html")
            message.send()
        sent += 1
    meeting.status = Meeting.Status.SENT
    meeting._history_user = by
    meeting.save(update_fields=["status"])
    return sent


def decisions_to_hand_over(person):
    """Open decisions a leaving person owns; done and cancelled ones keep their owner as the record."""
    return Decision.objects.open().filter(owner=person)


def decisions_hand_over(*, person, successor, by, reason):
    """Make `successor` the owner of `person`'s open decisions, with a history row each.

    Sends no notice: the caller tells the successor once. Returns how many decisions moved.
    """
    from simple_history.utils import bulk_update_with_history

    decisions = list(decisions_to_hand_over(person))
    for decision in decisions:
        decision.owner = successor
    bulk_update_with_history(
        decisions, Decision, ["owner"], default_user=by, default_change_reason=reason, batch_size=500
    )
    return len(decisions)
