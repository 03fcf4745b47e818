"""The demo town loads quickly, once, consistently, and with the logins the README promises."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter

import pyotp
from piccolo.conf.apps import Finder

from boerse.accounts.tables import Organisation, Role, User
from boerse.demo.engagement import LAST_YEAR_DATES
from boerse.demo.loader import (
    OFFICER_LOGINS,
    RESIDENT_LOGIN,
    SEED,
    TWO_FACTOR_LOGIN,
    WALK_AUDIT_LOGIN,
    all_offers,
    load_demo,
    print_logins,
)
from boerse.demo.people import generate_residents
from boerse.demo.schedule import Clock, plan_offers
from boerse.demo.series import SERIES_DATES, SERIES_OFFER
from boerse.demo.town import ADMIN, DEMO_PASSWORD, DEMO_TOTP_SECRET
from boerse.lib.db import utcnow
from boerse.lib.formatting import local
from boerse.lib.security import verify_password
from boerse.opportunities.tables import (
    Mode,
    Opportunity,
    OpportunitySession,
    OpportunityStatus,
    SignUp,
    SignUpStatus,
)
from boerse.outbox.tables import OutboxEmail
from boerse.profiles.tables import Profile, ProfileInterest, ProfileSkill
from boerse.questionnaires.tables import Response
from boerse.settings import get_settings
from boerse.surveys.tables import InvitationStatus, SurveyInvitation

SEATED = (SignUpStatus.REGISTERED.value, SignUpStatus.CONFIRMED.value)


async def table_counts() -> dict[str, int]:
    # Rows selected rather than `table.count()`: `opportunity_series` has a column named count.
    return {
        table._meta.tablename: len(await table.select(table._meta.primary_key))
        for table in Finder().get_table_classes()
    }


async def test_loads_the_town_with_the_stated_amounts_quickly() -> None:
    started = time.perf_counter()
    assert await load_demo() is True
    elapsed = time.perf_counter() - started

    assert elapsed < 20
    assert await Organisation.count() == 11
    assert await User.count().where(User.role == Role.RESIDENT.value) == 300
    assert await Profile.count() == 300
    # 60 planned offers, the weekly series (demo.series) and a copied draft (demo.officer_tools)
    assert await Opportunity.count() == 62
    assert 107 <= await OpportunitySession.count() <= 137
    assert await SignUp.count() > 1000
    assert await OutboxEmail.count() == 12  # the delivery history, see the last test
    tokens = await User.select(User.calendar_token)
    assert len({row["calendar_token"] for row in tokens}) == len(tokens)


def _engagement_history(starts_at: dt.datetime, year: int) -> bool:
    """A date the engagement demo made for its resident's history last year."""
    start = local(starts_at)
    return start.year == year and any(
        (start.month, start.day, start.hour) == (month, day, hour)
        for month, day, hour, *_ in LAST_YEAR_DATES
    )


async def test_every_mode_has_published_opportunities_with_one_to_four_dates() -> None:
    await load_demo()
    rows = await Opportunity.select(
        Opportunity.id,
        Opportunity.mode,
        Opportunity.status,
        Opportunity.is_online,
        Opportunity.title,
    )
    published = Counter(row["mode"] for row in rows if row["status"] == OpportunityStatus.PUBLISHED)
    assert {mode.value for mode in Mode} == set(published)
    assert min(published.values()) >= 12
    statuses = Counter(row["status"] for row in rows)
    assert statuses[OpportunityStatus.DRAFT] >= 2
    assert statuses[OpportunityStatus.CLOSED] == 1
    assert any(row["is_online"] for row in rows)
    # Last year's dates of the engagement demo (Anna Weber's history) are history, not plan.
    history_year = local(utcnow()).year - 1
    dates = Counter(
        row["opportunity"]
        for row in await OpportunitySession.select(
            OpportunitySession.opportunity, OpportunitySession.starts_at
        )
        if not _engagement_history(row["starts_at"], history_year)
    )
    # The copied draft (demo.officer_tools) has no dates yet, as a fresh copy has none.
    copies = [row for row in rows if row["title"].startswith("Kopie von ")]
    assert len(copies) == 1 and dates[copies[0]["id"]] == 0
    # The weekly series (demo.series) has its own number of dates.
    weekly = [row for row in rows if row["title"] == SERIES_OFFER]
    assert len(weekly) == 1 and dates[weekly[0]["id"]] == SERIES_DATES - 1
    assert all(1 <= dates[row["id"]] <= 4 for row in rows if row not in copies + weekly)
    now = utcnow()
    starts = [
        row["starts_at"] for row in await OpportunitySession.select(OpportunitySession.starts_at)
    ]
    future = [start for start in starts if start > now]
    assert len(future) > len(starts) / 2
    assert len(future) < len(starts)


