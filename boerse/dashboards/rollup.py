"""Rebuilding the dashboards' rollups from participation, invitations and answers.

`OpportunityMonth` holds every additive measure of `figures.Measures` per opportunity and
month, so a town-wide dashboard groups a few hundred thousand small rows instead of a
million answers. Each measure comes from one GROUP BY over its own source (places,
invitations, responses, the answers to the rating and indicator questions); the sources are
put side by side with UNION ALL and summed per opportunity and month in one
INSERT … SELECT. Months are UTC calendar months on both engines.

A full rebuild reads all history (nightly); a recent one replaces only the months from the
month before the current one on (every few minutes), which is all that new sign-ups,
attendance of just-ended dates, invitations and answers change. The inventory's distinct
participants per field × mode are counted apart (`FieldModeParticipation`), and so are the
results overview's per mode (`ModeParticipation`): they do not add up from opportunities.
From `OpportunityMonth` follow the compact rollups the town-wide
pages read (`ScopeMonth` per organisation or town, field and mode; `GoalMonth` per goal) and
`OfferState`, each offer's last date for the inventory's running / past counts.

Measured at 1,000,000 answers and 600,000 sign-ups (benchmarks.dashboards): a full rebuild
15 s on SQLite, 12 s on PostgreSQL; a recent one 3.4 s and 3.1 s."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from boerse.dashboards.figures import add_months, month_start
from boerse.dashboards.freshness import mark_refreshed
from boerse.dashboards.tables import (
    FieldModeParticipation,
    GoalMonth,
    ModeParticipation,
    OfferState,
    OpportunityMonth,
    ResultsListing,
    ScopeMonth,
)
from boerse.lib.db import sql_literals, utcnow, write_transaction
from boerse.opportunities.tables import HOLDING_STATUSES, Attendance, OpportunityStatus
from boerse.questionnaires.kinds import AGREE_FROM, AGREEMENT_OPTIONS, RATING_OPTIONS, QuestionKind
from boerse.settings import get_settings

ROLLUP_NAME = "dashboards"
RECENT_MONTHS = 2
"""A recent refresh rebuilds the current and the previous month (and any later ones)."""


def month_of(column: str) -> str:
    """The SQL for the first day (a DATE) of the UTC month of a timestamp column."""
    if get_settings().is_sqlite:
        return f"strftime('%Y-%m-01', {column})"
    return f"CAST(date_trunc('month', {column} AT TIME ZONE 'UTC') AS DATE)"


HOLDING_SQL = sql_literals(HOLDING_STATUSES)
_RATING_POINTS = " ".join(f"WHEN '{o.key}' THEN {o.value}" for o in RATING_OPTIONS)
_RATING_KEYS = sql_literals([o.key for o in RATING_OPTIONS])
_AGREEMENT_KEYS = sql_literals([o.key for o in AGREEMENT_OPTIONS])
_AGREEING_KEYS = sql_literals([o.key for o in AGREEMENT_OPTIONS if (o.value or 0) >= AGREE_FROM])
_ATTENDED = f"(su.attendance IS NULL OR su.attendance != '{Attendance.ABSENT.value}')"

MEASURES = (
    "sign_ups",
    "attended",
    "hours",
    "first_timers",
    "invitations",
    "responses",
    "rating_points",
    "rating_answers",
    "agreeing",
    "agreement_answers",
)


def _source(select: dict[str, str], body: str) -> str:
    """One part of the UNION: opportunity, month and every measure, zero where not given."""
    columns = ", ".join(f"{select.get(name, '0')} AS {name}" for name in MEASURES)
    return f"SELECT opportunity_id, month, {columns} FROM ({body}) part"  # noqa: S608


def _places_sql() -> str:
    """Places held, attended and first attendances by the month the date started. A first
    attendance is one with no earlier attended place of the same person (an index lookup
    by person), so "first" holds when only recent months are rebuilt. Parameters: now ×4,
    then the first start counted."""
    month = month_of("s.starts_at")
    took_part = f"{_ATTENDED} AND s.ends_at <= {{}}"
    earlier = f"""
