"""The visits app's background work, registered with the floor: the follow-ups digest in the reminder
round and the notice to a follow-up's new owner."""

from movement import reminders


def register():
    from .models import FollowUp
    from .reminders import follow_up_digests, notify_owner

    reminders.register_round(follow_up_digests)
    reminders.watch_assignment(FollowUp, "owner", notify_owner)
