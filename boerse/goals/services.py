"""Outcome goals (Wirkungsziele): the hierarchy the administrators keep, the links of the
opportunities to goals, the questions marked as indicators, and the figures of a goal's
public page. Every query of the domain is here."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from babel.dates import format_date
from piccolo.columns.combination import WhereRaw
from piccolo.query.functions.aggregate import Count, Sum

from boerse.audit.actions import Action
from boerse.audit.services import record
from boerse.lib.db import CachedSelect, write_transaction
from boerse.lib.i18n import current_locale
from boerse.opportunities.tables import (
    HOLDING_STATUSES,
    Attendance,
    OpportunityStatus,
    SignUp,
)
from boerse.profiles.tables import FieldOfAction
from boerse.questionnaires.kinds import AGREE_FROM, DONT_KNOW, QuestionKind
from boerse.questionnaires.model import latest_version_id
from boerse.questionnaires.tables import Answer, Question

from .schemas import GoalInput
from .tables import Goal, GoalIndicator, OpportunityGoal

INDICATOR_KINDS = (
    QuestionKind.AGREEMENT.value,
    QuestionKind.RATING.value,
    QuestionKind.NUMBER.value,
)
"""Kinds whose answers give a figure per month (a share or an average)."""


# --- the hierarchy -------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalRow:
    id: int
    parent_id: int | None
    title: str
    description: str
    field_id: int | None
    field_name: str
    position: int
    retired: bool


@dataclass
class GoalBranch:
    """A main goal with its sub-goals in their order."""

    goal: GoalRow
    subs: list[GoalRow] = field(default_factory=list)


_GOAL_COLUMNS = (
    Goal.id,
    Goal.parent.as_alias("parent_id"),
    Goal.title,
    Goal.description,
    Goal.field.as_alias("field_id"),
    Goal.field.name.as_alias("field_name"),
    Goal.position,
    Goal.retired,
)


def _goal_row(row: dict) -> GoalRow:
    return GoalRow(**(row | {"field_name": row["field_name"] or ""}))


async def goal_tree(*, include_retired: bool = False) -> list[GoalBranch]:
    """All goals in one query, main goals with their sub-goals. A retired main goal hides
    its sub-goals too (unless `include_retired`)."""
    query = Goal.select(*_GOAL_COLUMNS).order_by(Goal.position).order_by(Goal.id)
    if not include_retired:
        query = query.where(Goal.retired.eq(False))
    rows = [_goal_row(row) for row in await query]
    branches = {row.id: GoalBranch(row) for row in rows if row.parent_id is None}
    for row in rows:
        if row.parent_id in branches:
            branches[row.parent_id].subs.append(row)
    return list(branches.values())


async def get_goal(goal_id: int) -> GoalRow | None:
    row = await Goal.select(*_GOAL_COLUMNS).where(Goal.id == goal_id).first()
    return _goal_row(row) if row else None


async def parent_choices(exclude: int | None = None) -> list[tuple[int, str]]:
    """Main goals a goal may be placed under (two levels only: not itself)."""
    query = Goal.select(Goal.id, Goal.title).where(Goal.parent.is_null(), Goal.retired.eq(False))
    if exclude is not None:
        query = query.where(Goal.id != exclude)
    return [(row["id"], row["title"]) for row in await query.order_by(Goal.position)]


async def has_sub_goals(goal_id: int) -> bool:
    return await Goal.exists().where(Goal.parent == goal_id)


async def field_choices() -> list[tuple[int, str]]:
    rows = await FieldOfAction.select(FieldOfAction.id, FieldOfAction.name).order_by(
        FieldOfAction.position
    )
    return [(row["id"], row["name"]) for row in rows]


async def save_goal(goal_id: int | None, data: GoalInput) -> int:
    """Creates (`goal_id` None) or changes a goal; one transaction with its audit entry."""
    values = {
        Goal.title: data.title,
        Goal.description: data.description,
        Goal.parent: data.parent_id,
        Goal.field: data.field_id,
        Goal.position: data.position,
    }
    async with write_transaction():
        if goal_id is None:
            inserted = await Goal.insert(
                Goal(**{column._meta.name: value for column, value in values.items()})
            ).returning(Goal.id)
            goal_id = inserted[0]["id"]
        else:
            await Goal.update(values).where(Goal.id == goal_id)
        await record(Action.GOAL_SAVED, goal_id, summary=data.title)
    return goal_id


async def set_retired(goal_id: int, retired: bool) -> None:
    """Retiring keeps links and figures; the goal is just offered for no new link."""
    async with write_transaction():
        await Goal.update({Goal.retired: retired}).where(Goal.id == goal_id)
        await record(Action.GOAL_RETIRED if retired else Action.GOAL_SAVED, goal_id)


# --- links of opportunities ----------------------------------------------------------------


async def goal_ids_of(opportunity_id: int) -> list[int]:
    rows = await OpportunityGoal.select(OpportunityGoal.goal).where(
        OpportunityGoal.opportunity == opportunity_id
    )
    return [row["goal"] for row in rows]


async def goals_of_opportunity(opportunity_id: int) -> list[tuple[int, str]]:
    """The goals an opportunity serves, for its pages (id, title)."""
    rows = await _GOALS_OF_OPPORTUNITY.rows(opportunity_id)
    return [(row["goal.id"], row["goal.title"]) for row in rows]


# On every offer's page; the select with its join is written once per process.
_GOALS_OF_OPPORTUNITY = CachedSelect(
    lambda: (
        OpportunityGoal.select(OpportunityGoal.goal.id, OpportunityGoal.goal.title)
        .where(WhereRaw("opportunity_goal.opportunity = id__"))
        .order_by(OpportunityGoal.goal.position)
    ),
    "id__",
)


async def _linked(goal_id: int) -> list[dict]:
    """The links of the goal and of its sub-goals (any status of the opportunity: those
    of a closed one took part too)."""
    return await OpportunityGoal.select(
        OpportunityGoal.opportunity,
        OpportunityGoal.opportunity.organisation.as_alias("organisation_id"),
    ).where((OpportunityGoal.goal == goal_id) | (OpportunityGoal.goal.parent == goal_id))


async def linked_opportunity_ids(goal_id: int) -> list[int]:
    """The opportunities whose participants hear of a reply to the goal."""
    return sorted({row["opportunity"] for row in await _linked(goal_id)})


async def linked_organisation_ids(goal_id: int) -> set[int]:
    """The organisations that serve the goal with an opportunity: their officers may reply
    to its results."""
    return {row["organisation_id"] for row in await _linked(goal_id)}


async def link_choices(keep: list[int] | None = None) -> list[tuple[str, list[tuple[int, str]]]]:
    """The checkboxes of the opportunity form grouped by main goal (the main goal itself
    first in its group); retired goals only when already linked (`keep`)."""
    keep_ids = set(keep or [])
    groups = []
    for branch in await goal_tree(include_retired=True):
        goals = [branch.goal, *branch.subs]
        shown = [(g.id, g.title) for g in goals if not g.retired or g.id in keep_ids]
        if shown:
            groups.append((branch.goal.title, shown))
    return groups


async def replace_links(opportunity_id: int, goal_ids: list[int]) -> None:
    """Inside the caller's transaction (the opportunity's save)."""
    await OpportunityGoal.delete().where(OpportunityGoal.opportunity == opportunity_id)
    if goal_ids:
        await OpportunityGoal.insert(
            *(OpportunityGoal(opportunity=opportunity_id, goal=g) for g in sorted(set(goal_ids)))
        )


# --- indicators ----------------------------------------------------------------------------
#
# A new questionnaire version copies its questions, so the question rows change while the
# question stays the same. An indicator is marked on a question of the latest version; it
# is matched across versions by the question's text and kind (the questionnaire's other
# versions' questions with the same text and kind count as the same indicator). This needs
# no hook in the builder, survives any number of versions, and a question whose text was
# changed is rightly a new question that has to be marked again.


@dataclass(frozen=True)
class IndicatorQuestion:
    id: int
    text: str
    kind: str
    goal_ids: list[int]


async def _questionnaire_questions(questionnaire_id: int) -> list[dict]:
    return await Question.select(
        Question.id, Question.text, Question.kind, Question.version.as_alias("version_id")
    ).where(Question.version.questionnaire == questionnaire_id)


async def indicator_form(questionnaire_id: int) -> list[IndicatorQuestion]:
    """The latest version's questions that can be indicators, each with the goals it is
    marked for (marks on older versions' twins included)."""
    version_id = await latest_version_id(questionnaire_id)
    questions = await _questionnaire_questions(questionnaire_id)
    marks = await GoalIndicator.select(GoalIndicator.goal, GoalIndicator.question).where(
        GoalIndicator.question.is_in([q["id"] for q in questions] or [0])
    )
    by_id = {q["id"]: (q["text"], q["kind"]) for q in questions}
    goals_by_key: dict[tuple[str, str], set[int]] = defaultdict(set)
    for mark in marks:
        goals_by_key[by_id[mark["question"]]].add(mark["goal"])
    return [
        IndicatorQuestion(
            q["id"], q["text"], q["kind"], sorted(goals_by_key[(q["text"], q["kind"])])
        )
        for q in sorted(questions, key=lambda q: q["id"])
        if q["version_id"] == version_id and q["kind"] in INDICATOR_KINDS
    ]


async def save_indicators(questionnaire_id: int, marks: dict[int, list[int]]) -> None:
    """Replaces every mark of the questionnaire (all versions) by `marks` on the latest
    version's questions (question id → goal ids), in one transaction."""
    questions = await _questionnaire_questions(questionnaire_id)
    async with write_transaction():
        await GoalIndicator.delete().where(
            GoalIndicator.question.is_in([q["id"] for q in questions] or [0])
        )
        rows = [
            GoalIndicator(goal=goal_id, question=question_id)
            for question_id, goal_ids in sorted(marks.items())
            for goal_id in sorted(set(goal_ids))
        ]
        if rows:
            await GoalIndicator.insert(*rows)
        await record(Action.GOAL_INDICATORS_SAVED, questionnaire_id, count=len(rows))


# --- the public goal page ------------------------------------------------------------------


@dataclass(frozen=True)
class MonthFigure:
    month: dt.date
    answers: int
    value: float | None
    """Agreement share (0..1) or average; None when withheld (fewer answers than allowed)."""

    @property
    def label(self) -> str:
        return format_date(self.month, format="MMMM y", locale=current_locale.get())


@dataclass(frozen=True)
class IndicatorFigures:
    text: str
    kind: str
    months: list[MonthFigure]

    @property
    def is_share(self) -> bool:
        return self.kind == QuestionKind.AGREEMENT.value

    @property
    def shown(self) -> list[MonthFigure]:
        return [month for month in self.months if month.value is not None]

    @property
    def bars(self) -> list[Bar]:
        """One bar per month in a 100 × 50 drawing; a withheld month stays an empty slot.
        Shares are drawn against 100 %, ratings against 5, numbers against their maximum."""
        if self.is_share:
            top = 1.0
        elif self.kind == QuestionKind.RATING.value:
            top = 5.0
        else:
            top = max((m.value or 0.0 for m in self.months), default=0.0) or 1.0
        slot = 100 / max(len(self.months), 1)
        return [
            Bar(
                x=round(index * slot + slot * 0.15, 2),
                width=round(slot * 0.7, 2),
                height=round(50 * min(month.value / top, 1.0), 2),
            )
            for index, month in enumerate(self.months)
            if month.value is not None
        ]


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    height: float

    @property
    def y(self) -> float:
        return round(50 - self.height, 2)


@dataclass(frozen=True)
class LinkedOpportunity:
    id: int
    title: str
    organisation_name: str


@dataclass
class GoalPage:
    goal: GoalRow
    parent: GoalRow | None
    subs: list[GoalRow]
    opportunities: list[LinkedOpportunity]
    participants: int | None
    """Distinct people; None when fewer than the minimum group size (withheld)."""
    hours: float | None
    indicators: list[IndicatorFigures]
    min_answers: int

    @property
    def goal_ids(self) -> list[int]:
        """The goals whose opportunities, indicators and replies the page counts."""
        return [self.goal.id, *(sub.id for sub in self.subs)]


async def _published_links(
    goal_ids: list[int],
) -> tuple[list[LinkedOpportunity], dict[int, set[int]]]:
    """The published opportunities linked to the goals, each once, and per goal its own."""
    rows = (
        await OpportunityGoal.select(
            OpportunityGoal.goal,
            OpportunityGoal.opportunity.id.as_alias("id"),
            OpportunityGoal.opportunity.title.as_alias("title"),
            OpportunityGoal.opportunity.organisation.name.as_alias("organisation_name"),
        )
        .where(
            OpportunityGoal.goal.is_in(goal_ids),
            OpportunityGoal.opportunity.status == OpportunityStatus.PUBLISHED.value,
        )
        .order_by(OpportunityGoal.opportunity.title)
    )
    unique: dict[int, LinkedOpportunity] = {}
    by_goal: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        goal = row.pop("goal")
        unique[row["id"]] = LinkedOpportunity(**row)
        by_goal[goal].add(row["id"])
    return list(unique.values()), by_goal


TookPart = dict[int, dict[int, float]]
"""Per person, the opportunities they took part in and the hours recorded there."""


async def _took_part(opportunity_ids: list[int]) -> TookPart:
    """Who took part (a held place, not marked absent) where, with the recorded hours."""
    if not opportunity_ids:
        return {}
    opportunity = SignUp.session.opportunity
    rows = (
        await SignUp.select(
            SignUp.user, opportunity.as_alias("opportunity"), Sum(SignUp.hours, alias="hours")
        )
        .where(
            opportunity.is_in(opportunity_ids),
            SignUp.status.is_in(list(HOLDING_STATUSES)),
            SignUp.attendance.is_null() | (SignUp.attendance != Attendance.ABSENT.value),
        )
        .group_by(SignUp.user, opportunity)
    )
    took_part: TookPart = defaultdict(dict)
    for row in rows:
        took_part[row["user"]][row["opportunity"]] = float(row["hours"] or 0)
    return took_part


def _people_and_hours(took_part: TookPart, opportunity_ids: set[int]) -> tuple[int, float]:
    """Distinct people among the opportunities and the hours they recorded there."""
    people, hours = 0, 0.0
    for places in took_part.values():
        here = [spent for opportunity, spent in places.items() if opportunity in opportunity_ids]
        if here:
            people += 1
            hours += sum(here)
    return people, hours


def participation_withheld(people: int, sub_goal_people: list[int], min_people: int) -> bool:
    """A goal's participants and hours are withheld below the minimum group size, and a main
    goal's also when a reader could subtract a sub-goal's published count from it and find
    fewer people than the minimum (the sub-goal's own page shows its count)."""
    if people < min_people:
        return True
    return any(0 < people - sub < min_people for sub in sub_goal_people if sub >= min_people)


def _month(day: dt.datetime | dt.date) -> dt.date:
    return dt.date(day.year, day.month, 1)


async def _indicator_figures(goal_ids: list[int], min_answers: int) -> list[IndicatorFigures]:
    """Three queries whatever the number of indicators: the marks, their twins in other
    versions, the answers counted per question, day and option."""
    marks = await GoalIndicator.select(
        GoalIndicator.question.id.as_alias("id"),
        GoalIndicator.question.text.as_alias("text"),
        GoalIndicator.question.kind.as_alias("kind"),
        GoalIndicator.question.version.questionnaire.as_alias("questionnaire_id"),
    ).where(GoalIndicator.goal.is_in(goal_ids))
    if not marks:
        return []
    keys = {(m["questionnaire_id"], m["text"], m["kind"]) for m in marks}
    twins = await Question.select(
        Question.id,
        Question.text,
        Question.kind,
        Question.version.questionnaire.as_alias("questionnaire_id"),
    ).where(Question.version.questionnaire.is_in(sorted({k[0] for k in keys})))
    indicator_of = {
        q["id"]: (q["text"], q["kind"])
        for q in twins
        if (q["questionnaire_id"], q["text"], q["kind"]) in keys
    }
    counts = (
        await Answer.select(
            Answer.question,
            Answer.response.submitted_at.as_alias("day"),
            Answer.choice,
            Count(alias="answers"),
            Sum(Answer.number, alias="total"),
        )
        .where(Answer.question.is_in(sorted(indicator_of)))
        .group_by(Answer.question, Answer.response.submitted_at, Answer.choice)
    )
    # (text, kind) → month → [answers counted, sum of values or agreeing answers]
    sums: dict[tuple[str, str], dict[dt.date, list[float]]] = defaultdict(
        lambda: defaultdict(lambda: [0, 0.0])
    )
    for row in counts:
        key = indicator_of[row["question"]]
        cell = sums[key][_month(row["day"])]
        value = _answer_value(key[1], row["choice"], row["answers"], row["total"])
        if value is None:
            continue
        cell[0] += row["answers"]
        cell[1] += value
    figures = []
    for key in sorted({(m["text"], m["kind"]) for m in marks}):
        months = [
            MonthFigure(
                month,
                int(n),
                None if n < min_answers else total / n,
            )
            for month, (n, total) in sorted(sums[key].items())
        ]
        figures.append(IndicatorFigures(key[0], key[1], months))
    return figures


def _answer_value(kind: str, choice: str | None, answers: int, total: float | None) -> float | None:
    """What a group of equal answers adds to the month: agreeing answers (agreement), the
    sum of the scores (rating) or of the numbers; None for "weiß nicht" and empty answers."""
    if kind == QuestionKind.NUMBER.value:
        return float(total or 0)
    if not choice or choice == DONT_KNOW or not choice.isdigit():
        return None
    if kind == QuestionKind.AGREEMENT.value:
        return float(answers) if int(choice) >= AGREE_FROM else 0.0
    return float(int(choice) * answers)


async def goal_page(goal_id: int, min_answers: int) -> GoalPage | None:
    """A goal's public figures; a main goal counts its sub-goals' opportunities and
    indicators too. A fixed number of queries."""
    goal = await get_goal(goal_id)
    if goal is None:
        return None
    parent = await get_goal(goal.parent_id) if goal.parent_id else None
    subs = []
    if goal.parent_id is None:
        subs = [
            _goal_row(row)
            for row in await Goal.select(*_GOAL_COLUMNS)
            .where(Goal.parent == goal_id, Goal.retired.eq(False))
            .order_by(Goal.position)
        ]
    goal_ids = [goal.id, *(sub.id for sub in subs)]
    opportunities, by_goal = await _published_links(goal_ids)
    took_part = await _took_part([o.id for o in opportunities])
    people, hours = _people_and_hours(took_part, {o.id for o in opportunities})
    sub_people = [_people_and_hours(took_part, by_goal[sub.id])[0] for sub in subs]
    withheld = participation_withheld(people, sub_people, min_answers)
    return GoalPage(
        goal=goal,
        parent=parent,
        subs=subs,
        opportunities=opportunities,
        participants=None if withheld else people,
        hours=None if withheld else hours,
        indicators=await _indicator_figures(goal_ids, min_answers),
        min_answers=min_answers,
    )
