"""Read-only aggregates of participation and questionnaire answers, for officers and the public.

Everything is counted in SQL (GROUP BY / COUNT / SUM over the answer tallies) with a fixed
number of queries per page, whatever the number of answers. The per-question figures come
from `boerse.questionnaires.results`, which withholds them below the minimum group size;
free texts go only to the officers of the opportunity, never to the public."""

from __future__ import annotations

import math
from dataclasses import dataclass

from piccolo.columns.combination import WhereRaw
from piccolo.query.functions.aggregate import Count, Sum

from boerse.dashboards.freshness import Freshness, freshness
from boerse.dashboards.rollup import HOLDING_SQL, ROLLUP_NAME
from boerse.dashboards.tables import ModeParticipation, ResultsListing, ScopeMonth
from boerse.lib.db import CachedSelect
from boerse.lib.i18n import N_
from boerse.opportunities.labels import MODE_LABELS
from boerse.opportunities.tables import (
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


_HEADER = CachedSelect(
    lambda: (
        Opportunity.select(
            Opportunity.id,
            Opportunity.title,
            Opportunity.mode,
            Opportunity.status,
            Opportunity.organisation.id.as_alias("organisation_id"),
            Opportunity.organisation.name.as_alias("organisation_name"),
            Opportunity.field.name.as_alias("field_name"),
        )
        .where(WhereRaw("opportunity.id = id__"))
        .limit(1)
    ),
    "id__",
)


async def opportunity_header(opportunity_id: int) -> OpportunityHeader | None:
    row = await _HEADER.first(opportunity_id)
    return OpportunityHeader(**row) if row else None


_PARTICIPATION = CachedSelect(
    lambda: (
        SignUp.select(
            SignUp.attendance,
            Count(alias="sign_ups"),
            Sum(SignUp.hours, alias="hours"),
        )
        .where(
            WhereRaw(
                "sign_up.session IN (SELECT s.id FROM opportunity_session AS s"  # noqa: S608
                f" WHERE s.opportunity = id__) AND sign_up.status IN ({HOLDING_SQL})"
            )
        )
        .group_by(SignUp.attendance)
    ),
    "id__",
)


async def _participation(opportunity_id: int) -> Participation:
    rows = await _PARTICIPATION.rows(opportunity_id)
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
    freshness: Freshness
    page: int = 1
    pages: int = 1
    listed: int = 0
    """Opportunities with enough answers in all pages (`results` holds one page)."""
    """When the worker last rebuilt the rollups that participants, hours, responses and
    ratings come from (the open offers are counted live)."""


RESULTS_PER_PAGE = 50

_RESULTS_PAGE_SQL = """
SELECT opportunity AS id, title, mode, responses, rating_points, rating_answers
FROM results_listing WHERE responses >= {}
ORDER BY title_key, opportunity LIMIT {} OFFSET {}"""
"""One page of the opportunities with enough completed responses, by title, read in the
order of the index on `title_key` (so a page costs the same in a town ten times as big)."""


async def town_overview(min_answers: int, page: int = 1) -> TownOverview:
    """Totals per co-production mode and the opportunities whose results may be shown: six
    queries over the worker's rollups (`rollup.refresh_rollups`), whatever the number of
    answers or sign-ups. Offers are those open now (counted live: a few thousand rows);
    participants are distinct people with a live sign-up for a session that had ended at
    the last rebuild who were not recorded absent (closed offers still count: that is
    history; `ModeParticipation`); hours are those officers recorded; responses are the
    completed ones of the opportunity's questionnaire, its overall rating the first rating
    question of every version, from the answers of completed responses (`OpportunityMonth`).
    Drafts were never public, so nothing about them is counted. The opportunities are listed
    `RESULTS_PER_PAGE` at a time, by title (page numbers past the end give the first page)."""
    fresh = await freshness(ROLLUP_NAME)
    offers = (
        await Opportunity.select(Opportunity.mode, Count(alias="opportunities"))
        .where(Opportunity.status == OpportunityStatus.PUBLISHED.value)
        .group_by(Opportunity.mode)
    )
    sums = (
        await ScopeMonth.select(
            ScopeMonth.mode,
            Sum(ScopeMonth.hours, alias="hours"),
            Sum(ScopeMonth.responses, alias="responses"),
        )
        .where(ScopeMonth.organisation.is_null(), ScopeMonth.ever_published.eq(True))
        .group_by(ScopeMonth.mode)
    )
    people = await ModeParticipation.select(ModeParticipation.mode, ModeParticipation.participants)
    page = max(1, page)
    listed = await ResultsListing.count().where(ResultsListing.responses >= min_answers)
    if (page - 1) * RESULTS_PER_PAGE >= listed:
        page = 1
    answered = await ResultsListing.raw(
        _RESULTS_PAGE_SQL, min_answers, RESULTS_PER_PAGE, (page - 1) * RESULTS_PER_PAGE
    )
    modes = {mode: ModeTotals(mode, label) for mode, label in MODE_LABELS.items()}

    def of_mode(mode: str) -> ModeTotals:
        return modes.setdefault(mode, ModeTotals(mode, mode))

    for row in offers:
        of_mode(row["mode"]).opportunities = row["opportunities"]
    for row in sums:
        of_mode(row["mode"]).hours = float(row["hours"] or 0)
        of_mode(row["mode"]).responses = int(row["responses"] or 0)
    town_people = 0
    for row in people:
        if row["mode"] is None:
            town_people = row["participants"]
        else:
            of_mode(row["mode"]).participants = row["participants"]
    total = ModeTotals(
        "total",
        N_("Insgesamt"),
        opportunities=sum(m.opportunities for m in modes.values()),
        participants=town_people,
        hours=sum(m.hours for m in modes.values()),
        responses=sum(m.responses for m in modes.values()),
    )
    results = [
        PublishedResult(
            row["id"],
            row["title"],
            MODE_LABELS.get(row["mode"], row["mode"]),
            int(row["responses"]),
            float(row["rating_points"]) / int(row["rating_answers"])
            if row["rating_answers"]
            else None,
        )
        for row in answered
    ]
    pages = max(1, math.ceil(listed / RESULTS_PER_PAGE))
    return TownOverview(
        list(modes.values()), total, results, min_answers, fresh, page, pages, listed
    )
