"""Standalone assessments: a questionnaire answered through a public link, open for a period.

An assessment (Mit-Bewerten campaign, e.g. "Zeig uns deinen Lieblingsplatz") asks one
questionnaire of its organisation. Who may answer is its `access`: one answer per verified
account, or one per single-use link mailed to an address. Neither table can tell which
response is whose: a link only knows it was used, a participant row only that the account
answered; the anonymous `Response` rows have no reference to either."""

from enum import StrEnum

from piccolo.columns import Boolean, ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from boerse.accounts.tables import Organisation, User
from boerse.questionnaires.tables import Questionnaire


class AssessmentAccess(StrEnum):
    ACCOUNT = "account"
    """One answer per verified account (public link and QR code, login required)."""
    LINK = "link"
    """One answer per single-use link mailed by the officers."""


class LinkStatus(StrEnum):
    SENT = "sent"
    ANSWERED = "answered"


class Assessment(Table):
    """`slug` is random and unguessable: the public address does not reveal how many
    assessments exist, and a campaign that is not listed yet cannot be found by counting."""

    questionnaire = ForeignKey(Questionnaire, null=False, unique=True, on_delete=OnDelete.cascade)
    organisation = ForeignKey(Organisation, null=False, on_delete=OnDelete.cascade, index=True)
    title = Varchar(length=150)
    description = Text(default="")
    slug = Varchar(length=40, unique=True)
    access = Varchar(length=20, default=AssessmentAccess.ACCOUNT.value)
    opens_at = Timestamptz(default=TimestamptzNow())
    closes_at = Timestamptz(default=TimestamptzNow())
    created_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class AssessmentLink(Table):
    """A single-use link. Only the SHA-256 of its token is kept; the address it went to is
    in the outbox row alone (and leaves with it)."""

    assessment = ForeignKey(Assessment, null=False, on_delete=OnDelete.cascade, index=True)
    token_hash = Varchar(length=64, unique=True)
    status = Varchar(length=20, default=LinkStatus.SENT.value)
    created_at = Timestamptz(default=TimestamptzNow())


class AssessmentParticipant(Table):
    """That an account answered an account-access assessment (unique per assessment and
    account, by a hand-written index): written in the transaction that completes the
    response, never pointing to it."""

    assessment = ForeignKey(Assessment, null=False, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    completed = Boolean(default=False)
