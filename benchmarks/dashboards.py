"""Dashboards at town scale: `python -m benchmarks.dashboards [--scale S] [--runs N]`.

Builds, in the configured database (DATABASE_URL, created if missing, or SQLite in
BOERSE_VAR_DIR), a town of 100,000 residents and 20,000 opportunities (the matching
benchmark's data set: profiles with interests and places, offers in every field and mode),
here with postcodes and verified accounts for the potential table, then two years of
history: six dated sessions per offer over 24 months (and the next one), about 600,000
sign-ups with attendance and hours, a survey invitation per attended place, a feedback
questionnaire per offer, and 1,000,000 answers (a rating, three agreement statements, a
free text now and then). Outcome goals (main goals with sub-goals) get the offers linked
and the "bewirkt" statement of every questionnaire marked as indicator. `--scale` shrinks
every count for quick runs.

Then it rebuilds the dashboards' rollup (full and recent, timed) and the potential rollup,
and times each target in-process through the real service functions (--warmups, then
--runs): the town dashboard by goal, field and mode over 12 months with trends and the
previous period, one organisation's dashboard, the inventory matrix and the potential table.

The database must be empty or hold an earlier data set of this or the matching benchmark
(which is replaced); anything else is refused. The last line printed is one JSON object."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

os.environ.setdefault("PICCOLO_CONF", "boerse.piccolo_conf")

from benchmarks import matching, surveys

RESIDENTS = 100_000
OPPORTUNITIES = 20_000
ANSWERS = 1_000_000
SESSIONS_PER_OPPORTUNITY = 6
HISTORY_DAYS = 730
POSTCODES = ("04103", "04105", "04107", "04109", "04155", "04177", "04229", "04275", "04315",
             "04349", "04357", "04416", "01067", "10115", "")  # fmt: skip
MAIN_GOALS = 8
SUB_GOALS = 3
INDICATOR = 2
"""The position of "Meine Mitwirkung hat etwas bewirkt." in `surveys.QUESTIONS`."""


class History(matching.DataSet):
    """The matching benchmark's town (its own dates left out) plus two years of history,
    written as raw multi-row INSERTs with explicit ids so nothing is read back."""

    def __init__(self, scale: float, seed: int) -> None:
        super().__init__(round(RESIDENTS * scale) or 1, round(OPPORTUNITIES * scale) or 1, seed)
        self.answers_target = round(ANSWERS * scale)
        self.answers_written = 0

    def sessions_of(self, opportunity_id: int, table: Any) -> list[Any]:
        return []  # dated in `write_history`, spread over two years

    def question_id(self, questionnaire: int, position: int) -> int:
        """As `surveys.DataSet.question_id`, whose `answers_of` this class borrows."""
        return self.question + questionnaire * len(surveys.QUESTIONS) + position

    answers_of = surveys.DataSet.answers_of

    async def write(self) -> None:
        from boerse.lib.db import write_transaction

        await super().write()
        async with write_transaction():
            await self.verify_residents()
            await self.write_sessions()
            await self.write_sign_ups()
            await self.write_questionnaires()
            await self.write_goals()
            await self.write_responses()
        await surveys.reset_sequences(
            ("opportunity_session", "sign_up", "survey_invitation", "questionnaire",
             "questionnaire_version", "question", "response", "goal")
        )  # fmt: skip

    async def verify_residents(self) -> None:
        """Postcodes and verified accounts, so residents count in the potential table."""
        from piccolo.table import Table

        cases = " ".join(f"WHEN {n} THEN '{code}'" for n, code in enumerate(POSTCODES))
        await Table.raw(f"UPDATE profile SET postcode = CASE id % {len(POSTCODES)} {cases} END")
        await Table.raw("UPDATE account_user SET email_verified_at = {}", self.now)
        await Table.raw(f"UPDATE opportunity SET postcode = CASE id % {len(POSTCODES)} {cases} END")
        from boerse.accounts.tables import User
        from boerse.opportunities.tables import Opportunity

        self.user_ids = [r["id"] for r in await User.select(User.id)]
        self.opportunities_rows = await Opportunity.select(Opportunity.id, Opportunity.organisation)

    async def write_sessions(self) -> None:
        """Six dates per offer between two years ago and a month ahead."""
        rng = self.rng
        first = await surveys.next_id("opportunity_session")
        self.sessions: list[tuple[int, int, dt.datetime, dt.datetime]] = []
        for index, row in enumerate(self.opportunities_rows):
            for n in range(SESSIONS_PER_OPPORTUNITY):
                starts = self.now - dt.timedelta(days=rng.randint(-30, HISTORY_DAYS),
                                                 hours=rng.randint(0, 23))  # fmt: skip
                ends = starts + dt.timedelta(hours=rng.choice((1, 2, 2, 3)))
                session_id = first + index * SESSIONS_PER_OPPORTUNITY + n
                self.sessions.append((session_id, row["id"], starts, ends))
        await surveys.insert_rows(
            "opportunity_session",
            ("id", "opportunity", "starts_at", "ends_at", "capacity", "seats_taken",
             "location_note"),
            [(s, o, starts, ends, 12, 5, "") for s, o, starts, ends in self.sessions],
        )  # fmt: skip

    def people_of(self, number: int) -> list[int]:
        """Who signs up for the `number`-th date: 2–8 residents."""
        rng = self.rng
        return rng.sample(self.user_ids, min(len(self.user_ids), rng.randint(2, 8)))

    def outcome(self, ends: dt.datetime) -> tuple[str, str | None, float | None, dt.datetime]:
        """Status, attendance, hours and creation time of one sign-up for a date ending then:
        past ones mostly attended (with hours), some absent or unrecorded, a few cancelled."""
        rng = self.rng
        status = "cancelled" if rng.random() < 0.05 else "confirmed"
        draw = rng.random()
        over = ends < self.now
        attendance = None if not over or draw < 0.1 else "absent" if draw < 0.2 else "attended"
        hours = rng.choice((1.0, 1.5, 2.0, 3.0)) if attendance == "attended" else None
        return status, attendance, hours, ends

    async def write_sign_ups(self) -> None:
        """The sign-ups of every date (`people_of`, `outcome`) and an invitation an hour
        after each attended date."""
        sign_up_id = await surveys.next_id("sign_up")
        invitation_id = await surveys.next_id("survey_invitation")
        sign_ups, self.invitations = [], []
        for number, (session_id, opportunity_id, _starts, ends) in enumerate(self.sessions):
            for user_id in self.people_of(number):
                status, attendance, hours, created = self.outcome(ends)
                sign_ups.append((sign_up_id, session_id, user_id, status, attendance, hours,
                                 created, created))  # fmt: skip
                if attendance == "attended" and status == "confirmed":
                    sent = ends + dt.timedelta(hours=1)
                    self.invitations.append((invitation_id, sign_up_id, opportunity_id,
                                             f"{invitation_id:064x}", "sent",
                                             sent + dt.timedelta(days=14), sent))  # fmt: skip
                    invitation_id += 1
                sign_up_id += 1
        await surveys.insert_rows(
            "sign_up",
            ("id", "session", "user", "status", "attendance", "hours", "created_at",
             "updated_at"),
            sign_ups,
        )  # fmt: skip
        await surveys.insert_rows(
            "survey_invitation",
            ("id", "sign_up", "opportunity", "token_hash", "status", "expires_at", "created_at"),
            self.invitations,
        )

    async def write_questionnaires(self) -> None:
        """Questionnaire n belongs to the n-th offer, with the surveys benchmark's questions."""
        self.first = await surveys.next_id("questionnaire")
        self.version = await surveys.next_id("questionnaire_version")
        self.question = await surveys.next_id("question")
        self.index_of = {row["id"]: n for n, row in enumerate(self.opportunities_rows)}
        now = self.now
        await surveys.insert_rows(
            "questionnaire",
            ("id", "organisation", "opportunity", "kind", "title", "intro", "language",
             "is_template", "reminder_days", "created_at", "updated_at"),
            [(self.first + n, row["organisation"], row["id"], "survey", f"Rückmeldung {n}", "",
              "de", False, "3,10", now, now) for n, row in enumerate(self.opportunities_rows)],
        )  # fmt: skip
        await surveys.insert_rows(
            "questionnaire_version",
            ("id", "questionnaire", "number", "created_at"),
            [(self.version + n, self.first + n, 1, now) for n in range(len(self.index_of))],
        )
        await surveys.insert_rows(
            "question",
            ("id", "version", "position", "page", "section", "kind", "text", "help", "required",
             "options", "allow_dont_know", "per_stop"),
            [(self.question_id(n, p), self.version + n, p, 1, "", kind, text, "", False, "[]",
              kind == "agreement", False)
             for n in range(len(self.index_of)) for p, (kind, text) in enumerate(surveys.QUESTIONS)],
        )  # fmt: skip

    async def write_goals(self) -> None:
        """Main goals with sub-goals; every offer serves a sub-goal (a fifth also a main goal)
        and its "bewirkt" statement indicates that sub-goal."""
        rng = self.rng
        first = await surveys.next_id("goal")
        goals = []
        for main in range(MAIN_GOALS):
            main_id = first + main * (SUB_GOALS + 1)
            goals.append((main_id, None, f"Wirkungsziel {main}", main))
            goals += [
                (main_id + s, main_id, f"Teilziel {main}.{s}", s) for s in range(1, SUB_GOALS + 1)
            ]
        await surveys.insert_rows(
            "goal",
            ("id", "parent", "title", "description", "position", "retired", "created_at"),
            [(g, parent, title, "", position, False, self.now) for g, parent, title, position in goals],
        )  # fmt: skip
        subs = [g[0] for g in goals if g[1] is not None]
        mains = [g[0] for g in goals if g[1] is None]
        links, indicators = [], []
        for n, row in enumerate(self.opportunities_rows):
            sub = rng.choice(subs)
            links.append((row["id"], sub))
            if rng.random() < 0.2:
                links.append((row["id"], rng.choice(mains)))
            indicators.append((sub, self.question_id(n, INDICATOR)))
        await surveys.insert_rows("opportunity_goal", ("opportunity", "goal"), links)
        await surveys.insert_rows("goal_indicator", ("goal", "question"), indicators)

    async def write_responses(self) -> None:
        """Invitations answered in random order, some days after, until the answers reach
        the target (each response has four or five answers)."""
        rng = self.rng
        order = list(self.invitations)
        rng.shuffle(order)
        self.next_response = await surveys.next_id("response")
        responses, answers = [], []
        turn = 0
        while self.answers_written + len(answers) < self.answers_target and order:
            invitation = order[turn % len(order)]
            turn += 1
            opportunity_id, sent = invitation[2], invitation[6]
            n = self.index_of[opportunity_id]
            day = (sent + dt.timedelta(days=rng.randint(0, 10))).replace(
                hour=0, minute=0, second=0, microsecond=0
            )
            responses.append((self.next_response, self.first + n, self.version + n,
                              opportunity_id, 1, True, day))  # fmt: skip
            answers += self.answers_of(n, self.next_response)
            self.next_response += 1
            if len(answers) >= 50_000:
                await self.flush(responses, answers)
                responses, answers = [], []
        keep = len(answers) - max(0, self.answers_written + len(answers) - self.answers_target)
        await self.flush(responses, answers[:keep])

    async def flush(self, responses: list[tuple], answers: list[tuple]) -> None:
        await surveys.insert_rows(
            "response",
            ("id", "questionnaire", "version", "opportunity", "progress", "completed",
             "submitted_at"),
            responses,
        )  # fmt: skip
        await surveys.insert_rows("answer", ("response", "question", "choice", "number", "text"),
                                  answers)  # fmt: skip
        self.answers_written += len(answers)


