"""Recurring dates: a rule (weekly, every two weeks, monthly on the same weekday) turned into
ordinary dates, and the changes an officer makes to many dates at once.

The rule is expanded by pure functions (`rule_days`, `expand`), so it can be checked with
property tests: a local start time stays the same on every date, across the change to and
from summer time. The dates themselves are `OpportunitySession` rows pointing at the
series, so each can still be edited or cancelled on its own.

Whoever is signed up for a date that moves, or gets another place, or is cancelled, is told
by email through the outbox inside the transaction of the change, in their own language;
only dates still ahead are ever changed here: what has happened stays as it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from litestar.exceptions import NoRouteMatchFoundException

from boerse.accounts.tables import Role
from boerse.audit.actions import Action
from boerse.audit.services import record
from boerse.lib.db import is_sqlite, utcnow, write_transaction
from boerse.lib.formatting import TOWN_TIMEZONE, date_short
from boerse.lib.forms import Form
from boerse.lib.i18n import N_, use_locale
from boerse.lib.i18n import gettext as _
from boerse.lib.urls import site_url
from boerse.matching.index import refresh_opportunity
from boerse.opportunities.calendar import (
    LIVE_STATUSES,
    calendar_text,
    opportunity_url,
    place_text,
    session_columns,
    signup_event,
)
from boerse.opportunities.next_dates import refresh_next_starts
from boerse.opportunities.signup_links import ensure_link, signup_link_url
from boerse.opportunities.signups import fill_from_waitlist
from boerse.opportunities.tables import (
    OpportunitySeries,
    OpportunitySession,
    SeriesFrequency,
    SignUp,
    SignUpStatus,
)
from boerse.outbox.services import NewEmail, queue_emails, wake_delivery
from boerse.settings import get_settings
from boerse.surveys.services import schedule_fanout

Row = dict[str, Any]

MAX_DATES = 104
"""At most this many dates per series (two years of weekly dates)."""
MAX_DURATION_MINUTES = 24 * 60
MAX_CAPACITY = 500
MAX_SHIFT_DAYS = 366

FREQUENCY_LABELS = {
    SeriesFrequency.WEEKLY.value: N_("jede Woche"),
    SeriesFrequency.BIWEEKLY.value: N_("alle zwei Wochen"),
    SeriesFrequency.MONTHLY_WEEKDAY.value: N_(
        "jeden Monat am selben Wochentag (z. B. am 2. Dienstag)"
    ),
}

SERIES_LABELS = {
    "frequency": N_("Wiederholung"),
    "first_date": N_("Erster Termin"),
    "series_starts": N_("Beginn"),
    "duration": N_("Dauer in Minuten"),
    "until": N_("Bis einschließlich"),
    "count": N_("Anzahl der Termine"),
    "exceptions": N_("Ausnahmen"),
    "series_capacity": N_("Plätze"),
    "series_location_note": N_("Hinweis zum Treffpunkt"),
}

CHANGE_LABELS = {
    "scope": N_("Welche Termine"),
    "shift_days": N_("Um Tage verschieben"),
    "starts": N_("Beginn"),
    "duration": N_("Dauer in Minuten"),
    "capacity": N_("Plätze"),
    "location_note": N_("Hinweis zum Treffpunkt"),
}

CHANGED_SUBJECT = N_("Geänderter Termin: {title}")
CANCELLED_SUBJECT = N_("Termin abgesagt: {title}")


class Scope(StrEnum):
    """Which dates an officer's change applies to, counted from the date they chose."""

    ONE = "one"
    FOLLOWING = "following"
    SERIES = "series"


# --- the rule (pure) -----------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A series rule as typed: local start time in Europe/Berlin, and either an end date
    or a number of dates. `count` counts the rule's dates including the exceptions (as in
    iCalendar's COUNT with EXDATE): the exceptions are then left out."""

    frequency: str
    first_date: dt.date
    start_time: dt.time
    duration_minutes: int
    until_date: dt.date | None = None
    count: int | None = None
    exceptions: frozenset[dt.date] = frozenset()


