"""Recurring dates: the rule's expansion (also across summer time), impossible rules, and
changing and cancelling many dates with mails to everyone signed up, never half-saved."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from boerse.audit.tables import AuditEntry
from boerse.lib.db import utcnow
from boerse.lib.formatting import TOWN_TIMEZONE
from boerse.lib.forms import Form
from boerse.opportunities import series, services, signups
from boerse.opportunities.schemas import parse_session
from boerse.opportunities.series import (
    MAX_DATES,
    ImpossibleRuleError,
    Rule,
    Scope,
    SeriesChange,
    SeriesInput,
    SeriesRefusedError,
)
from boerse.opportunities.tables import (
    Opportunity,
    OpportunitySeries,
    OpportunitySession,
    SignUp,
)
from boerse.outbox.tables import OutboxEmail
from tests.support.factories import make_opportunity, make_organisation, make_user
from tests.support.fixtures import run_worker
from tests.support.services import Mailbox, body_text

WEEKLY, BIWEEKLY, MONTHLY = "weekly", "biweekly", "monthly_weekday"
TEN = dt.time(10, 0)


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(TOWN_TIMEZONE)


# --- the rule ------------------------------------------------------------------------------


def test_weekly_until_a_date_includes_that_date() -> None:
    rule = Rule(WEEKLY, dt.date(2027, 1, 2), TEN, 120, until_date=dt.date(2027, 1, 30))
    assert series.rule_days(rule) == [dt.date(2027, 1, d) for d in (2, 9, 16, 23, 30)]


def test_every_two_weeks_for_n_dates_leaves_out_exceptions() -> None:
    rule = Rule(
        BIWEEKLY,
        dt.date(2027, 1, 5),
        TEN,
        60,
        count=4,
        exceptions=frozenset({dt.date(2027, 1, 19)}),
    )
    assert series.rule_days(rule) == [
        dt.date(2027, 1, 5),
        dt.date(2027, 2, 2),
        dt.date(2027, 2, 16),
    ]


def test_monthly_keeps_the_weekday_of_the_month() -> None:
    # 12 January 2027 is the second Tuesday of its month.
    rule = Rule(MONTHLY, dt.date(2027, 1, 12), TEN, 90, count=4)
    days = series.rule_days(rule)
    assert days == [
        dt.date(2027, 1, 12),
        dt.date(2027, 2, 9),
        dt.date(2027, 3, 9),
        dt.date(2027, 4, 13),
    ]
    assert {day.weekday() for day in days} == {1}


def test_the_local_start_stays_across_summer_time() -> None:
    # Summer time begins on 28 March 2027 and ends on 31 October 2027.
    spring = series.expand(Rule(WEEKLY, dt.date(2027, 3, 27), TEN, 120, count=2))
    assert [start.astimezone(dt.UTC).hour for start, _end in spring] == [9, 8]
    autumn = series.expand(Rule(WEEKLY, dt.date(2027, 10, 30), TEN, 120, count=2))
    assert [start.astimezone(dt.UTC).hour for start, _end in autumn] == [8, 9]
    for start, end in spring + autumn:
        assert local(start).time() == TEN and end - start == dt.timedelta(hours=2)


@settings(max_examples=200, deadline=None)
@given(
    frequency=st.sampled_from([WEEKLY, BIWEEKLY, MONTHLY]),
    first=st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2032, 12, 31)),
    start=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    minutes=st.integers(min_value=1, max_value=24 * 60),
    count=st.integers(min_value=1, max_value=MAX_DATES),
    skip=st.sets(st.integers(min_value=1, max_value=MAX_DATES - 1), max_size=5),
)
def test_every_date_follows_the_rule(frequency, first, start, minutes, count, skip) -> None:
    if frequency == MONTHLY and series.week_of_month(first) == 5:
        with pytest.raises(ImpossibleRuleError):
            series.rule_days(Rule(frequency, first, start, minutes, count=count))
        return
    every = series.rule_days(Rule(frequency, first, start, minutes, count=count))
    assert len(every) == count and every[0] == first
    exceptions = frozenset(every[i] for i in skip if i < len(every))
    rule = Rule(frequency, first, start, minutes, count=count, exceptions=exceptions)
    moments = series.expand(rule)
    assert len(moments) == count - len(exceptions)
    for day, (starts, ends) in zip([d for d in every if d not in exceptions], moments, strict=True):
        assert ends - starts == dt.timedelta(minutes=minutes)
        wall = local(starts)
        if wall.time() != start:  # only where the clock jumps forward: an hour later
            gap = dt.datetime.combine(day, start)
            assert wall.replace(tzinfo=None) - gap == dt.timedelta(hours=1)
        assert wall.date() == day
    for earlier, later in itertools.pairwise(every):
        assert later.weekday() == first.weekday()
        if frequency == WEEKLY:
            assert later - earlier == dt.timedelta(weeks=1)
        elif frequency == BIWEEKLY:
            assert later - earlier == dt.timedelta(weeks=2)
        else:
            assert series.week_of_month(later) == series.week_of_month(first)
            assert (later.year * 12 + later.month) - (earlier.year * 12 + earlier.month) == 1


# --- impossible rules in the form -----------------------------------------------------------


def good_values(**changes: str) -> dict[str, str]:
    first = (utcnow().astimezone(TOWN_TIMEZONE) + dt.timedelta(days=10)).date()
    values = {
        "frequency": WEEKLY,
        "first_date": first.isoformat(),
        "series_starts": "10:00",
        "duration": "120",
        "until": "",
        "count": "6",
        "exceptions": "",
        "series_capacity": "8",
        "series_location_note": "Werkstatt im Hof",
    }
    return values | changes


def future(days: int) -> str:
    return (
        (utcnow().astimezone(TOWN_TIMEZONE) + dt.timedelta(days=days)).date().strftime("%d.%m.%Y")
    )


def test_a_good_form_gives_the_series() -> None:
    data = series.parse_series(Form(values=good_values(duration="1:30")), utcnow())
    assert data is not None
    assert data.rule.duration_minutes == 90 and data.rule.count == 6 and data.capacity == 8


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"count": ""}, "until", "Enddatum oder eine Anzahl"),
        ({"until": future(40)}, "count", "nicht beides"),
        ({"count": "", "until": future(3)}, "until", "vor dem ersten Termin"),
        ({"duration": "0"}, "duration", "zwischen 1 und"),
        ({"duration": "zwei Stunden"}, "duration", "Dauer in Minuten"),
        ({"count": "0"}, "count", "von 1 bis 104"),
        ({"count": "105"}, "count", "von 1 bis 104"),
        ({"count": "", "until": future(10 + 7 * 120)}, "until", "mehr als 104 Termine"),
        ({"exceptions": future(11)}, "exceptions", "keine Termine der Serie"),
        ({"exceptions": "morgen"}, "exceptions", "kein Datum"),
        ({"count": "1", "exceptions": future(10)}, "exceptions", "kein Termin übrig"),
        ({"frequency": "daily"}, "frequency", "wie oft"),
        ({"first_date": future(-7)}, "first_date", "in der Zukunft"),
        ({"series_capacity": "0"}, "series_capacity", "von 1 bis 500"),
    ],
)
def test_impossible_rules_are_explained(changes, field, message) -> None:
    form = Form(values=good_values(**changes))
    assert series.parse_series(form, utcnow()) is None
    assert message in form.errors[field]


def test_the_fifth_weekday_of_a_month_is_refused_for_monthly() -> None:
    with pytest.raises(ImpossibleRuleError) as refused:
        series.rule_days(Rule(MONTHLY, dt.date(2027, 1, 29), TEN, 60, count=3))
    assert refused.value.field == "first_date" and "fünfte" in refused.value.message


# --- services -------------------------------------------------------------------------------


def next_saturday(after_days: int = 3) -> dt.date:
    day = (utcnow().astimezone(TOWN_TIMEZONE) + dt.timedelta(days=after_days)).date()
    return day + dt.timedelta(days=(5 - day.weekday()) % 7)


async def weekly_series(opportunity, count: int = 4, capacity: int = 2) -> series.SeriesOutcome:
    rule = Rule(WEEKLY, next_saturday(), TEN, 180, count=count)
    return await series.create_series(opportunity.id, SeriesInput(rule, capacity, "Hinterhof"))


async def dates_of(opportunity_id: int) -> list[dict]:
    return await services.sessions_of(opportunity_id)


async def signed_up(session_id: int, *emails: str) -> list[int]:
    ids = []
    for email in emails:
        person = await make_user(email=email, display_name=email.split("@")[0].title())
        ids.append((await signups.sign_up(person.id, session_id)).signup_id)
    return ids


def ics_of(message) -> Calendar:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return Calendar.from_ical(part.get_payload(decode=True))
    raise AssertionError("no calendar attachment")


async def test_a_series_makes_ordinary_dates_in_one_go() -> None:
    opportunity = await make_opportunity(await make_organisation(), title="Repair-Café")
    outcome = await weekly_series(opportunity, count=5)

    dates = await dates_of(opportunity.id)
    assert len(dates) == 5 and {d["series"] for d in dates} == {outcome.series_id}
    assert {d["capacity"] for d in dates} == {2} and {d["location_note"] for d in dates} == {
        "Hinterhof"
    }
    assert all(local(d["starts_at"]).time() == TEN for d in dates)
    kept = await Opportunity.select(Opportunity.next_starts_at).where(
        Opportunity.id == opportunity.id
    )
    assert kept[0]["next_starts_at"] == dates[0]["starts_at"]
    entry = await AuditEntry.select().where(AuditEntry.action == "series_created").first()
    assert entry["target_id"] == opportunity.id and entry["quantity"] == 5


async def test_this_and_following_moves_only_those_and_tells_their_people(mailbox: Mailbox) -> None:
    opportunity = await make_opportunity(await make_organisation(), title="Repair-Café")
    await weekly_series(opportunity, count=4)
    first, second, third, fourth = await dates_of(opportunity.id)
    await signed_up(first["id"], "anna@example.org")
    await signed_up(third["id"], "ben@example.org", "cleo@example.org", "dora@example.org")
    await run_worker()
    mailbox.clear()

    change = SeriesChange(
        shift_days=1,
        start_time=dt.time(14, 30),
        duration_minutes=90,
        capacity=3,
        location_note="Saal",
    )
    outcome = await series.change_dates(opportunity.id, second, Scope.FOLLOWING, change)

    assert outcome.dates == 3 and outcome.people == 3
    after = await dates_of(opportunity.id)
    assert after[0]["starts_at"] == first["starts_at"] and after[0]["location_note"] == "Hinterhof"
    for old, new in zip([second, third, fourth], after[1:], strict=True):
        assert local(new["starts_at"]).date() == local(old["starts_at"]).date() + dt.timedelta(
            days=1
        )
        assert local(new["starts_at"]).time() == dt.time(14, 30)
        assert new["ends_at"] - new["starts_at"] == dt.timedelta(minutes=90)
        assert (new["capacity"], new["location_note"]) == (3, "Saal")
    await run_worker()
    subjects = set(mailbox.subjects())
    assert sorted(m["To"] for m in mailbox.messages) == [
        "ben@example.org",
        "cleo@example.org",
        "dora@example.org",
        "dora@example.org",
    ]
    # Dora waited for one of two places; the third place is hers, and she hears both.
    assert set(subjects) == {"Geänderter Termin: Repair-Café", "Sie haben einen Platz: Repair-Café"}
    [message] = [
        m
        for m, subject in zip(mailbox.messages, mailbox.subjects(), strict=True)
        if m["To"] == "dora@example.org" and subject.startswith("Geänderter")
    ]
    text = body_text(message)
    assert "Bisher" in text and "Jetzt" in text and "14:30" in text and "Saal" in text
    event = ics_of(message).walk("VEVENT")[0]
    assert event.decoded("dtstart") == after[2]["starts_at"]
    assert await SignUp.count().where(SignUp.status == "waitlisted") == 0


async def test_a_capacity_cut_below_the_places_taken_saves_nothing() -> None:
    opportunity = await make_opportunity(await make_organisation())
    await weekly_series(opportunity, count=3)
    first, second, _third = await dates_of(opportunity.id)
    await signed_up(second["id"], "anna@example.org", "ben@example.org")
    before = await dates_of(opportunity.id)
    emails = await OutboxEmail.count()

    change = SeriesChange(0, dt.time(9, 0), 60, 1, "Anderswo")
    with pytest.raises(SeriesRefusedError) as refused:
        await series.change_dates(opportunity.id, first, Scope.SERIES, change)

    assert refused.value.field == "capacity"
    assert await dates_of(opportunity.id) == before
    assert await OutboxEmail.count() == emails
    assert not await AuditEntry.exists().where(AuditEntry.action == "series_changed")


async def test_a_move_into_the_past_is_refused_and_saves_nothing() -> None:
    opportunity = await make_opportunity(await make_organisation())
    await weekly_series(opportunity, count=3)
    before = await dates_of(opportunity.id)

    with pytest.raises(SeriesRefusedError) as refused:
        await series.change_dates(
            opportunity.id, before[0], Scope.SERIES, SeriesChange(-30, TEN, 60, 5, "")
        )

    assert refused.value.field == "shift_days" and "Vergangenheit" in refused.value.message
    assert await dates_of(opportunity.id) == before


async def test_moving_the_whole_series_updates_its_rule() -> None:
    opportunity = await make_opportunity(await make_organisation())
    outcome = await weekly_series(opportunity, count=3)
    first = (await dates_of(opportunity.id))[0]

    await series.change_dates(
        opportunity.id, first, Scope.SERIES, SeriesChange(7, dt.time(18, 0), 120, 4, "Saal")
    )

    rule = await OpportunitySeries.select().where(OpportunitySeries.id == outcome.series_id).first()
    assert rule["first_date"] == next_saturday() + dt.timedelta(days=7)
    assert (rule["start_time"], rule["duration_minutes"], rule["capacity"]) == ("18:00", 120, 4)
    kept = await Opportunity.select(Opportunity.next_starts_at).where(
        Opportunity.id == opportunity.id
    )
    assert kept[0]["next_starts_at"] == (await dates_of(opportunity.id))[0]["starts_at"]


async def test_cancelling_following_dates_tells_everyone_and_keeps_the_past(
    mailbox: Mailbox,
) -> None:
    opportunity = await make_opportunity(await make_organisation(), title="Repair-Café")
    await weekly_series(opportunity, count=4)
    first, second, third, _fourth = await dates_of(opportunity.id)
    await signed_up(first["id"], "anna@example.org")
    await signed_up(third["id"], "ben@example.org", "cleo@example.org", "dora@example.org")
    # The first date has begun meanwhile: it is history and stays.
    await OpportunitySession.update(
        {
            OpportunitySession.starts_at: utcnow() - dt.timedelta(hours=1),
            OpportunitySession.ends_at: utcnow() + dt.timedelta(hours=1),
        }
    ).where(OpportunitySession.id == first["id"])
    await run_worker()
    mailbox.clear()

    outcome = await series.cancel_in_scope(
        opportunity.id, first | {"starts_at": utcnow() - dt.timedelta(hours=1)}, Scope.FOLLOWING
    )

    assert outcome.dates == 3 and outcome.people == 3
    remaining = await dates_of(opportunity.id)
    assert [d["id"] for d in remaining] == [first["id"]]
    assert await SignUp.count().where(SignUp.status != "cancelled") == 1  # Anna's, on the past date
    kept = await Opportunity.select(Opportunity.next_starts_at).where(
        Opportunity.id == opportunity.id
    )
    assert kept[0]["next_starts_at"] is None
    await run_worker()
    assert sorted(m["To"] for m in mailbox.messages) == [
        "ben@example.org",
        "cleo@example.org",
        "dora@example.org",
    ]
    assert set(mailbox.subjects()) == {"Termin abgesagt: Repair-Café"}
    event = ics_of(mailbox.to("ben@example.org")[0]).walk("VEVENT")[0]
    assert event["STATUS"] == "CANCELLED" and event.decoded("dtstart") == third["starts_at"]
    assert second["id"] not in {d["id"] for d in remaining}


async def test_cancelling_a_date_that_has_begun_is_refused() -> None:
    opportunity = await make_opportunity(await make_organisation())
    await weekly_series(opportunity, count=1)
    [date] = await dates_of(opportunity.id)
    await OpportunitySession.update(
        {OpportunitySession.starts_at: utcnow() - dt.timedelta(minutes=5)}
    ).where(OpportunitySession.id == date["id"])
    with pytest.raises(SeriesRefusedError):
        await series.cancel_in_scope(opportunity.id, date, Scope.ONE)
    assert await OpportunitySession.count() == 1


# --- single dates ---------------------------------------------------------------------------


def session_input(day: dt.date, starts: str, ends: str, capacity: int = 5, note: str = ""):
    form = Form(
        values={
            "date": day.isoformat(),
            "starts": starts,
            "ends": ends,
            "capacity": str(capacity),
            "location_note": note,
        }
    )
    return parse_session(form)


async def test_moving_one_date_mails_its_people_the_change(mailbox: Mailbox) -> None:
    opportunity = await make_opportunity(await make_organisation(), title="Lesepaten")
    await weekly_series(opportunity, count=2)
    first, second = await dates_of(opportunity.id)
    await signed_up(first["id"], "anna@example.org")
    await signed_up(second["id"], "ben@example.org")
    await run_worker()
    mailbox.clear()

    day = local(first["starts_at"]).date() + dt.timedelta(days=1)
    assert await services.update_session(
        first["id"], session_input(day, "16:00", "18:00", 5, "Raum 2")
    )

    await run_worker()
    [message] = mailbox.messages
    assert message["To"] == "anna@example.org"
    assert mailbox.subjects() == ["Geänderter Termin: Lesepaten"]
    assert "16:00" in body_text(message) and "Raum 2" in body_text(message)
    # Only the capacity changed: nobody needs to hear about it.
    mailbox.clear()
    assert await services.update_session(
        first["id"], session_input(day, "16:00", "18:00", 7, "Raum 2")
    )
    await run_worker()
    assert mailbox.messages == []


async def test_a_coming_date_with_sign_ups_can_be_cancelled_a_begun_one_not(
    mailbox: Mailbox,
) -> None:
    opportunity = await make_opportunity(await make_organisation(), title="Lesepaten")
    await weekly_series(opportunity, count=2)
    coming, begun = await dates_of(opportunity.id)
    await signed_up(coming["id"], "anna@example.org")
    await signed_up(begun["id"], "ben@example.org")
    await OpportunitySession.update(
        {OpportunitySession.starts_at: utcnow() - dt.timedelta(minutes=1)}
    ).where(OpportunitySession.id == begun["id"])
    await run_worker()
    mailbox.clear()

    assert await services.delete_session(coming["id"]) is True
    assert await services.delete_session(begun["id"]) is False

    assert [d["id"] for d in await dates_of(opportunity.id)] == [begun["id"]]
    await run_worker()
    assert [m["To"] for m in mailbox.messages] == ["anna@example.org"]
    assert mailbox.subjects() == ["Termin abgesagt: Lesepaten"]


async def test_people_signing_up_while_the_series_is_cancelled_are_all_told(
    mailbox: Mailbox,
) -> None:
    """Whoever got a place (or a waitlist entry) in the race is told of the cancellation;
    whoever came too late finds no date. Nobody is left signed up for a deleted date."""
    opportunity = await make_opportunity(await make_organisation(), title="Repair-Café")
    await weekly_series(opportunity, count=2, capacity=3)
    first, _second = await dates_of(opportunity.id)
    people = [await make_user(email=f"p{i}@example.org") for i in range(6)]

    async def attempt(person) -> str | None:
        try:
            await signups.sign_up(person.id, first["id"])
        except signups.SessionNotFoundError:
            return None
        return person.email

    results = await asyncio.gather(
        *(attempt(person) for person in people[:3]),
        series.cancel_in_scope(opportunity.id, first, Scope.SERIES),
        *(attempt(person) for person in people[3:]),
    )

    signed = {email for email in results[:3] + results[4:] if isinstance(email, str)}
    assert await OpportunitySession.count() == 0
    assert await SignUp.count() == 0
    await run_worker()
    cancelled = {
        m["To"]
        for m, s in zip(mailbox.messages, mailbox.subjects(), strict=True)
        if s.startswith("Termin abgesagt")
    }
    assert cancelled == signed


async def test_each_person_is_told_in_their_own_language(mailbox: Mailbox) -> None:
    opportunity = await make_opportunity(await make_organisation(), title="Lesepaten")
    await weekly_series(opportunity, count=1)
    [date] = await dates_of(opportunity.id)
    tom = await make_user(email="tom@example.org", display_name="Tom", language="en")
    await signups.sign_up(tom.id, date["id"])
    await signed_up(date["id"], "anna@example.org")
    await run_worker()
    mailbox.clear()

    day = local(date["starts_at"]).date()
    assert await services.update_session(date["id"], session_input(day, "11:00", "12:00"))

    await run_worker()
    assert "Hello Tom" in body_text(mailbox.to("tom@example.org")[0])
    assert "Guten Tag Anna" in body_text(mailbox.to("anna@example.org")[0])