async def prepare(args: argparse.Namespace) -> dict[str, Any]:
    """Migrate, refuse foreign data, replace an earlier data set, build and analyse."""
    from boerse.accounts.tables import Organisation, User
    from boerse.lib.db import is_sqlite
    from boerse.piccolo_conf import DB
    from boerse.questionnaires.tables import Response

    ours = await Organisation.count().where(Organisation.name.like(f"{matching.MARKER}%"))
    if await Organisation.count() - ours or (await User.count() and not ours):
        raise SystemExit("This database holds data that is not a benchmark data set: refused.")
    if ours and args.reuse and await Response.count():
        await DB.run_ddl("ANALYZE" if is_sqlite() else "VACUUM ANALYZE")
        return await counts(0.0)
    if ours:
        await matching.wipe()
    started = time.perf_counter()
    history = History(args.scale, args.seed)
    await history.write()
    await DB.run_ddl("ANALYZE" if is_sqlite() else "VACUUM ANALYZE")
    return await counts(time.perf_counter() - started)


async def counts(build_seconds: float) -> dict[str, Any]:
    """The size of the data set in the database (built now or reused)."""
    from boerse.accounts.tables import User
    from boerse.opportunities.tables import Opportunity, OpportunitySession, SignUp
    from boerse.questionnaires.tables import Answer
    from boerse.surveys.tables import SurveyInvitation

    return {
        "residents": await User.count(),
        "opportunities": await Opportunity.count(),
        "sessions": await OpportunitySession.count(),
        "sign_ups": await SignUp.count(),
        "invitations": await SurveyInvitation.count(),
        "answers": await Answer.count(),
        "build_seconds": round(build_seconds, 1),
    }


