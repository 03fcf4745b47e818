"""What retention has to remember: whom it warned, and which accounts are placeholders."""

from piccolo.columns import ForeignKey, OnDelete, Timestamptz
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from boerse.accounts.tables import User


class InactivityWarning(Table):
    """The one warning mail an inactive account got. Unique per account, so a repeated job
    never warns twice; removed once the person logs in again, so a later inactivity gets a
    warning of its own."""

    user = ForeignKey(User, null=False, unique=True, on_delete=OnDelete.cascade)
    warned_at = Timestamptz(default=TimestamptzNow(), index=True)


class AnonymousParticipant(Table):
    """A placeholder account that holds the anonymised sign-ups of one former participant:
    no name, no reachable address, no password, never active. It keeps one person counted
    once in the statistics without saying who it was."""

    user = ForeignKey(User, null=False, unique=True, on_delete=OnDelete.cascade)
    created_at = Timestamptz(default=TimestamptzNow())


def real_accounts():
    """The condition for accounts of people, leaving out the placeholders above (admin
    lists and counts, and retention itself, never treat a placeholder as a person)."""
    return User.id.not_in(AnonymousParticipant.select(AnonymousParticipant.user))
