"""Tables of the replies domain: "Sie haben gesagt – wir haben gehandelt".

A `Reply` is the administration's answer to the results of an opportunity, of a standalone
questionnaire (a walk audit of its own) or of an outcome goal: what it learned and what will change. Each target is
its own nullable foreign key, so a new kind of target is one more nullable column. Every
publication and every status change is a `ReplyUpdate` row; its id names the mails sent for
it (`reply:<update id>:<user id>`), so one update never reaches a person twice."""

from enum import StrEnum

from piccolo.columns import Boolean, Date, ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from boerse.accounts.tables import User
from boerse.goals.tables import Goal
from boerse.opportunities.tables import Opportunity
from boerse.questionnaires.tables import Questionnaire


class ReplyStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class Reply(Table):
    opportunity = ForeignKey(Opportunity, null=True, on_delete=OnDelete.cascade, index=True)
    questionnaire = ForeignKey(Questionnaire, null=True, on_delete=OnDelete.cascade, index=True)
    goal = ForeignKey(Goal, null=True, on_delete=OnDelete.cascade, index=True)
    title = Varchar(length=150)
    learned = Text(default="")
    changes = Text(default="")
    status = Varchar(length=20, default=ReplyStatus.PLANNED.value)
    status_date = Date(null=True, default=None)
    published = Boolean(default=False, index=True)
    published_at = Timestamptz(null=True, default=None)
    created_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class ReplyUpdate(Table):
    """One publication or status change, as the participants were told about it."""

    reply = ForeignKey(Reply, null=False, on_delete=OnDelete.cascade, index=True)
    status = Varchar(length=20)
    status_date = Date(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class ReplyOptOut(Table):
    """A person who asked not to get replies by mail any more."""

    user = ForeignKey(User, null=False, unique=True, on_delete=OnDelete.cascade)
    created_at = Timestamptz(default=TimestamptzNow())