async def test_seats_taken_matches_the_seated_sign_ups_of_every_session() -> None:
    await load_demo()
    sign_ups = await SignUp.select(SignUp.session, SignUp.status, SignUp.companions)
    seated: Counter = Counter()
    for row in sign_ups:  # a sign-up holds a place for the person and each companion
        if row["status"] in SEATED:
            seated[row["session"]] += 1 + row["companions"]
    waiting = Counter(
        row["session"] for row in sign_ups if row["status"] == SignUpStatus.WAITLISTED
    )
    sessions = await OpportunitySession.select(
        OpportunitySession.id, OpportunitySession.capacity, OpportunitySession.seats_taken
    )
    for session in sessions:
        assert session["seats_taken"] == seated[session["id"]]
        assert session["seats_taken"] <= session["capacity"]
        if waiting[session["id"]]:
            assert session["seats_taken"] == session["capacity"], (
                "a waitlist only behind a full date"
            )
    assert len(waiting) >= 3
    assert any(row["status"] == SignUpStatus.CANCELLED for row in sign_ups)
    assert any(row["companions"] for row in sign_ups if row["status"] in SEATED)


async def test_past_dates_have_attendance_surveys_and_enough_answers_for_public_results() -> None:
    await load_demo()
    attended = await SignUp.select(SignUp.id, SignUp.hours).where(SignUp.attendance == "attended")
    assert attended
    # Only the engagement demo's one date with presence but no hours lacks them (its length
    # counts on "Mein Engagement").
    without_hours = [row for row in attended if row["hours"] is None]
    assert len(without_hours) == sum(1 for *_, hours in LAST_YEAR_DATES if hours is None)
    assert all(row["hours"] > 0 for row in attended if row["hours"] is not None)
    invitations = await SurveyInvitation.select(SurveyInvitation.sign_up, SurveyInvitation.status)
    assert {row["sign_up"] for row in invitations} <= {row["id"] for row in attended}
    answered = sum(1 for row in invitations if row["status"] == InvitationStatus.ANSWERED)
    responses = await Response.select(Response.opportunity, Response.completed).where(
        Response.opportunity.is_not_null()  # the others answer standalone assessments
    )
    assert answered == len(responses)
    assert all(row["completed"] for row in responses)
    answers = Counter(row["opportunity"] for row in responses)
    threshold = get_settings().public_results_min_answers
    assert sum(1 for count in answers.values() if count >= threshold) >= 8


async def test_demo_logins_exist_with_the_documented_password() -> None:
    await load_demo()
    admin = await User.objects().where(User.email == ADMIN.email).first()
    assert admin.role == Role.ADMIN
    assert verify_password(admin.password_hash, DEMO_PASSWORD)
    officers = await User.objects().where(User.email.is_in(list(OFFICER_LOGINS)))
    assert len(officers) == 2
    assert {officer.role for officer in officers} == {Role.OFFICER.value}
    assert len({officer.organisation for officer in officers}) == 2
    assert all(verify_password(officer.password_hash, DEMO_PASSWORD) for officer in officers)
    assert not verify_password(officers[0].password_hash, "falsch")

    resident = await User.objects().where(User.email == RESIDENT_LOGIN).first()
    assert resident.email_verified_at is not None
    assert verify_password(resident.password_hash, DEMO_PASSWORD)
    profile = await Profile.objects().where(Profile.user == resident.id).first()
    assert profile.postcode and profile.latitude is not None and profile.time_windows
    assert await ProfileSkill.count().where(ProfileSkill.profile == profile.id) >= 3
    assert await ProfileInterest.count().where(ProfileInterest.profile == profile.id) >= 2
    statuses = Counter(
        row["status"]
        for row in await SignUp.select(SignUp.status).where(SignUp.user == resident.id)
    )
    assert statuses[SignUpStatus.WAITLISTED] == 1
    assert statuses[SignUpStatus.REGISTERED] + statuses[SignUpStatus.CONFIRMED] >= 4


