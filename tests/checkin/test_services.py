"""Check-in codes, the check-in window, identification by login and personal link, and
walk-ins, at the service level on the real database."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from boerse.accounts.tables import Role, User
from boerse.audit.tables import AuditEntry
from boerse.checkin import services
from boerse.checkin.services import Outcome, WalkInRefusedError
from boerse.lib.db import utcnow
from boerse.opportunities.tables import OpportunitySession, SignUp
from tests.checkin.support import setting, signup_row
from tests.support.factories import make_opportunity, make_organisation, make_session


async def code_of(session_id: int) -> str:
    row = await OpportunitySession.select(OpportunitySession.checkin_code).where(
        OpportunitySession.id == session_id
    )
    return row[0]["checkin_code"]


async def test_a_code_is_made_once_from_unambiguous_characters() -> None:
    s = await setting()
    assert await code_of(s.session.id) == ""  # nobody else sets it

    code = await services.ensure_code(s.session.id)

    assert len(code) == 6 and services.looks_like_code(code)
    assert not set(code) & set("0O1I")
    assert await code_of(s.session.id) == code
    assert await services.ensure_code(s.session.id) == code


async def test_parallel_first_requests_agree_on_one_code() -> None:
    s = await setting()

    codes = await asyncio.gather(*(services.ensure_code(s.session.id) for _ in range(4)))

    assert len(set(codes)) == 1
    assert await code_of(s.session.id) == codes[0]


async def test_a_clashing_draw_is_drawn_again(monkeypatch: pytest.MonkeyPatch) -> None:
    s = await setting()
    taken = await services.ensure_code(s.session.id)
    other = await make_session(
        await make_opportunity(await make_organisation()), starts_in=dt.timedelta(days=3)
    )
    draws = iter([taken, taken, "XYZ234"])
    monkeypatch.setattr(services, "new_code", lambda: next(draws))

    assert await services.ensure_code(other.id) == "XYZ234"


async def test_a_finished_dates_code_may_come_again_and_the_open_date_wins() -> None:
    s = await setting()
    old = await make_session(
        await make_opportunity(await make_organisation()),
        starts_in=dt.timedelta(days=-3),
        checkin_code="K7R2XP",
    )
    new = await make_session(
        await make_opportunity(await make_organisation()),
        starts_in=dt.timedelta(minutes=10),
        checkin_code="K7R2XP",
    )

    found = await services.session_of_code("K7R2XP")

    assert found is not None and found["session_id"] == new.id != old.id
    assert s.session.id not in (old.id, new.id)


def test_typed_codes_are_normalised() -> None:
    assert services.normalise_code(" k7r-2xp ") == "K7R2XP"
    assert services.looks_like_code("K7R2XP")
    assert not services.looks_like_code("K7R2X0")  # a zero is never part of a code
    assert not services.looks_like_code("K7R2X")


async def test_login_checks_in_with_suggested_hours() -> None:
    s = await setting(duration=dt.timedelta(hours=1, minutes=50))
    code = await services.ensure_code(s.session.id)

    result = await services.check_in(code.lower(), s.people[0].id, [])

    assert result.outcome == Outcome.CHECKED_IN and result.count == 1
    row = await signup_row(s.signup_ids[0])
    assert row["attendance"] == "attended" and row["checkin_method"] == "code"
    assert row["checked_in_at"] is not None
    assert row["hours"] == 1.75  # 1 h 50 min rounded to quarter hours
    again = await services.check_in(code, s.people[0].id, [])
    assert again.outcome == Outcome.ALREADY
    assert (await signup_row(s.signup_ids[0]))["checked_in_at"] == row["checked_in_at"]


async def test_a_remembered_personal_link_identifies_the_person() -> None:
    s = await setting()
    code = await services.ensure_code(s.session.id)

    result = await services.check_in(code, None, [s.signup_ids[1]])

    assert result.outcome == Outcome.CHECKED_IN
    assert (await signup_row(s.signup_ids[1]))["attendance"] == "attended"
    assert (await signup_row(s.signup_ids[0]))["attendance"] is None


@pytest.mark.parametrize(
    ("starts_in", "duration", "expected"),
    [
        (dt.timedelta(minutes=61), dt.timedelta(hours=2), Outcome.TOO_EARLY),
        (dt.timedelta(minutes=59), dt.timedelta(hours=2), Outcome.CHECKED_IN),
        (dt.timedelta(hours=-2, minutes=-50), dt.timedelta(hours=2), Outcome.CHECKED_IN),
        (dt.timedelta(hours=-3, minutes=-5), dt.timedelta(hours=2), Outcome.TOO_LATE),
    ],
)
async def test_the_window_opens_an_hour_before_and_closes_an_hour_after(
    starts_in: dt.timedelta, duration: dt.timedelta, expected: Outcome
) -> None:
    s = await setting(starts_in=starts_in, duration=duration)
    code = await services.ensure_code(s.session.id)

    result = await services.check_in(code, s.people[0].id, [])

    assert result.outcome == expected
    attended = (await signup_row(s.signup_ids[0]))["attendance"]
    assert attended == ("attended" if expected == Outcome.CHECKED_IN else None)


async def test_unknown_code_waitlist_cancelled_stranger_and_nobody_save_nothing() -> None:
    s = await setting()
    code = await services.ensure_code(s.session.id)
    await SignUp.update({SignUp.status: "cancelled"}).where(SignUp.id == s.signup_ids[1])

    outcomes = [
        (await services.check_in("ZZZZZZ", s.people[0].id, [])).outcome,
        (await services.check_in(code, s.people[2].id, [])).outcome,
        (await services.check_in(code, s.people[1].id, [])).outcome,
        (await services.check_in(code, s.officer.id, [])).outcome,
        (await services.check_in(code, None, [])).outcome,
    ]

    assert outcomes == [
        Outcome.UNKNOWN_CODE,
        Outcome.WAITLISTED,
        Outcome.CANCELLED,
        Outcome.NOT_SIGNED_UP,
        Outcome.NOBODY,
    ]
    rows = await SignUp.select(SignUp.attendance, SignUp.checked_in_at)
    assert all(row["attendance"] is None and row["checked_in_at"] is None for row in rows)


async def test_the_personal_page_refuses_another_dates_code() -> None:
    s = await setting()
    other = await setting(tag="2")
    other_code = await services.ensure_code(other.session.id)
    own_code = await services.ensure_code(s.session.id)

    wrong = await services.check_in_signup(s.signup_ids[0], other_code)
    right = await services.check_in_signup(s.signup_ids[0], own_code)

    assert wrong.outcome == Outcome.OTHER_DATE
    assert right.outcome == Outcome.CHECKED_IN
    assert (await signup_row(other.signup_ids[0]))["attendance"] is None


async def test_a_walk_in_becomes_a_present_guest_holding_a_place() -> None:
    s = await setting(starts_in=dt.timedelta(minutes=-30), capacity=2)

    added = await services.add_walk_in(s.session.id, "Dora@Example.org ", "Dora Dorn", "de")

    guest = await User.objects().get(User.email == "dora@example.org")
    assert guest.role == Role.GUEST.value and guest.display_name == "Dora Dorn"
    row = await signup_row(added.signup_id)
    assert (row["status"], row["attendance"], row["checkin_method"]) == (
        "confirmed",
        "attended",
        "walkin",
    )
    assert row["hours"] == 2 and row["checked_in_at"] is not None
    seats = await OpportunitySession.select(OpportunitySession.seats_taken).where(
        OpportunitySession.id == s.session.id
    )
    assert seats[0]["seats_taken"] == 3  # over the capacity of 2: they are there
    [entry] = await AuditEntry.select().where(AuditEntry.action == "walk_in_added")
    assert "Dora" not in entry["summary"] and "dora@" not in entry["summary"]


async def test_a_walk_in_who_was_signed_up_is_only_ticked_off() -> None:
    s = await setting(starts_in=dt.timedelta(minutes=-30))

    added = await services.add_walk_in(s.session.id, "anna@example.org", "Anna", "de")

    assert added.was_signed_up and added.signup_id == s.signup_ids[0]
    assert (await signup_row(s.signup_ids[0]))["attendance"] == "attended"
    assert await SignUp.count() == 3


async def test_a_waiting_person_coming_anyway_is_moved_up_and_counted() -> None:
    s = await setting(starts_in=dt.timedelta(minutes=-30))

    added = await services.add_walk_in(s.session.id, "cleo@example.org", "Cleo", "de")

    assert not added.was_signed_up and added.signup_id == s.signup_ids[2]
    row = await signup_row(s.signup_ids[2])
    assert (row["status"], row["checkin_method"]) == ("confirmed", "walkin")
    seats = await OpportunitySession.select(OpportunitySession.seats_taken).where(
        OpportunitySession.id == s.session.id
    )
    assert seats[0]["seats_taken"] == 3


async def test_walk_ins_wait_for_the_check_in_window() -> None:
    s = await setting(starts_in=dt.timedelta(hours=3))

    with pytest.raises(WalkInRefusedError):
        await services.add_walk_in(s.session.id, "dora@example.org", "Dora", "de")

    assert not await User.exists().where(User.email == "dora@example.org")
    assert utcnow() < s.session.starts_at


async def test_two_officers_adding_the_same_walk_in_at_once_make_one_sign_up() -> None:
    s = await setting(starts_in=dt.timedelta(minutes=-30))

    added = await asyncio.gather(
        *(services.add_walk_in(s.session.id, "dora@example.org", "Dora", "de") for _ in range(3))
    )

    assert len({walk_in.signup_id for walk_in in added}) == 1
    assert await User.count().where(User.email == "dora@example.org") == 1
    seats = await OpportunitySession.select(OpportunitySession.seats_taken).where(
        OpportunitySession.id == s.session.id
    )
    assert seats[0]["seats_taken"] == 3  # Anna, Ben and Dora: counted once