SELECT 1 FROM sign_up e JOIN opportunity_session es ON es.id = e.session
WHERE e."user" = su."user" AND e.status IN ({HOLDING_SQL}) AND {_ATTENDED.replace("su.", "e.")}
  AND es.ends_at <= {{}}
  AND (es.starts_at < s.starts_at OR (es.starts_at = s.starts_at AND e.id < su.id))"""  # noqa: S608
    body = f"""
SELECT s.opportunity AS opportunity_id, {month} AS month, COUNT(*) AS sign_ups,
  SUM(CASE WHEN {took_part} THEN 1 ELSE 0 END) AS attended,
  SUM(CASE WHEN {took_part} THEN COALESCE(su.hours, 0) ELSE 0 END) AS hours,
  SUM(CASE WHEN {took_part} AND NOT EXISTS ({earlier}) THEN 1 ELSE 0 END) AS first_timers
FROM sign_up su JOIN opportunity_session s ON s.id = su.session
WHERE su.status IN ({HOLDING_SQL}) AND s.starts_at >= {{}}
GROUP BY s.opportunity, {month}"""  # noqa: S608
    names = ("sign_ups", "attended", "hours", "first_timers")
    return _source({name: name for name in names}, body)


def _invitations_sql() -> str:
    month = month_of("i.created_at")
    body = f"""
SELECT i.opportunity AS opportunity_id, {month} AS month, COUNT(*) AS invitations
FROM survey_invitation i WHERE i.created_at >= {{}} GROUP BY i.opportunity, {month}"""  # noqa: S608
    return _source({"invitations": "invitations"}, body)


def _responses_sql() -> str:
    month = month_of("r.submitted_at")
    body = f"""
SELECT qn.opportunity AS opportunity_id, {month} AS month, COUNT(*) AS responses
FROM response r JOIN questionnaire qn ON qn.id = r.questionnaire
WHERE r.completed = TRUE AND qn.opportunity IS NOT NULL AND r.submitted_at >= {{}}
GROUP BY qn.opportunity, {month}"""  # noqa: S608
    return _source({"responses": "responses"}, body)


# The overall rating is the first rating question of each version (as in
# `questionnaires.results.overall_ratings`); indicators are the agreement questions marked
# for any goal and their twins (same text and kind) in the questionnaire's other versions
# (as in `goals.services._indicator_figures`).
_COUNTED_QUESTIONS = f"""
SELECT q.id AS question_id, 'rating' AS role FROM question q
WHERE q.kind = '{QuestionKind.RATING.value}' AND NOT EXISTS (
  SELECT 1 FROM question e WHERE e.version = q.version AND e.kind = q.kind
  AND (e.page < q.page OR (e.page = q.page AND (e.position < q.position
       OR (e.position = q.position AND e.id < q.id)))))
UNION ALL
SELECT q.id AS question_id, 'agreement' AS role FROM question q
JOIN questionnaire_version v ON v.id = q.version
WHERE q.kind = '{QuestionKind.AGREEMENT.value}' AND EXISTS (
  SELECT 1 FROM goal_indicator gi JOIN question m ON m.id = gi.question
  JOIN questionnaire_version mv ON mv.id = m.version
  WHERE mv.questionnaire = v.questionnaire AND m.text = q.text AND m.kind = q.kind)"""  # noqa: S608


def _answers_sql() -> str:
    month = month_of("r.submitted_at")
    body = f"""
SELECT qn.opportunity AS opportunity_id, {month} AS month,
  SUM(CASE WHEN c.role = 'rating' THEN CASE a.choice {_RATING_POINTS} ELSE 0 END ELSE 0 END)
    AS rating_points,
  SUM(CASE WHEN c.role = 'rating' AND a.choice IN ({_RATING_KEYS}) THEN 1 ELSE 0 END)
    AS rating_answers,
  SUM(CASE WHEN c.role = 'agreement' AND a.choice IN ({_AGREEING_KEYS}) THEN 1 ELSE 0 END)
    AS agreeing,
  SUM(CASE WHEN c.role = 'agreement' AND a.choice IN ({_AGREEMENT_KEYS}) THEN 1 ELSE 0 END)
    AS agreement_answers
