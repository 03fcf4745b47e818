"""Results of a questionnaire version, counted from `AnswerTally`.

A results page costs the same number of queries at ten answers and at a hundred thousand:
the versions with their response counts (one GROUP BY), the version's plan (three), its
tallies (one), the invitations (one) and, for officers, one page of free texts (one).
Distributions come in option order with zeros, so every chart shows the whole scale.
Tallies count every saved answer, those of walk audits still under way included (each stop
is saved as it is submitted); the response count is that of completed responses.

Below the minimum group size only counts leave this module: an officer who knows who took
part could otherwise read a single person's answers."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from piccolo.columns.combination import WhereRaw
from piccolo.query.functions.aggregate import Count

from boerse.assessments.tables import AssessmentAccess, AssessmentLink
from boerse.lib.db import CachedSelect, sql_literals
from boerse.questionnaires.aggregates import (
    QuestionResult,
    WalkResults,
    question_result,
    walk_results,
)
from boerse.questionnaires.kinds import RATING_OPTIONS, TEXT_KINDS, QuestionKind
from boerse.questionnaires.model import VersionPlan, load_plan
from boerse.questionnaires.tables import Answer, AnswerTally, Questionnaire, Response
from boerse.surveys.tables import SurveyInvitation

TEXTS_PER_PAGE = 50


@dataclass(frozen=True)
class TextItem:
    question: str
    stop: str
    text: str


@dataclass(frozen=True)
class TextPage:
    """One page of free texts, newest first."""

    items: tuple[TextItem, ...]
    page: int
    pages: int
    total: int


@dataclass(frozen=True)
class VersionCount:
    id: int
    number: int
    completed: int
    in_progress: int


@dataclass(frozen=True)
class QuestionnaireResults:
    questionnaire_id: int
    versions: tuple[VersionCount, ...]
    version: VersionCount | None
    plan: VersionPlan | None
    invitations: int | None
    """Invitations sent for this questionnaire; None when it is not sent by invitation."""
    questions: tuple[QuestionResult, ...] = ()
    walk: WalkResults | None = None
    texts: TextPage | None = None
    withheld_below: int | None = None
    """The minimum group size, when answers exist but fewer: only counts are shown then."""

    @property
    def responses(self) -> int:
        return self.version.completed if self.version else 0

    @property
    def in_progress(self) -> int:
        return self.version.in_progress if self.version else 0

    @property
    def all_responses(self) -> int:
        return sum(v.completed for v in self.versions)

    @property
    def response_rate(self) -> float | None:
        """Completed responses (all versions) per invitation, in percent, capped at 100."""
        if not self.invitations:
            return None
        return min(100.0, 100 * self.all_responses / self.invitations)

    @property
    def shown(self) -> bool:
        return self.version is not None and self.withheld_below is None and self.responses > 0

    @property
    def asks_free_text(self) -> bool:
        return self.plan is not None and any(q.kind in TEXT_KINDS for q in self.plan.questions)

    @property
    def overall(self) -> QuestionResult | None:
        """The first rating question: the "Gesamtbewertung" of a feedback questionnaire."""
        return next((q for q in self.questions if q.question.kind == QuestionKind.RATING), None)


# --- queries -----------------------------------------------------------------------------------

_VERSIONS_SQL = (
    "SELECT v.id AS id, v.number AS number, COUNT(r.id) AS responses,"
    " COALESCE(SUM(CASE WHEN r.completed THEN 1 ELSE 0 END), 0) AS completed"
    " FROM questionnaire_version v LEFT JOIN response r ON r.version = v.id"
    " WHERE v.questionnaire = {} GROUP BY v.id, v.number ORDER BY v.number"
)


async def version_counts(questionnaire_id: int) -> tuple[VersionCount, ...]:
    """Every version with its completed and started responses, in one query."""
    rows = await Response.raw(_VERSIONS_SQL, questionnaire_id)
    return tuple(
        VersionCount(
            row["id"],
            row["number"],
            int(row["completed"]),
            int(row["responses"]) - int(row["completed"]),
        )
        for row in rows
    )


def choose_version(versions: tuple[VersionCount, ...], number: int | None) -> VersionCount | None:
    """The version asked for; by default the latest one anybody answered, else the latest."""
    if number is not None:
        return next((v for v in versions if v.number == number), None)
    answered = [v for v in versions if v.completed or v.in_progress]
    return (answered or list(versions) or [None])[-1]


async def invitation_count(questionnaire_id: int | None, opportunity_id: int | None) -> int | None:
    """Who was asked: the survey invitations of the opportunity (its questionnaire is the one
    they answer), or the single-use links of a standalone assessment; None when nobody is
    invited one by one (an assessment open to every account)."""
    if opportunity_id is not None:
        return (await _INVITATIONS.rows(opportunity_id))[0]["n"]
    if questionnaire_id is None:
        return None
    links = await AssessmentLink.count().where(
        AssessmentLink.assessment.questionnaire == questionnaire_id,
        AssessmentLink.assessment.access == AssessmentAccess.LINK.value,
    )
    return links or None


_INVITATIONS = CachedSelect(
    lambda: SurveyInvitation.select(Count(alias="n")).where(
        WhereRaw("survey_invitation.opportunity = id__")
    ),
    "id__",
)


async def tallies(question_ids: list[int]) -> dict[tuple[int, int], dict[str, tuple[int, float]]]:
    """(question, stop) → choice → (answers, total), one query for a whole version."""
    counted: dict[tuple[int, int], dict[str, tuple[int, float]]] = defaultdict(dict)
    if not question_ids:
        return counted
    rows = await AnswerTally.select(
        AnswerTally.question, AnswerTally.stop, AnswerTally.choice, AnswerTally.answers,
        AnswerTally.total,
    ).where(AnswerTally.question.is_in(question_ids))  # fmt: skip
    for row in rows:
        counted[(row["question"], row["stop"])][row["choice"]] = (row["answers"], row["total"])
    return counted


async def text_page(plan: VersionPlan, total: int, page: int) -> TextPage:
    """Free texts of the version, newest first (answers are stored in the order given)."""
    pages = max(1, math.ceil(total / TEXTS_PER_PAGE))
    page = min(max(1, page), pages)
    ids = [q.id for q in plan.questions if q.kind in TEXT_KINDS]
    if not total or not ids:
        return TextPage((), page, pages, total)
    rows = (
        await Answer.select(Answer.question, Answer.stop, Answer.text)
        .where(Answer.question.is_in(ids), Answer.text.is_not_null(), Answer.text != "")
        .order_by(Answer.id, ascending=False)
        .limit(TEXTS_PER_PAGE)
        .offset((page - 1) * TEXTS_PER_PAGE)
    )
    texts = {q.id: q.text for q in plan.questions}
    stops = {s.id: s.name for s in plan.stops}
    items = tuple(
        TextItem(texts[row["question"]], stops.get(row["stop"] or 0, ""), row["text"])
        for row in rows
    )
    return TextPage(items, page, pages, total)


# --- the service ---------------------------------------------------------------------------------


async def questionnaire_results(
    questionnaire_id: int,
    *,
    opportunity_id: int | None,
    min_answers: int,
    version_number: int | None = None,
    with_texts: bool = False,
    text_page_number: int = 1,
) -> QuestionnaireResults | None:
    """The results of one version (by default the latest answered); None when the version
    asked for does not exist. Free texts only `with_texts` (officers), never for the public."""
    versions = await version_counts(questionnaire_id)
    version = choose_version(versions, version_number)
    if version is None and version_number is not None:
        return None
    invitations = await invitation_count(questionnaire_id, opportunity_id)
    plan = await load_plan(version.id) if version else None
    base = QuestionnaireResults(questionnaire_id, versions, version, plan, invitations)
    if version is None or plan is None or not version.completed:
        return base
    if version.completed < min_answers:
        return QuestionnaireResults(
            questionnaire_id, versions, version, plan, invitations, withheld_below=min_answers
        )
    counted = await tallies([q.id for q in plan.questions])
    walk = walk_results(plan, counted) if plan.is_walk_audit else None
    once = [q for q in plan.questions if not (walk and q.per_stop) and q.kind not in TEXT_KINDS]
    texts = None
    if with_texts:
        total = sum(
            sum(n for n, _ in choices.values())
            for (question_id, _stop), choices in counted.items()
            if (q := plan.question(question_id)) is not None and q.kind in TEXT_KINDS
        )
        texts = await text_page(plan, total, text_page_number)
    return QuestionnaireResults(
        questionnaire_id,
        versions,
        version,
        plan,
        invitations,
        questions=tuple(question_result(q, plan, counted.get((q.id, 0), {})) for q in once),
        walk=walk,
        texts=texts,
    )


async def questionnaire_of_opportunity(opportunity_id: int) -> int | None:
    row = await _OF_OPPORTUNITY.first(opportunity_id)
    return row["id"] if row else None


# Asked by every results page of an opportunity; written once per process.
_OF_OPPORTUNITY = CachedSelect(
    lambda: (
        Questionnaire.select(Questionnaire.id)
        .where(WhereRaw("questionnaire.opportunity = id__"))
        .limit(1)
    ),
    "id__",
)


@dataclass(frozen=True)
class OverallRating:
    """The "Gesamtbewertung": the first rating question of each version, all versions
    together (each version keeps its own wording, but the scale is the same)."""

    questionnaire_id: int
    opportunity_id: int | None
    answers: int
    average: float | None


_RATING_POINTS = " ".join(f"WHEN '{o.key}' THEN {o.value}" for o in RATING_OPTIONS)
_RATING_KEYS = sql_literals([o.key for o in RATING_OPTIONS])
# Built from our own constants only; every value from outside is a parameter.
_OVERALL_SQL = f"""
SELECT qn.id AS questionnaire, qn.opportunity AS opportunity, SUM(t.answers) AS answers,
  SUM(t.answers * CASE t.choice {_RATING_POINTS} ELSE 0 END) AS points
