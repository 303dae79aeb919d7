"""Writes of visits: logging one with its people and follow-ups, reading notes, retention."""

import datetime

from django.db import transaction
from django.utils import timezone

from .models import FollowUp, NotesRead, PersonMet, Visit


@transaction.atomic
def visit_save(*, form, people, follow_ups, coordinator):
    """Save a visit (new or edited) with the people met and its follow-ups, all or nothing."""
    visit = form.save(commit=False)
    if not visit.pk:
        visit.coordinator = coordinator
    visit.save()
    form.save_m2m()
    visit.kibbutzim.set([form.cleaned_data["kibbutz"], *form.cleaned_data["more_kibbutzim"]])
    people.instance = visit
    people.save()
    follow_ups.instance = visit
    for follow_up in follow_ups.save(commit=False):
        follow_up.owner = follow_up.owner or coordinator
        follow_up.save()
    for deleted in follow_ups.deleted_objects:
        deleted.delete()
    return visit


def notes_read(*, visit, user):
    """Record that `user` read the visit's notes (who and when)."""
    NotesRead.objects.create(visit=visit, user=user)


def notes_read_in_search(*, visits, user):
    """Record that `user` saw a piece of each visit's notes among search results (one query)."""
    if visits:
        NotesRead.objects.bulk_create([NotesRead(visit=visit, user=user) for visit in visits])


def follow_up_set_status(*, follow_up, status):
    follow_up.status = status
    follow_up.save(update_fields=["status"])
    return follow_up


@transaction.atomic
def visit_remove_names(*, older_than_days, today=None):
    """Remove the names of the people met from visits older than the retention period.

    Returns how many visits were cleaned. Their summaries stay; the secretariat is asked (in the
    documentation) not to write names into summaries.
    """
    cutoff = (today or timezone.localdate()) - datetime.timedelta(days=older_than_days)
    old = Visit.objects.filter(date__lt=cutoff, names_removed_at__isnull=True)
    ids = list(old.values_list("pk", flat=True))
    PersonMet.objects.filter(visit_id__in=ids).delete()
    Visit.objects.filter(pk__in=ids).update(names_removed_at=timezone.now())
    return len(ids)


def follow_ups_to_hand_over(person):
    """Open follow-ups a leaving person owns; done ones keep their owner as the record."""
    return FollowUp.objects.filter(owner=person, status=FollowUp.Status.OPEN)


def follow_ups_hand_over(*, person, successor):
    """Make `successor` the owner of `person`'s open follow-ups. Sends no notice (the caller tells the
    successor once). Returns how many moved."""
    return follow_ups_to_hand_over(person).update(owner=successor)