class ImpossibleRuleError(ValueError):
    """A rule no series can follow; `field` names the form field the message belongs to."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


def week_of_month(day: dt.date) -> int:
    """1 for the first Tuesday of a month, 2 for the second, …"""
    return (day.day - 1) // 7 + 1


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date | None:
    """The n-th given weekday (Monday = 0) of a month; None when the month has no such day."""
    first = dt.date(year, month, 1)
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    return day if day.month == month else None


def occurrences(frequency: str, first_date: dt.date) -> Iterator[dt.date]:
    """The rule's days from the first one on, without end and without exceptions."""
    if frequency in (SeriesFrequency.WEEKLY.value, SeriesFrequency.BIWEEKLY.value):
        step = dt.timedelta(weeks=1 if frequency == SeriesFrequency.WEEKLY.value else 2)
        day = first_date
        while True:
            yield day
            day += step
    elif frequency == SeriesFrequency.MONTHLY_WEEKDAY.value:
        n = week_of_month(first_date)
        year, month = first_date.year, first_date.month
        while True:
            day = nth_weekday(year, month, first_date.weekday(), n)
            if day is not None:
                yield day
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    else:
        raise ImpossibleRuleError(
            "frequency", _("Bitte wählen Sie, wie oft sich der Termin wiederholt.")
        )


def check_rule(rule: Rule) -> None:
    """Raises ImpossibleRuleError for a rule that cannot make a series."""
    if rule.frequency not in FREQUENCY_LABELS:
        raise ImpossibleRuleError(
            "frequency", _("Bitte wählen Sie, wie oft sich der Termin wiederholt.")
        )
    if rule.until_date is None and rule.count is None:
        raise ImpossibleRuleError(
            "until", _("Bitte geben Sie ein Enddatum oder eine Anzahl von Terminen an.")
        )
    if rule.until_date is not None and rule.count is not None:
        raise ImpossibleRuleError(
            "count", _("Bitte geben Sie entweder ein Enddatum oder eine Anzahl an, nicht beides.")
        )
    if not 0 < rule.duration_minutes <= MAX_DURATION_MINUTES:
        raise ImpossibleRuleError(
            "duration",
            _("Die Dauer muss zwischen 1 und {n} Minuten liegen.").format(n=MAX_DURATION_MINUTES),
        )
    if rule.until_date is not None and rule.until_date < rule.first_date:
        raise ImpossibleRuleError("until", _("Das Enddatum liegt vor dem ersten Termin."))
    if rule.count is not None and not 1 <= rule.count <= MAX_DATES:
        raise ImpossibleRuleError(
            "count", _("Eine Serie hat 1 bis {n} Termine.").format(n=MAX_DATES)
        )
    if (
        rule.frequency == SeriesFrequency.MONTHLY_WEEKDAY.value
        and week_of_month(rule.first_date) == 5
    ):
        raise ImpossibleRuleError(
            "first_date",
            _(
                "Der erste Termin ist der fünfte dieses Wochentags im Monat; den gibt es nicht "
                "in jedem Monat. Bitte wählen Sie einen Tag bis zum 28."
            ),
        )


def rule_days(rule: Rule) -> list[dt.date]:
    """The days of the series in order, exceptions left out. Raises ImpossibleRuleError
    when the rule is impossible, names an exception that is not one of its days, gives more
    than MAX_DATES dates or none at all."""
    check_rule(rule)
    days: list[dt.date] = []
    too_many = False
    for index, day in enumerate(occurrences(rule.frequency, rule.first_date)):
        if rule.count is not None and index >= rule.count:
            break
        if rule.until_date is not None and day > rule.until_date:
            break
        if len(days) >= MAX_DATES + len(rule.exceptions):
            too_many = True
            break
        days.append(day)
    kept = [day for day in days if day not in rule.exceptions]
    if too_many or len(kept) > MAX_DATES:
        raise ImpossibleRuleError(
            "until",
            _(
                "Die Serie hätte mehr als {n} Termine. Bitte wählen Sie ein früheres Enddatum."
            ).format(n=MAX_DATES),
        )
    strangers = sorted(rule.exceptions - set(days))
    if strangers:
        raise ImpossibleRuleError(
            "exceptions",
            _("Diese Ausnahmen sind keine Termine der Serie: {days}.").format(
                days=", ".join(date_short(day) for day in strangers)
            ),
        )
    if not kept:
        raise ImpossibleRuleError("exceptions", _("Ohne die Ausnahmen bleibt kein Termin übrig."))
    return kept