FROM answer_tally t JOIN question q ON q.id = t.question
  JOIN questionnaire_version v ON v.id = q.version
  JOIN questionnaire qn ON qn.id = v.questionnaire
WHERE t.stop = 0 AND t.choice IN ({_RATING_KEYS}) AND q.id = (
  SELECT q2.id FROM question q2 WHERE q2.version = q.version
  AND q2.kind = '{QuestionKind.RATING.value}' ORDER BY q2.page, q2.position, q2.id LIMIT 1)
  {{where}}
GROUP BY qn.id, qn.opportunity"""  # noqa: S608


async def overall_ratings(questionnaire_id: int | None = None) -> list[OverallRating]:
    """One questionnaire's overall rating, or that of every opportunity's questionnaire:
    one query over the tallies, whatever the number of answers."""
    if questionnaire_id is None:
        sql, params = _OVERALL_SQL.replace("{where}", "AND qn.opportunity IS NOT NULL"), []
    else:
        sql, params = _OVERALL_SQL.replace("{where}", "AND qn.id = {}"), [questionnaire_id]
    rows = await AnswerTally.raw(sql, *params)
    return [
        OverallRating(
            row["questionnaire"],
            row["opportunity"],
            int(row["answers"] or 0),
            float(row["points"]) / int(row["answers"]) if row["answers"] else None,
        )
        for row in rows
    ]
