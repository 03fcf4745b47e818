"""Tables of the messages domain: the officer's copy of every message to participants.

The mails themselves are rows of the outbox (one per recipient, each with a single
address); a `Message` keeps what was written, to whom (as an audience, never as a list of
addresses) and how many it reached, for the list "Gesendete Nachrichten"."""

from enum import StrEnum

from piccolo.columns import ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from boerse.accounts.tables import User
from boerse.opportunities.tables import Opportunity, OpportunitySession


class Audience(StrEnum):
    SESSION = "session"
    """Everyone with a place on one date."""
    UPCOMING = "upcoming"
    """Everyone with a place on any date still ahead (each person once)."""
    WAITLIST = "waitlist"
    """The waitlist of one date, or of every date still ahead when no date is chosen."""


class Message(Table):
    opportunity = ForeignKey(Opportunity, null=False, on_delete=OnDelete.cascade, index=True)
    session = ForeignKey(OpportunitySession, null=True, on_delete=OnDelete.set_null)
    session_starts_at = Timestamptz(null=True, default=None)
    """The chosen date's start, kept for the list when the date is deleted later."""
    sender = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    sender_name = Varchar(length=100, default="")
    """The officer's name at sending, so the copy still says who wrote after their account went."""
    audience = Varchar(length=20)
    subject = Varchar(length=120)
    body = Text()
    recipient_count = Integer(default=0)
    skipped_count = Integer(default=0)
    """Recipients of the audience who switched such messages off and were not written to."""
    send_key = Varchar(length=40, unique=True)
    """The compose form's one-time key: a form sent twice (a double click, a reload) sends once."""
    sent_at = Timestamptz(default=TimestamptzNow(), index=True)