def local_moment(day: dt.date, start: dt.time) -> dt.datetime:
    """The UTC moment of a local wall-clock time in the town. A time that does not exist
    (02:30 on the night summer time begins) comes out an hour later, as clocks show it; the
    time's `fold` is ignored, since fold=1 would move such a time an hour earlier instead."""
    wall = dt.datetime.combine(day, start.replace(fold=0), tzinfo=TOWN_TIMEZONE)
    return wall.astimezone(dt.UTC)


def expand(rule: Rule) -> list[tuple[dt.datetime, dt.datetime]]:
    """(starts_at, ends_at) in UTC for every date of the rule; the local start time is the
    same on each date, so the UTC time moves by an hour with summer time."""
    length = dt.timedelta(minutes=rule.duration_minutes)
    return [
        (start, start + length)
        for start in (local_moment(day, rule.start_time) for day in rule_days(rule))
    ]


# --- form input ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesInput:
    rule: Rule
    capacity: int
    location_note: str


@dataclass(frozen=True)
class SeriesChange:
    """New values for many dates: each moves by `shift_days` and then starts at `start_time`
    local time, lasting `duration_minutes`."""

    shift_days: int
    start_time: dt.time
    duration_minutes: int
    capacity: int
    location_note: str


def _duration(form: Form, name: str) -> int | None:
    """Minutes typed as "90" or as hours and minutes "1:30"."""
    raw = str(form.values.get(name) or "").strip()
    if not raw:
        form.errors[name] = _("Bitte geben Sie die Dauer in Minuten an, z. B. 90.")
        return None
    try:
        if ":" in raw:
            hours, minutes = raw.split(":", 1)
            value = int(hours) * 60 + int(minutes)
        else:
            value = int(raw)
    except ValueError:
        form.errors[name] = _("Bitte geben Sie die Dauer in Minuten an, z. B. 90.")
        return None
    if not 0 < value <= MAX_DURATION_MINUTES:
        form.errors[name] = _("Die Dauer muss zwischen 1 und {n} Minuten liegen.").format(
            n=MAX_DURATION_MINUTES
        )
        return None
    return value


def _exception_days(form: Form) -> frozenset[dt.date]:
    """Dates separated by commas, spaces or lines, as TT.MM.JJJJ or JJJJ-MM-TT."""
    raw = str(form.values.get("exceptions") or "").replace(",", " ").replace(";", " ")
    days: set[dt.date] = set()
    bad: list[str] = []
    for token in raw.split():
        for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
            try:
                days.add(dt.datetime.strptime(token, pattern).date())
                break
            except ValueError:
                continue
        else:
            bad.append(token)
    if bad:
        form.errors["exceptions"] = _(
            "Diese Angaben sind kein Datum: {items}. Bitte als TT.MM.JJJJ eingeben."
        ).format(items=", ".join(bad[:5]))
    return frozenset(days)


def parse_series(form: Form, now: dt.datetime) -> SeriesInput | None:
    """The "Terminserie anlegen" form; every impossible rule becomes a message on its field."""
    form.labels = SERIES_LABELS
    frequency = str(form.values.get("frequency") or "")
    if frequency not in FREQUENCY_LABELS:
        form.errors["frequency"] = _("Bitte wählen Sie, wie oft sich der Termin wiederholt.")
    first_date = form.date("first_date", required=True)
    start = form.time("series_starts", required=True)
    duration = _duration(form, "duration")
    until = form.date("until")
    count = form.integer("count", minimum=1, maximum=MAX_DATES)
    exceptions = _exception_days(form)
    capacity = form.integer("series_capacity", required=True, minimum=1, maximum=MAX_CAPACITY)
    location_note = form.text("series_location_note", max_length=200)
    if first_date is None or start is None or duration is None or not form.ok:
        return None
    rule = Rule(frequency, first_date, start, duration, until, count, exceptions)
    try:
        moments = expand(rule)
    except ImpossibleRuleError as error:
        form.errors[error.field] = error.message
        return None
    if moments[0][0] <= now:
        form.errors["first_date"] = _(
            "Der erste Termin muss in der Zukunft liegen; vergangene Treffen tragen Sie "
            "einzeln ein."
        )
    if not form.ok or capacity is None:
        return None
    return SeriesInput(rule, capacity, location_note)


