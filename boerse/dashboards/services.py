"""Read-only aggregates of participation and survey answers, for officers and for the public.

Everything is counted in SQL (GROUP BY / COUNT / SUM) with a fixed number of queries per page,
whatever the number of answers. Individual answers never leave this module except the
anonymous comments, and those only to the officers of the opportunity, and only once enough
people answered: below the minimum group size an officer who knows who attended could read a
single person's rating and comment, so then only counts leave."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from piccolo.query.functions.aggregate import Avg, Count, Sum

from boerse.lib.db import utcnow
from boerse.lib.i18n import N_
from boerse.opportunities.labels import MODE_LABELS
from boerse.opportunities.tables import (
    HOLDING_STATUSES,
    Attendance,
    Opportunity,
    OpportunityStatus,
    SignUp,
)
from boerse.surveys.questions import OVERALL, QUESTIONS, Question
from boerse.surveys.tables import SurveyInvitation, SurveyResponse

# On the agreement scale 4 is "++" and 3 is "+".
AGREE_FROM = 3

# One GROUP BY per question, glued into one statement. The column names come from QUESTIONS
# (our constants), never from input, so building the text is safe.
_DISTRIBUTION_SQL = " UNION ALL ".join(
    f"SELECT '{q.name}' AS question, {q.name} AS answer, COUNT(*) AS answers "  # noqa: S608
    f"FROM survey_response WHERE opportunity = {{}} GROUP BY {q.name}"
    for q in QUESTIONS
)


@dataclass(frozen=True)
class Bar:
    """One answer option of a question with how often it was chosen."""

    symbol: str
    label: str
    count: int
    percent: float


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    answers: int
    bars: list[Bar]
    average: float | None
    agreement: float | None
    """Percent answering ++ or + (statements only): the figure a council report quotes."""


@dataclass(frozen=True)
class Participation:
    sign_ups: int = 0
    attended: int = 0
    hours: float = 0.0


@dataclass(frozen=True)
class OpportunityHeader:
    """Enough of an opportunity to decide who may see its results and to title the page."""

    id: int
    title: str
    mode: str
    status: str
    organisation_id: int
    organisation_name: str
    field_name: str

    @property
    def mode_label(self) -> str:
        return MODE_LABELS.get(self.mode, self.mode)


@dataclass(frozen=True)
class OpportunityResults:
    header: OpportunityHeader
    invitations: int
    responses: int
    questions: list[QuestionResult]
    participation: Participation
    comments: list[str] = field(default_factory=list)
    withheld_below: int | None = None
    """Set to the minimum group size when answers exist but fewer than it: the per-question
    results and comments are then withheld and only the counts are shown."""

    @property
    def response_rate(self) -> float | None:
        """Share of invited people who answered, in percent; None before anyone was invited."""
        if not self.invitations:
            return None
        return min(100.0, 100 * self.responses / self.invitations)

    @property
    def average_overall(self) -> float | None:
        return self.questions[0].average if self.questions else None


async def opportunity_header(opportunity_id: int) -> OpportunityHeader | None:
    row = (
        await Opportunity.select(
            Opportunity.id,
            Opportunity.title,
            Opportunity.mode,
            Opportunity.status,
            Opportunity.organisation.id.as_alias("organisation_id"),
            Opportunity.organisation.name.as_alias("organisation_name"),
            Opportunity.field.name.as_alias("field_name"),
        )
        .where(Opportunity.id == opportunity_id)
        .first()
    )
    return OpportunityHeader(**row) if row else None


def _question_results(rows: list[dict]) -> list[QuestionResult]:
    """Turn (question, answer, count) rows into bars in scale order, zeros included, so every
    chart shows the whole scale."""
    counts: dict[tuple[str, int], int] = {
        (row["question"], int(row["answer"])): int(row["answers"]) for row in rows
    }
    results = []
    for question in QUESTIONS:
        per_point = [
            (point, counts.get((question.name, point.value), 0)) for point in question.scale
        ]
        total = sum(count for _, count in per_point)
        bars = [
            Bar(point.symbol, point.label, count, 100 * count / total if total else 0.0)
            for point, count in per_point
        ]
        weighted = sum(point.value * count for point, count in per_point)
        agreeing = sum(count for point, count in per_point if point.value >= AGREE_FROM)
        results.append(
            QuestionResult(
                question,
                total,
                bars,
                average=weighted / total if total else None,
                agreement=100 * agreeing / total if total and question is not OVERALL else None,
            )
        )
    return results


async def _participation(opportunity_id: int) -> Participation:
    rows = (
        await SignUp.select(
            SignUp.attendance,
            Count(alias="sign_ups"),
            Sum(SignUp.hours, alias="hours"),
        )
        .where(
            SignUp.session.opportunity == opportunity_id,
            SignUp.status.is_in(list(HOLDING_STATUSES)),
        )
        .group_by(SignUp.attendance)
    )
    return Participation(
        sign_ups=sum(row["sign_ups"] for row in rows),
        attended=sum(row["sign_ups"] for row in rows if row["attendance"] == Attendance.ATTENDED),
        hours=float(sum(row["hours"] or 0 for row in rows)),
    )


async def opportunity_results(
    header: OpportunityHeader, *, with_comments: bool, min_answers: int
) -> OpportunityResults:
    """Four queries (five with comments), however many people answered. With fewer than
    `min_answers` answers only the counts are returned (see the module docstring)."""
    invitations = await SurveyInvitation.count().where(SurveyInvitation.opportunity == header.id)
    rows = await SurveyResponse.raw(_DISTRIBUTION_SQL, *([header.id] * len(QUESTIONS)))
    questions = _question_results(rows)
    participation = await _participation(header.id)
    responses = questions[0].answers
    if responses < min_answers:
        return OpportunityResults(
            header=header,
            invitations=invitations,
            responses=responses,
            questions=[],
            participation=participation,
            withheld_below=min_answers if responses else None,
        )
    comments: list[str] = []
    if with_comments:
        comment_rows = (
            await SurveyResponse.select(SurveyResponse.comment)
            .where(SurveyResponse.opportunity == header.id, SurveyResponse.comment != "")
            .order_by(SurveyResponse.submitted_at, ascending=False)
        )
        comments = [row["comment"] for row in comment_rows]
    return OpportunityResults(
        header=header,
        invitations=invitations,
        responses=responses,
        questions=questions,
        participation=participation,
        comments=comments,
    )


@dataclass
class ModeTotals:
    mode: str
    label: str
    opportunities: int = 0
    participants: int = 0
    hours: float = 0.0
    responses: int = 0


@dataclass(frozen=True)
class PublishedResult:
    """A line in the public list: an opportunity with enough answers to show them."""

    id: int
    title: str
    mode_label: str
    responses: int
    average_overall: float


@dataclass(frozen=True)
class TownOverview:
    modes: list[ModeTotals]
    total: ModeTotals
    results: list[PublishedResult]
    min_answers: int


def _not_draft(column) -> object:
    """Drafts were never public, so nothing about them is counted on public pages."""
    return column != OpportunityStatus.DRAFT.value


async def town_overview(min_answers: int, now: dt.datetime | None = None) -> TownOverview:
    """Totals per co-production mode and the opportunities whose results may be shown: four
    queries. Offers are those open now; participants are distinct people with a live sign-up
    for a session that has ended who were not recorded absent (closed offers still count:
    that is history); hours are those officers recorded."""
    now = now or utcnow()
    took_part = (
        SignUp.status.is_in(list(HOLDING_STATUSES)),
        SignUp.attendance.is_null() | (SignUp.attendance != Attendance.ABSENT.value),
        SignUp.session.ends_at <= now,
        _not_draft(SignUp.session.opportunity.status),
    )
    mode_column = SignUp.session.opportunity.mode
    offers = (
        await Opportunity.select(Opportunity.mode, Count(alias="opportunities"))
        .where(Opportunity.status == OpportunityStatus.PUBLISHED.value)
        .group_by(Opportunity.mode)
    )
    people = (
        await SignUp.select(
            mode_column.as_alias("mode"),
            Count(distinct=[SignUp.user], alias="participants"),
            Sum(SignUp.hours, alias="hours"),
        )
        .where(*took_part)
        .group_by(mode_column)
    )
    all_people = await SignUp.select(Count(distinct=[SignUp.user], alias="participants")).where(
        *took_part
    )
    answers = (
        await SurveyResponse.select(
            SurveyResponse.opportunity.id.as_alias("id"),
            SurveyResponse.opportunity.title.as_alias("title"),
            SurveyResponse.opportunity.mode.as_alias("mode"),
            Count(alias="responses"),
            Avg(SurveyResponse.overall_rating, alias="average"),
        )
        .where(_not_draft(SurveyResponse.opportunity.status))
        .group_by(
            SurveyResponse.opportunity.id,
            SurveyResponse.opportunity.title,
            SurveyResponse.opportunity.mode,
        )
    )
    modes = {mode: ModeTotals(mode, label) for mode, label in MODE_LABELS.items()}
    for row in offers:
        modes.setdefault(row["mode"], ModeTotals(row["mode"], row["mode"])).opportunities = row[
            "opportunities"
        ]
    for row in people:
        totals = modes.setdefault(row["mode"], ModeTotals(row["mode"], row["mode"]))
        totals.participants = row["participants"]
        totals.hours = float(row["hours"] or 0)
    for row in answers:
        modes.setdefault(row["mode"], ModeTotals(row["mode"], row["mode"])).responses += row[
            "responses"
        ]
    total = ModeTotals(
        "total",
        N_("Insgesamt"),
        opportunities=sum(m.opportunities for m in modes.values()),
        participants=all_people[0]["participants"] if all_people else 0,
        hours=sum(m.hours for m in modes.values()),
        responses=sum(m.responses for m in modes.values()),
    )
    results = sorted(
        (
            PublishedResult(
                row["id"],
                row["title"],
                MODE_LABELS.get(row["mode"], row["mode"]),
                row["responses"],
                float(row["average"]),
            )
            for row in answers
            if row["responses"] >= min_answers
        ),
        key=lambda result: result.title.lower(),
    )
    return TownOverview(list(modes.values()), total, results, min_answers)