async def timed(call: Callable[[], Awaitable[Any]]) -> float:
    started = time.perf_counter()
    await call()
    return (time.perf_counter() - started) * 1000


async def refresh(figures: dict[str, Any]) -> None:
    """Both rollups, timed: the dashboards' (full, then recent) and the potential table's."""
    from boerse.dashboards.rollup import refresh_rollups
    from boerse.dashboards.tables import OpportunityMonth
    from boerse.lib.db import is_sqlite
    from boerse.piccolo_conf import DB

    full = await refresh_rollups(full=True)
    recent = await refresh_rollups(full=False)
    figures["refresh_full_seconds"] = round(full.seconds, 2)
    figures["refresh_recent_seconds"] = round(recent.seconds, 2)
    figures["rollup_rows"] = await OpportunityMonth.count()
    try:
        from boerse.inventory.potential import rebuild_potential
    except ImportError:
        figures["potential_rebuild_seconds"] = None
    else:
        started = time.perf_counter()
        await rebuild_potential()
        figures["potential_rebuild_seconds"] = round(time.perf_counter() - started, 2)
    await DB.run_ddl("ANALYZE" if is_sqlite() else "ANALYZE opportunity_month")


def targets() -> dict[str, Callable[[], Awaitable[Any]]]:
    """What the issue asks to be fast, each a call of the real service."""
    from boerse.accounts.tables import Organisation
    from boerse.dashboards.figures import Dimension, Period, Scope
    from boerse.dashboards.public import transparency_page
    from boerse.dashboards.reports import dashboard
    from boerse.dashboards.town_schemas import DashboardQuery
    from boerse.inventory.potential import potential_table
    from boerse.inventory.services import matrix
    from boerse.settings import get_settings

    period = Period.last_months(12, dt.date.today())
    calls: dict[str, Callable[[], Awaitable[Any]]] = {
        f"town_{d.name.lower()}": (lambda d=d: dashboard(d, period, Scope()))
        for d in (Dimension.GOAL, Dimension.FIELD, Dimension.MODE)
    }

    async def organisation() -> Any:
        row = await Organisation.select(Organisation.id).first()
        return await dashboard(Dimension.FIELD, period, Scope(organisation_id=row["id"]))

    calls["organisation_field"] = organisation
    # The public page decides withholding for all three views together (see public.py).
    public = DashboardQuery(Dimension.MODE, period)
    calls["public_page"] = lambda: transparency_page(
        public, get_settings().public_results_min_answers
    )
    calls["inventory_matrix"] = matrix
    calls["potential_table"] = potential_table
    return calls