def parse_change(form: Form) -> SeriesChange | None:
    """The form to change several dates at once; whether the places suffice for each date is
    checked by `change_dates` in its UPDATE (a sign-up may take one meanwhile)."""
    form.labels = CHANGE_LABELS
    shift = form.integer("shift_days", minimum=-MAX_SHIFT_DAYS, maximum=MAX_SHIFT_DAYS) or 0
    start = form.time("starts", required=True)
    duration = _duration(form, "duration")
    capacity = form.integer("capacity", required=True, minimum=1, maximum=MAX_CAPACITY)
    location_note = form.text("location_note", max_length=200)
    if not form.ok or start is None or duration is None or capacity is None:
        return None
    return SeriesChange(shift, start, duration, capacity, location_note)


def change_form_values(session: Row) -> dict[str, str]:
    """The change form starts from the chosen date's own values."""
    start = session["starts_at"].astimezone(TOWN_TIMEZONE)
    minutes = int((session["ends_at"] - session["starts_at"]).total_seconds() // 60)
    return {
        "scope": Scope.FOLLOWING.value,
        "shift_days": "0",
        "starts": start.strftime("%H:%M"),
        "duration": str(minutes),
        "capacity": str(session["capacity"]),
        "location_note": session["location_note"],
    }


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesView:
    id: int
    frequency_label: str
    start_time: str
    first_date: dt.date
    total: int
    upcoming: int


async def series_of_opportunity(opportunity_id: int, now: dt.datetime) -> list[SeriesView]:
    """An offer's series with how many of their dates are left (two queries)."""
    series = (
        await OpportunitySeries.select(
            OpportunitySeries.id,
            OpportunitySeries.frequency,
            OpportunitySeries.start_time,
            OpportunitySeries.first_date,
        )
        .where(OpportunitySeries.opportunity == opportunity_id)
        .order_by(OpportunitySeries.id)
    )
    if not series:
        return []
    dates = await OpportunitySession.select(
        OpportunitySession.series, OpportunitySession.starts_at
    ).where(OpportunitySession.series.is_in([row["id"] for row in series]))
    views = []
    for row in series:
        mine = [d["starts_at"] for d in dates if d["series"] == row["id"]]
        views.append(
            SeriesView(
                id=row["id"],
                frequency_label=_(FREQUENCY_LABELS.get(row["frequency"], row["frequency"])),
                start_time=row["start_time"],
                first_date=row["first_date"],
                total=len(mine),
                upcoming=sum(1 for starts in mine if starts > now),
            )
        )
    return views


async def dates_in_scope(session: Row, scope: Scope, now: dt.datetime) -> list[Row]:
    """The dates still ahead that a change from `session` reaches: the date itself, it and
    the later dates of its series, or every coming date of its series."""
    if scope == Scope.ONE or session.get("series") is None:
        query = OpportunitySession.select(*session_columns(OpportunitySession)).where(
            OpportunitySession.id == session["id"]
        )
    else:
        query = OpportunitySession.select(*session_columns(OpportunitySession)).where(
            OpportunitySession.series == session["series"]
        )
        if scope == Scope.FOLLOWING:
            query = query.where(OpportunitySession.starts_at >= session["starts_at"])
    rows = await query.where(OpportunitySession.starts_at > now).order_by(
        OpportunitySession.starts_at
    )
    return list(rows)


async def people_of(session_ids: Sequence[int]) -> list[Row]:
    """Live sign-ups (places and waitlist) of these dates with what a mail needs."""
    if not session_ids:
        return []
    return list(
        await SignUp.select(
            SignUp.id,
            SignUp.status,
            SignUp.session,
            SignUp.user.email.as_alias("email"),
            SignUp.user.display_name.as_alias("name"),
            SignUp.user.language.as_alias("language"),
            SignUp.user.role.as_alias("role"),
        )
        .where(SignUp.session.is_in(list(session_ids)) & SignUp.status.is_in(list(LIVE_STATUSES)))
        .order_by(SignUp.id)
    )


# --- mails ---------------------------------------------------------------------------------


def _stamp(now: dt.datetime) -> int:
    return int(now.timestamp() * 1_000_000)


def _base_context(person: Row, row: Row) -> dict[str, Any]:
    return {
        "name": person.get("name") or "",
        "title": row["title"],
        "starts_at": row["starts_at"],
        "ends_at": row["ends_at"],
        "url": opportunity_url(row["opportunity_id"]),
        "my_dates_url": site_url("signups:my_dates"),
        "contact_name": row.get("contact_name") or "",
        "contact_email": row.get("contact_email") or "",
        "is_guest": person.get("role") == Role.GUEST.value,
    }


def _personal_url(signup_id: int) -> str:
    """The sign-up's personal link (see, cancel, check in); "" while no route serves it,
    and the mail then points to "Meine Termine"."""
    try:
        return signup_link_url(signup_id)
    except NoRouteMatchFoundException:
        return ""


def _ics(person: Row, row: Row, now: dt.datetime, *, cancelled: bool = False) -> str:
    """The updated calendar entry: same UID as the confirmation's, a higher SEQUENCE so a
    calendar that imported the first one replaces it."""
    event = signup_event(person["id"], person["status"], row, now)
    event.add("sequence", int(now.timestamp()) // 60)
    if cancelled:
        event["status"] = "CANCELLED"
    return calendar_text([event])


def changed(old: Row, new: Row) -> bool:
    """Whether participants must hear about a change: its time or its place."""
    return (old["starts_at"], old["ends_at"], place_text(old)) != (
        new["starts_at"],
        new["ends_at"],
        place_text(new),
    )


async def queue_change_mails(pairs: Sequence[tuple[Row, Row]], now: dt.datetime) -> int:
    """Inside the change's transaction: tell everyone signed up for a date whose time or
    place changed (old and new, with the updated .ics), each in their language."""
    moved = {new["session_id"]: (old, new) for old, new in pairs if changed(old, new)}
    emails = []
    for person in await people_of(list(moved)):
        old, new = moved[person["session"]]
        language = person["language"]
        await ensure_link(person["id"])
        with use_locale(language):
            context = _base_context(person, new) | {
                "place": place_text(new),
                "personal_url": _personal_url(person["id"]),
                "old_starts_at": old["starts_at"],
                "old_ends_at": old["ends_at"],
                "old_place": place_text(old),
                "waitlisted": person["status"] == SignUpStatus.WAITLISTED.value,
            }
            ics = _ics(person, new, now)
        emails.append(
            NewEmail(
                f"session_changed:{person['id']}:{_stamp(now)}",
                person["email"],
                CHANGED_SUBJECT,
                "session_changed",
                context,
                ics,
                language,
                {"title": new["title"]},
            )
        )
    return await queue_emails(emails) if emails else 0


async def _lock(session_ids: Sequence[int]) -> None:
    """PostgreSQL: wait for sign-ups taking a place on these dates right now, so the list of
    people read next includes them. SQLite has one writer: nothing runs in between."""
    if session_ids and not is_sqlite():
        await (
            OpportunitySession.select(OpportunitySession.id)
            .where(OpportunitySession.id.is_in(list(session_ids)))
            .lock_rows("NO KEY UPDATE")
        )


async def cancel_dates(rows: Sequence[Row], now: dt.datetime) -> int:
    """Inside the caller's transaction: cancel every live sign-up of these dates, tell each
    person (with a cancelling .ics), and delete the dates. Returns how many were told."""
    ids = [row["session_id"] for row in rows]
    if not ids:
        return 0
    await _lock(ids)
    by_id = {row["session_id"]: row for row in rows}
    people = await people_of(ids)
    emails = []
    for person in people:
        row = by_id[person["session"]]
        language = person["language"]
        with use_locale(language):
            context = _base_context(person, row) | {"place": place_text(row)}
            ics = _ics(person, row, now, cancelled=True)
        emails.append(
            NewEmail(
                f"session_cancelled:{person['id']}:{_stamp(now)}",
                person["email"],
                CANCELLED_SUBJECT,
                "session_cancelled",
                context,
                ics,
                language,
                {"title": row["title"]},
            )
        )
    if people:
        await SignUp.update(
            {
                SignUp.status: SignUpStatus.CANCELLED.value,
                SignUp.waitlisted_at: None,
                SignUp.updated_at: now,
            }
        ).where(SignUp.id.is_in([person["id"] for person in people]))
        await queue_emails(emails)
    await OpportunitySession.delete().where(OpportunitySession.id.is_in(ids))
    return len(people)


# --- writing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesOutcome:
    series_id: int | None
    dates: int
    people: int = 0
    session_ids: list[int] = field(default_factory=list)


class SeriesRefusedError(Exception):
    """Why a change was not made (nothing was saved); `message` is shown on the form."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


def _summary(rows: Sequence[Row]) -> str:
    """A non-personal audit summary: how many dates, from when to when."""
    if not rows:
        return "0"
    first, last = rows[0]["starts_at"], rows[-1]["starts_at"]
    return f"{len(rows)}: {first.date().isoformat()} – {last.date().isoformat()}"


async def _after(ends: Sequence[dt.datetime]) -> None:
    settings = get_settings()
    for ends_at in sorted(set(ends)):
        await schedule_fanout(ends_at, settings)


async def create_series(opportunity_id: int, data: SeriesInput) -> SeriesOutcome:
    """The rule and all its dates in one transaction, so a series is never half made."""
    rule = data.rule
    moments = expand(rule)
    async with write_transaction():
        inserted = await OpportunitySeries.insert(
            OpportunitySeries(
                opportunity=opportunity_id,
                frequency=rule.frequency,
                first_date=rule.first_date,
                until_date=rule.until_date,
                count=rule.count,
                start_time=rule.start_time.strftime("%H:%M"),
                duration_minutes=rule.duration_minutes,
                capacity=data.capacity,
                location_note=data.location_note,
                exceptions=sorted(day.isoformat() for day in rule.exceptions),
            )
        ).returning(OpportunitySeries.id)
        series_id = inserted[0]["id"]
        sessions = await OpportunitySession.insert(
            *(
                OpportunitySession(
                    opportunity=opportunity_id,
                    series=series_id,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    capacity=data.capacity,
                    location_note=data.location_note,
                )
                for starts_at, ends_at in moments
            )
        ).returning(OpportunitySession.id)
        await refresh_opportunity(opportunity_id)
        await refresh_next_starts([opportunity_id])
        await record(
            Action.SERIES_CREATED,
            opportunity_id,
            summary=f"{rule.frequency} {_summary([{'starts_at': s} for s, _e in moments])}",
            count=len(moments),
        )
    await _after([ends_at for _s, ends_at in moments])
    return SeriesOutcome(series_id, len(moments), 0, [row["id"] for row in sessions])


def _moved(row: Row, change: SeriesChange) -> tuple[dt.datetime, dt.datetime]:
    day = row["starts_at"].astimezone(TOWN_TIMEZONE).date() + dt.timedelta(days=change.shift_days)
    starts_at = local_moment(day, change.start_time)
    return starts_at, starts_at + dt.timedelta(minutes=change.duration_minutes)


def planned_moves(
    rows: Sequence[Row], change: SeriesChange, now: dt.datetime
) -> list[tuple[Row, dt.datetime, dt.datetime]]:
    """Where each date goes; refuses a change that would put one in the past."""
    moves = [(row, *_moved(row, change)) for row in rows]
    for _row, starts_at, _ends in moves:
        if starts_at <= now:
            raise SeriesRefusedError(
                "shift_days",
                _("Der Termin am {day} läge dann in der Vergangenheit.").format(
                    day=date_short(starts_at)
                ),
            )
    return moves


async def change_dates(
    opportunity_id: int, session: Row, scope: Scope, change: SeriesChange
) -> SeriesOutcome:
    """Move and change the coming dates in scope at once. Raises SeriesRefusedError (and
    saves nothing) when a date would lie in the past or would get fewer places than are
    taken; the capacity is checked in each UPDATE, so a racing sign-up cannot slip past."""
    now = utcnow()
    raised: list[int] = []
    async with write_transaction():
        rows = await dates_in_scope(session, scope, now)
        if not rows:
            raise SeriesRefusedError(
                "scope", _("Es gibt in dieser Auswahl keinen Termin mehr in der Zukunft.")
            )
        pairs = []
        for row, starts_at, ends_at in planned_moves(rows, change, now):
            updated = (
                await OpportunitySession.update(
                    {
                        OpportunitySession.starts_at: starts_at,
                        OpportunitySession.ends_at: ends_at,
                        OpportunitySession.capacity: change.capacity,
                        OpportunitySession.location_note: change.location_note,
                    }
                )
                .where(
                    (OpportunitySession.id == row["session_id"])
                    & (OpportunitySession.seats_taken <= change.capacity)
                )
                .returning(OpportunitySession.id)
            )
            if not updated:
                raise SeriesRefusedError(
                    "capacity",
                    _(
                        "Für den Termin am {day} sind mehr Plätze vergeben; bitte wählen Sie "
                        "eine größere Kapazität."
                    ).format(day=date_short(row["starts_at"].astimezone(TOWN_TIMEZONE))),
                )
            new = row | {
                "starts_at": starts_at,
                "ends_at": ends_at,
                "capacity": change.capacity,
                "location_note": change.location_note,
            }
            pairs.append((row, new))
            if change.capacity > row["capacity"]:
                raised.append(row["session_id"])
        if scope == Scope.SERIES and session.get("series") is not None:
            await _update_rule(session["series"], change)
        people = await queue_change_mails(pairs, now)
        await refresh_opportunity(opportunity_id)
        await refresh_next_starts([opportunity_id])
        await record(
            Action.SERIES_CHANGED,
            opportunity_id,
            summary=f"{scope.value} {_summary(rows)}",
            count=len(rows),
        )
    await _after([new["ends_at"] for _old, new in pairs])
    if people:
        await wake_delivery()
    for session_id in raised:  # a raised capacity is a free place for whoever waits longest
        await fill_from_waitlist(session_id)
    return SeriesOutcome(session.get("series"), len(rows), people)


async def _update_rule(series_id: int, change: SeriesChange) -> None:
    """After the whole series moved, its rule says what its dates now follow."""
    series = (
        await OpportunitySeries.select(
            OpportunitySeries.first_date,
            OpportunitySeries.until_date,
            OpportunitySeries.exceptions,
        )
        .where(OpportunitySeries.id == series_id)
        .first()
    )
    if series is None:
        return
    shift = dt.timedelta(days=change.shift_days)
    until = series["until_date"]
    await OpportunitySeries.update(
        {
            OpportunitySeries.first_date: series["first_date"] + shift,
            OpportunitySeries.until_date: until + shift if until else None,
            OpportunitySeries.exceptions: [
                (dt.date.fromisoformat(day) + shift).isoformat()
                for day in series["exceptions"] or []
            ],
            OpportunitySeries.start_time: change.start_time.strftime("%H:%M"),
            OpportunitySeries.duration_minutes: change.duration_minutes,
            OpportunitySeries.capacity: change.capacity,
            OpportunitySeries.location_note: change.location_note,
        }
    ).where(OpportunitySeries.id == series_id)


async def cancel_in_scope(opportunity_id: int, session: Row, scope: Scope) -> SeriesOutcome:
    """Cancel the coming dates in scope: sign-ups cancelled, everyone told, dates removed;
    dates that have begun are never touched."""
    now = utcnow()
    async with write_transaction():
        rows = await dates_in_scope(session, scope, now)
        if not rows:
            raise SeriesRefusedError(
                "scope", _("Es gibt in dieser Auswahl keinen Termin mehr in der Zukunft.")
            )
        people = await cancel_dates(rows, now)
        await refresh_opportunity(opportunity_id)
        await refresh_next_starts([opportunity_id])
        if scope == Scope.ONE or session.get("series") is None:
            await record(Action.SESSION_CANCELLED, session["id"], count=people)
        else:
            await record(
                Action.SERIES_CANCELLED,
                opportunity_id,
                summary=f"{scope.value} {_summary(rows)}",
                count=len(rows),
            )
    if people:
        await wake_delivery()
    return SeriesOutcome(session.get("series"), len(rows), people)


@dataclass(frozen=True)
class ScopeChoice:
    """One answer to "which dates?", with what it would reach (for the officer to weigh)."""

    scope: str
    dates: int
    people: int
    first: dt.datetime | None
    last: dt.datetime | None


async def scope_choices(session: Row, now: dt.datetime) -> list[ScopeChoice]:
    """The choices for a date: only this one, and for a date in a series also it and all
    following, and every coming date of the series."""
    scopes = [Scope.ONE]
    if session.get("series") is not None:
        scopes += [Scope.FOLLOWING, Scope.SERIES]
    choices = []
    for scope in scopes:
        rows = await dates_in_scope(session, scope, now)
        people = await people_of([row["session_id"] for row in rows])
        choices.append(
            ScopeChoice(
                scope.value,
                len(rows),
                len(people),
                rows[0]["starts_at"] if rows else None,
                rows[-1]["starts_at"] if rows else None,
            )
        )
    return choices


def parse_scope(form: Form, allowed: Sequence[str]) -> Scope | None:
    value = str(form.values.get("scope") or "")
    if value not in allowed:
        form.errors["scope"] = _("Bitte wählen Sie, welche Termine gemeint sind.")
        return None
    return Scope(value)
