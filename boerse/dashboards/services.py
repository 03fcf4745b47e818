"""Read-only aggregates of participation and questionnaire answers, for officers and the public.

Everything is counted in SQL (GROUP BY / COUNT / SUM over the answer tallies) with a fixed
number of queries per page, whatever the number of answers. The per-question figures come
from `boerse.questionnaires.results`, which withholds them below the minimum group size;
free texts go only to the officers of the opportunity, never to the public."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from piccolo.query.functions.aggregate import Count, Sum

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
from boerse.questionnaires.results import (
    QuestionnaireResults,
    invitation_count,
    overall_ratings,
    questionnaire_of_opportunity,
    questionnaire_results,
)
from boerse.questionnaires.tables import Response


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
    participation: Participation
    invitations: int
    questionnaire: QuestionnaireResults | None
    """The results of the opportunity's questionnaire; None while it has none."""
    min_answers: int
    average_overall: float | None = None
    """The overall rating of every version together; None below the minimum group size."""

    @property
    def responses(self) -> int:
        """Completed responses of every version of the questionnaire."""
        return self.questionnaire.all_responses if self.questionnaire else 0

    @property
    def response_rate(self) -> float | None:
        """Share of invited people who answered, in percent; None before anyone was invited."""
        if not self.invitations:
            return None
        return min(100.0, 100 * self.responses / self.invitations)

    @property
    def withheld_below(self) -> int | None:
        """The minimum group size when answers exist but fewer than it."""
        return self.min_answers if 0 < self.responses < self.min_answers else None


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
    header: OpportunityHeader,
    *,
    with_comments: bool,
    min_answers: int,
    version_number: int | None = None,
    text_page: int = 1,
) -> OpportunityResults | None:
    """The opportunity's participation and its questionnaire's results (see
    `questionnaire_results`): a fixed number of queries, however many people answered.
    None when the version asked for does not exist."""
    participation = await _participation(header.id)
    questionnaire_id = await questionnaire_of_opportunity(header.id)
    if questionnaire_id is None:
        invitations = await invitation_count(None, header.id)
        return OpportunityResults(header, participation, invitations or 0, None, min_answers)
    results = await questionnaire_results(
        questionnaire_id,
        opportunity_id=header.id,
        min_answers=min_answers,
        version_number=version_number,
        with_texts=with_comments,
        text_page_number=text_page,
    )
    if results is None:
        return None
    ratings = await overall_ratings(questionnaire_id)
    average = ratings[0].average if ratings and results.all_responses >= min_answers else None
    return OpportunityResults(
        header, participation, results.invitations or 0, results, min_answers, average
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
    average_overall: float | None
    """None when the questionnaire asks no rating question."""


@dataclass(frozen=True)
class TownOverview:
    modes: list[ModeTotals]
    total: ModeTotals
    results: list[PublishedResult]
    min_answers: int


def _not_draft(column) -> object:
    """Drafts were never public, so nothing about them is counted on public pages."""
    return column != OpportunityStatus.DRAFT.value


_RESPONSES_SQL = """
SELECT o.id AS id, o.title AS title, o.mode AS mode, COUNT(r.id) AS responses
FROM response r JOIN questionnaire qn ON qn.id = r.questionnaire
  JOIN opportunity o ON o.id = qn.opportunity
WHERE r.completed = {} AND o.status != {}
GROUP BY o.id, o.title, o.mode"""


async def _responses_per_opportunity() -> list[dict]:
    """Completed responses per opportunity that is not a draft (drafts were never public)."""
    return await Response.raw(_RESPONSES_SQL, True, OpportunityStatus.DRAFT.value)


async def town_overview(min_answers: int, now: dt.datetime | None = None) -> TownOverview:
    """Totals per co-production mode and the opportunities whose results may be shown: five
    queries. Offers are those open now; participants are distinct people with a live sign-up
    for a session that has ended who were not recorded absent (closed offers still count:
    that is history); hours are those officers recorded; responses are the completed ones of
    the opportunity's questionnaire, its overall rating the first rating question of every
    version, from the tallies."""
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
    answers = await _responses_per_opportunity()
    averages = {r.opportunity_id: r.average for r in await overall_ratings()}
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
                averages.get(row["id"]),
            )
            for row in answers
            if row["responses"] >= min_answers
        ),
        key=lambda result: result.title.lower(),
    )
    return TownOverview(list(modes.values()), total, results, min_answers)
