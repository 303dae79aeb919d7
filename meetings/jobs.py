"""The meetings app's background work, registered with the floor: the protocol PDF, the decisions
digest and the meeting notice in the reminder round, and the notice to a decision's new owner."""

from django.utils.translation import override

from movement import reminders, reports

from . import access


def _meeting(job):
    from .models import Meeting

    return Meeting.objects.select_related("body").filter(pk=job.object_id).first()


def _version(meeting, job):
    """A protocol changes through the meeting, its statements and its decisions: their newest history."""
    from django.db.models import Max

    from .models import Decision, Meeting, Statement

    item_ids = meeting.items.values("pk")
    stamps = [
        Meeting.history.filter(id=meeting.pk).aggregate(at=Max("history_date"))["at"],
        Statement.history.filter(item_id__in=item_ids).aggregate(at=Max("history_date"))["at"],
        Decision.history.filter(meeting_id=meeting.pk).aggregate(at=Max("history_date"))["at"],
    ]
    return max((stamp.isoformat() for stamp in stamps if stamp), default="")


def _title(meeting, job):
    with override(job.language):
        return str(meeting)


def _render(meeting, job):
    from .reports import render_protocol_pdf

    return render_protocol_pdf(meeting, language=job.language)


def register():
    reports.register(
        reports.ReportKind(
            name="protocol",
            get_object=_meeting,
            version=_version,
            title=_title,
            can_read=lambda user, meeting, job: access.may_read_protocols(user),
            render=_render,
            filename=lambda meeting, job: (
                f"protocol-{meeting.date.isoformat()}-{meeting.pk}-{job.language}.pdf"
            ),
            object_url=lambda meeting, job: meeting.get_absolute_url(),
        )
    )
    from .models import Decision
    from .reminders import decision_digests, meeting_notices, notify_owner

    reminders.register_round(decision_digests)
    reminders.register_round(meeting_notices)
    reminders.watch_assignment(Decision, "owner", notify_owner)