async def measure(args: argparse.Namespace) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {}
    for name, call in targets().items():
        for _ in range(args.warmups):
            await call()
        timings[name] = [await timed(call) for _ in range(args.runs)]
    return timings


def report(backend: str, figures: dict[str, Any], timings: dict[str, list[float]]) -> dict:
    lines = [
        f"Dashboards on {backend}: {figures['answers']:,} answers, {figures['opportunities']:,} "
        f"opportunities, {figures['residents']:,} residents, {figures['sign_ups']:,} sign-ups "
        f"(built in {figures['build_seconds']:,.1f} s)",
        f"  rollup: full {figures['refresh_full_seconds']} s, recent "
        f"{figures['refresh_recent_seconds']} s, {figures['rollup_rows']:,} rows; potential "
        f"{figures['potential_rebuild_seconds']} s",
        "",
        f"  {'target':<24}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}",
    ]
    result = {"backend": backend, **figures}
    for name in ("town_goal", "town_field", "town_mode", "organisation_field", "public_page",
                 "inventory_matrix", "potential_table"):  # fmt: skip
        values = timings.get(name)
        if not values:
            lines.append(f"  {name:<24}{'n/a':>10}{'n/a':>10}{'n/a':>10}")
            result[name] = None
            continue
        p50, p95 = surveys.percentile(values, 0.5), surveys.percentile(values, 0.95)
        lines.append(f"  {name:<24}{p50:>10.1f}{p95:>10.1f}{max(values):>10.1f}")
        result[name] = {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1)}
    print("\n".join(lines), flush=True)
    return result


async def main_async(args: argparse.Namespace) -> dict:
    from boerse.lib.db import close_database, open_database
    from boerse.lib.migrate import migrate
    from boerse.settings import get_settings

    await migrate()
    await open_database()
    try:
        figures = await prepare(args)
        await refresh(figures)
        timings = await measure(args)
    finally:
        await close_database()
    return report("sqlite" if get_settings().is_sqlite else "postgresql", figures, timings)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.dashboards", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="share of the full data set")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmups", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reuse", action="store_true", help="keep an earlier data set")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from benchmarks.fanout import ensure_postgres_database

    ensure_postgres_database()
    print(json.dumps(asyncio.run(main_async(args))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