FROM ({_COUNTED_QUESTIONS}) c JOIN answer a ON a.question = c.question_id
JOIN response r ON r.id = a.response JOIN questionnaire qn ON qn.id = r.questionnaire
WHERE r.completed = TRUE AND qn.opportunity IS NOT NULL AND r.submitted_at >= {{}}
GROUP BY qn.opportunity, {month}"""  # noqa: S608
    names = ("rating_points", "rating_answers", "agreeing", "agreement_answers")
    return _source({name: name for name in names}, body)


def _insert_sql() -> str:
    """Every source summed per opportunity and month, with the opportunity's grouping
    columns copied in. Parameters: now ×4 and `since` for places, `since` for each other
    source."""
    union = " UNION ALL ".join(
        (_places_sql(), _invitations_sql(), _responses_sql(), _answers_sql())
    )
    sums = ", ".join(f"SUM(u.{name})" for name in MEASURES)
    return f"""
INSERT INTO opportunity_month (opportunity, organisation, field, mode, ever_published, month,
  {", ".join(MEASURES)})
SELECT o.id, o.organisation, o.field, o.mode,
  CASE WHEN o.status != '{OpportunityStatus.DRAFT.value}' THEN TRUE ELSE FALSE END, u.month,
  {sums}
FROM ({union}) u JOIN opportunity o ON o.id = u.opportunity_id
GROUP BY o.id, o.organisation, o.field, o.mode, o.status, u.month"""  # noqa: S608


GOAL_LINKS = """
SELECT og.opportunity AS opportunity, og.goal AS goal FROM opportunity_goal og
UNION
SELECT og.opportunity AS opportunity, g.parent AS goal FROM opportunity_goal og
JOIN goal g ON g.id = og.goal WHERE g.parent IS NOT NULL"""
"""Each opportunity once per goal it serves: its own links, and for a main goal also the
links to its sub-goals (UNION drops the double when both are linked)."""

_SUMS = ", ".join(f"SUM(om.{name})" for name in MEASURES)
_TOWN = "CAST(NULL AS INTEGER)"


def _scope_sql(organisation: str) -> str:
    """`ScopeMonth` from `OpportunityMonth`, per organisation or (`_TOWN`) for the town."""
    group = "om.organisation, " if organisation != _TOWN else ""
    return f"""
INSERT INTO scope_month (organisation, field, mode, ever_published, month, {", ".join(MEASURES)})
SELECT {organisation}, om.field, om.mode, om.ever_published, om.month, {_SUMS}
FROM opportunity_month om WHERE om.month >= {{}}
GROUP BY {group}om.field, om.mode, om.ever_published, om.month"""  # noqa: S608


def _goal_sql(organisation: str) -> str:
    """`GoalMonth` from `OpportunityMonth`, per organisation or (`_TOWN`) for the town."""
    group = "om.organisation, " if organisation != _TOWN else ""
    return f"""
INSERT INTO goal_month (goal, organisation, ever_published, month, {", ".join(MEASURES)})
SELECT gl.goal, {organisation}, om.ever_published, om.month, {_SUMS}
FROM opportunity_month om JOIN ({GOAL_LINKS}) gl ON gl.opportunity = om.opportunity
WHERE om.month >= {{}} GROUP BY gl.goal, {group}om.ever_published, om.month"""  # noqa: S608


_OFFER_STATE_SQL = f"""
INSERT INTO offer_state (opportunity, field, mode, status, last_end)
SELECT o.id, o.field, o.mode, o.status, s.last_end FROM opportunity o
LEFT JOIN (SELECT opportunity, MAX(ends_at) AS last_end FROM opportunity_session
           GROUP BY opportunity) s ON s.opportunity = o.id
WHERE o.status != '{OpportunityStatus.DRAFT.value}'"""  # noqa: S608


_CELLS_SQL = f"""
SELECT o.field AS field, o.mode AS mode, COUNT(DISTINCT su."user") AS participants,
  SUM(su.hours) AS hours
