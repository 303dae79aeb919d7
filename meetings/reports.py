"""The protocol PDF of a meeting (rendered by the floor's `movement.pdf`): what the protocol page shows,
laid out for print: heading and dates, participants with attendance, the agenda items with what each
speaker said, and the decisions with owner, due date and status."""

from django.db.models import Prefetch
from django.utils import timezone, translation

from movement.pdf import render_pdf

from .models import Decision, Meeting, Statement


def render_protocol_pdf(meeting, *, language="he"):
    """The meeting's protocol as a PDF. Returns `movement.pdf.PdfBytes` (bytes, with `.page_count`).

    Reads the meeting again with everything the protocol shows: five queries, whatever its length
    (meeting, participants, items, statements, decisions).
    """
    with translation.override(language):
        context = protocol_report_context(meeting)
        return render_pdf("meetings/pdf/protocol.html", context, language=language)


def protocol_report_context(meeting):
    meeting = Meeting.objects.select_related("body", "recorder", "approves").get(pk=meeting.pk)
    participants = list(meeting.participants.select_related("kibbutz"))
    items = list(
        meeting.items.prefetch_related(
            Prefetch("statements", queryset=Statement.objects.select_related("speaker")),
            Prefetch("decisions", queryset=Decision.objects.select_related("owner")),
        )
    )
    decisions = [decision for item in items for decision in item.decisions.all()]
    return {
        "meeting": meeting,
        "report_title": str(meeting),
        "participants": participants,
        "present_count": sum(1 for p in participants if p.attendance != p.Attendance.ABSENT),
        "items": items,
        "decisions": decisions,
        "today": timezone.localdate(),
    }
