"""Who may do what with meetings and decisions. One small function per rule."""

from movement.access import is_member, is_secretariat


def may_read_protocols(user):
    return is_member(user)


def may_change_decision_status(user, decision):
    """The decision's owner and the secretariat move it along; nobody else."""
    return is_secretariat(user) or (is_member(user) and decision.owner_id == user.pk)


def may_edit_protocol(user, meeting):
    """The secretariat edits protocols until they are approved; reopening one is theirs too."""
    return is_secretariat(user) and not meeting.is_read_only
