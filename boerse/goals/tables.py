"""Tables of the goals domain: outcome goals (Wirkungsziele), the opportunities that serve
them and the questions that indicate them."""

from piccolo.columns import Boolean, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from boerse.opportunities.tables import Opportunity
from boerse.profiles.tables import FieldOfAction
from boerse.questionnaires.tables import Question


class Goal(Table):
    """A main goal (`parent` empty) or one of its sub-goals; only two levels. A retired goal
    keeps its links and figures but is offered for no new link."""

    parent = ForeignKey("self", null=True, default=None, on_delete=OnDelete.cascade, index=True)
    title = Varchar(length=200)
    description = Text(default="")
    field = ForeignKey(FieldOfAction, null=True, default=None, on_delete=OnDelete.set_null)
    position = Integer(default=0)
    retired = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())


class OpportunityGoal(Table):
    """An opportunity serves a goal (unique pair by a hand-written index)."""

    opportunity = ForeignKey(Opportunity, null=False, on_delete=OnDelete.cascade, index=True)
    goal = ForeignKey(Goal, null=False, on_delete=OnDelete.cascade, index=True)


class GoalIndicator(Table):
    """A question that indicates a goal (unique pair by a hand-written index)."""

    goal = ForeignKey(Goal, null=False, on_delete=OnDelete.cascade, index=True)
    question = ForeignKey(Question, null=False, on_delete=OnDelete.cascade, index=True)