FROM sign_up su JOIN opportunity_session s ON s.id = su.session
JOIN opportunity o ON o.id = s.opportunity
WHERE su.status IN ({HOLDING_SQL}) AND {_ATTENDED} AND o.status != '{OpportunityStatus.DRAFT.value}'
GROUP BY o.field, o.mode"""  # noqa: S608
"""The inventory's definition: people holding a place not recorded absent, in any offer that
is not a draft."""


_MODE_PEOPLE_SQL = f"""
SELECT o.mode AS mode, su."user" AS person
FROM sign_up su JOIN opportunity_session s ON s.id = su.session
JOIN opportunity o ON o.id = s.opportunity
WHERE su.status IN ({HOLDING_SQL}) AND {_ATTENDED} AND s.ends_at <= {{}}
  AND o.status != '{OpportunityStatus.DRAFT.value}'"""  # noqa: S608
_MODES_SQL = f"""
SELECT p.mode AS mode, COUNT(DISTINCT p.person) AS participants
FROM ({_MODE_PEOPLE_SQL}) p GROUP BY p.mode
UNION ALL
SELECT NULL AS mode, COUNT(DISTINCT p.person) AS participants FROM ({_MODE_PEOPLE_SQL}) p"""  # noqa: S608
"""The results overview's definition (`services.town_overview`): people holding a place not
recorded absent for a date that has ended, in any offer that is not a draft; per mode and,
with `mode` NULL, for the whole town (someone in two modes counts once there). Parameters:
now ×2."""


_RESULTS_SQL = f"""
INSERT INTO results_listing (opportunity, title, title_key, mode, responses, rating_points,
  rating_answers)
SELECT o.id, o.title, LOWER(o.title), o.mode, t.responses, t.rating_points, t.rating_answers
FROM (SELECT om.opportunity AS opportunity, SUM(om.responses) AS responses,
        SUM(om.rating_points) AS rating_points, SUM(om.rating_answers) AS rating_answers
      FROM opportunity_month om WHERE om.ever_published = TRUE GROUP BY om.opportunity) t
JOIN opportunity o ON o.id = t.opportunity
WHERE o.status != '{OpportunityStatus.DRAFT.value}'"""  # noqa: S608
"""The results overview's list: every month of each offer that is not a draft, summed."""


async def rebuild_results_listing() -> None:
    """`ResultsListing` anew from `OpportunityMonth` (inside the rebuild's transaction)."""
    await ResultsListing.delete(force=True)
    await ResultsListing.raw(_RESULTS_SQL)


@dataclass(frozen=True)
class RefreshRun:
    full: bool
    since: dt.date | None
    """The first month rebuilt; None for a full rebuild."""
    rows: int
    seconds: float


async def refresh_rollups(full: bool, now: dt.datetime | None = None) -> RefreshRun:
    """Rebuild the rollups (all months, or the recent ones) and mark them refreshed, in one
    write transaction so pages see the old or the new figures, never half of each. The
    inventory cells are counted before the transaction (a read that needs no write lock)."""
    now = now or utcnow()
    started = time.perf_counter()
    since = None if full else add_months(month_start(now.date()), 1 - RECENT_MONTHS)
    since_at = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    if since is not None:
        since_at = dt.datetime(since.year, since.month, 1, tzinfo=dt.UTC)
    cells = await OpportunityMonth.raw(_CELLS_SQL)
    mode_people = await OpportunityMonth.raw(_MODES_SQL, now, now)
    async with write_transaction():
        for table in (OpportunityMonth, ScopeMonth, GoalMonth):
            await table.delete().where(table.month >= (since or dt.date(1970, 1, 1)))
        await OpportunityMonth.raw(_insert_sql(), now, now, now, now, since_at, since_at, since_at,
                                   since_at)  # fmt: skip
        first_month = since or dt.date(1970, 1, 1)
        for organisation in ("om.organisation", _TOWN):
            await OpportunityMonth.raw(_scope_sql(organisation), first_month)
            await OpportunityMonth.raw(_goal_sql(organisation), first_month)
        await OfferState.delete(force=True)
        await OfferState.raw(_OFFER_STATE_SQL)
        await rebuild_results_listing()
        await FieldModeParticipation.delete(force=True)
        if cells:
            await FieldModeParticipation.insert(
                *(
                    FieldModeParticipation(
                        field=row["field"],
                        mode=row["mode"],
                        participants=int(row["participants"]),
                        hours=float(row["hours"] or 0),
                    )
                    for row in cells
                )
            )
        await ModeParticipation.delete(force=True)
        if mode_people:
            await ModeParticipation.insert(
                *(
                    ModeParticipation(mode=row["mode"], participants=int(row["participants"]))
                    for row in mode_people
                )
            )
        await mark_refreshed(ROLLUP_NAME, now)
    rows = await OpportunityMonth.count()
    return RefreshRun(full, since, rows, time.perf_counter() - started)