async def test_one_demo_officer_signs_in_with_the_documented_second_factor(client) -> None:
    await load_demo()
    password_step = await client.submit(
        "/konto/anmelden", {"email": TWO_FACTOR_LOGIN, "password": DEMO_PASSWORD}
    )
    assert password_step.headers["location"].startswith("/konto/anmelden/code")

    code_step = await client.submit(
        "/konto/anmelden/code", {"code": pyotp.TOTP(DEMO_TOTP_SECRET).now()}
    )

    assert code_step.status_code == 303
    assert (await client.get("/verwaltung/angebote")).status_code == 200
    others = await User.count().where(User.totp_enabled_at.is_not_null())
    assert others == 1  # everyone else sets it up when it is required


async def test_second_load_returns_false_and_changes_nothing() -> None:
    assert await load_demo() is True
    before = await table_counts()

    assert await load_demo() is False
    assert await load_demo(force=True) is False

    assert await table_counts() == before


async def test_existing_data_is_left_alone_unless_forced() -> None:
    existing = Organisation(name="Jugendamt", description="Von Hand angelegt")
    await existing.save()

    assert await load_demo() is False
    assert await User.count() == 0

    assert await load_demo(force=True) is True
    assert await Organisation.count() == 11
    jugendamt = await Organisation.objects().where(Organisation.name == "Jugendamt").first()
    assert jugendamt.description == "Von Hand angelegt"
    officer = await User.objects().where(User.email == OFFICER_LOGINS[1]).first()
    assert officer.organisation == existing.id


def test_the_plan_is_the_same_for_the_same_day() -> None:
    clock = Clock(utcnow(), dt.timedelta(hours=1), dt.timedelta(days=14))

    def plan() -> list[tuple]:
        rng = random.Random(SEED)
        residents = generate_residents(rng, 300)
        planned = plan_offers(all_offers(), residents, rng, clock)
        return [(r.email, r.postcode, tuple(r.skills)) for r in residents] + [
            (session.starts_at, sign_up.resident, sign_up.status)
            for offer in planned
            for session in offer.sessions
            for sign_up in session.sign_ups
        ]

    assert plan() == plan()


def test_print_logins_names_every_demo_account_and_the_mailbox(capsys) -> None:
    print_logins()
    output = capsys.readouterr().out
    for email in (ADMIN.email, *OFFICER_LOGINS, RESIDENT_LOGIN, WALK_AUDIT_LOGIN):
        assert email in output
    assert DEMO_PASSWORD in output
    assert DEMO_TOTP_SECRET in output
    assert "E-Mails" in output


async def test_the_delivery_page_has_history_a_failure_and_a_retry_to_show() -> None:
    await load_demo()

    rows = await OutboxEmail.select(OutboxEmail.status, OutboxEmail.dedupe_key)
    statuses = sorted(row["status"] for row in rows)
    assert statuses == ["failed"] + ["pending"] + ["sent"] * 10
    assert all(row["dedupe_key"].startswith("signup_confirmed:") for row in rows)


async def test_some_residents_read_their_mails_in_english() -> None:
    """So the demo shows mails written in each recipient's language."""
    await load_demo()

    english = await User.count().where(User.language == "en")
    anna = await User.select(User.language).where(User.email == "anna.weber@post.example")

    assert 10 <= english <= 60
    assert anna == [{"language": "de"}]
