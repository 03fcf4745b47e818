"""Questionnaires, their versions, questions and walk-audit stops, and the anonymous answers.

A questionnaire is edited in place until someone answers it; from then on an edit creates a
new version (a copy of questions and stops), and every response keeps the version it
answered, so results never mix two wordings. Responses point to neither a person nor an
invitation: answers stay anonymous. `AnswerTally` holds the count per question, stop and
answer option, kept in the transaction that stores the answers, so a results page costs
the same at ten answers and at a hundred thousand."""

from enum import StrEnum

from piccolo.columns import (
    Boolean,
    Float,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from boerse.accounts.tables import Organisation, User
from boerse.opportunities.tables import Opportunity


class QuestionnaireKind(StrEnum):
    SURVEY = "survey"
    WALK_AUDIT = "walk_audit"
    """Asks its per-stop questions at every stop, in the stops' order (Begehung)."""


class Questionnaire(Table):
    """An opportunity's questionnaire, a standalone assessment's, or a template.

    Templates have `is_template`; built-in ones carry a `template_key` (one row per key and
    language), town-wide ones made by admins have no organisation, an organisation's own
    templates have one. `default_for_mode` marks the template a mode's opportunities start
    from when their officers have not built their own."""

    organisation = ForeignKey(Organisation, null=True, on_delete=OnDelete.cascade, index=True)
    opportunity = ForeignKey(
        Opportunity, null=True, unique=True, on_delete=OnDelete.cascade, default=None
    )
    kind = Varchar(length=20, default=QuestionnaireKind.SURVEY.value)
    title = Varchar(length=150)
    intro = Text(default="")
    language = Varchar(length=10, default="de")
    is_template = Boolean(default=False, index=True)
    template_key = Varchar(length=40, null=True, default=None)
    default_for_mode = Varchar(length=20, null=True, default=None)
    reminder_days = Varchar(length=40, default="3,10")
    """Days after the invitation on which a reminder goes out, comma-separated; empty: none."""
    created_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class QuestionnaireVersion(Table):
    questionnaire = ForeignKey(Questionnaire, null=False, on_delete=OnDelete.cascade, index=True)
    number = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())


class Question(Table):
    """One question of a version. `page` groups questions on one screen (1-based); `section`
    is a heading shown above the question that starts a section. For walk audits,
    `per_stop` questions are asked at every stop, the others once after the last stop.
    `options` is a JSON list of {"key", "label"} for choice questions."""

    version = ForeignKey(QuestionnaireVersion, null=False, on_delete=OnDelete.cascade, index=True)
    position = Integer(default=0)
    page = Integer(default=1)
    section = Varchar(length=150, default="")
    kind = Varchar(length=30)
    text = Varchar(length=300)
    help = Text(default="")
    required = Boolean(default=False)
    options = Text(default="[]")
    allow_dont_know = Boolean(default=False)
    per_stop = Boolean(default=False)
    min_value = Float(null=True, default=None)
    max_value = Float(null=True, default=None)


class Stop(Table):
    """A stop of a walk audit (Begehung), asked in `position` order."""

    version = ForeignKey(QuestionnaireVersion, null=False, on_delete=OnDelete.cascade, index=True)
    position = Integer(default=0)
    name = Varchar(length=150)
    address = Varchar(length=200, default="")
    latitude = Float(null=True, default=None)
    longitude = Float(null=True, default=None)


class Response(Table):
    """One respondent's answers to one version. `progress` counts the pages saved so far (a
    walk audit saves each stop as it is submitted); `resume_hash` is the SHA-256 of a key
    only the respondent's link knows, cleared when the response is complete, so it cannot
    be joined to an invitation. `submitted_at` is kept to the day for the same reason."""

    questionnaire = ForeignKey(Questionnaire, null=False, on_delete=OnDelete.cascade, index=True)
    version = ForeignKey(QuestionnaireVersion, null=False, on_delete=OnDelete.cascade, index=True)
    opportunity = ForeignKey(
        Opportunity, null=True, on_delete=OnDelete.cascade, index=True, default=None
    )
    progress = Integer(default=0)
    completed = Boolean(default=False)
    resume_hash = Varchar(length=64, null=True, unique=True, default=None)
    submitted_at = Timestamptz(default=TimestamptzNow())


class Answer(Table):
    """One answered question (one row per chosen option of a multiple-choice question).
    `choice` holds the option key or scale value, `number` a number or the scale value,
    `text` free text or the written description of a place."""

    response = ForeignKey(Response, null=False, on_delete=OnDelete.cascade, index=True)
    question = ForeignKey(Question, null=False, on_delete=OnDelete.cascade, index=True)
    stop = ForeignKey(Stop, null=True, on_delete=OnDelete.cascade, default=None)
    choice = Varchar(length=40, null=True, default=None)
    number = Float(null=True, default=None)
    text = Text(null=True, default=None)
    latitude = Float(null=True, default=None)
    longitude = Float(null=True, default=None)


class AnswerTally(Table):
    """How often each option of a question was chosen (per stop; 0 = not a stop question),
    with the sum of the numbers, for averages. Unique on (question, stop, choice)."""

    question = ForeignKey(Question, null=False, on_delete=OnDelete.cascade, index=True)
    stop = Integer(default=0)
    choice = Varchar(length=40, default="")
    answers = Integer(default=0)
    total = Float(default=0.0)
