"""Follow-up surveys: one invitation per participation, answered once through a personal link."""

from enum import StrEnum

from piccolo.columns import ForeignKey, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from boerse.opportunities.tables import Opportunity, SignUp
from boerse.questionnaires.tables import Questionnaire


class InvitationStatus(StrEnum):
    SENT = "sent"
    ANSWERED = "answered"


class SurveyInvitation(Table):
    """The unique `sign_up` makes a second survey email for the same participation impossible."""

    sign_up = ForeignKey(SignUp, null=False, unique=True, on_delete=OnDelete.cascade)
    opportunity = ForeignKey(Opportunity, null=False, on_delete=OnDelete.cascade, index=True)
    token_hash = Varchar(length=64, unique=True)
    status = Varchar(length=20, default=InvitationStatus.SENT.value)
    expires_at = Timestamptz()
    created_at = Timestamptz(default=TimestamptzNow())
    answered_at = Timestamptz(null=True, default=None)
    questionnaire = ForeignKey(
        Questionnaire, null=True, on_delete=OnDelete.set_null, default=None, index=True
    )
    """What the link answers; None on invitations older than questionnaires (they answer
    their opportunity's questionnaire)."""
