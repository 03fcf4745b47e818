"""Profile services on the real database: saving, re-saving, own tags, export and deletion."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from piccolo.conf.apps import Finder

from boerse.accounts.sessions import start_session
from boerse.accounts.tables import LoginSession, User
from boerse.lib.db import write_transaction
from boerse.opportunities.tables import SignUp, SignUpStatus
from boerse.outbox.services import queue_email
from boerse.outbox.tables import OutboxEmail
from boerse.profiles import services
from boerse.profiles.schemas import ProfileInput
from boerse.profiles.tables import Profile, ProfileInterest, ProfileSkill, Skill
from boerse.questionnaires.tables import Response
from tests.dashboards.answers import answer_feedback
from tests.profiles.helpers import add_sign_up, field_ids, seats_taken, skill_ids
from tests.support.factories import (
    make_opportunity,
    make_organisation,
    make_profile,
    make_session,
    make_user,
)


async def profile_input(**overrides: Any) -> ProfileInput:
    data = ProfileInput(
        display_name="Anna",
        postcode="04109",
        address="",
        travel_radius_km=15,
        hours_per_month=6,
        skill_ids=await skill_ids("gardening", "cooking"),
        own_skills=["Imkern"],
        interest_ids=await field_ids("environment", "elderly"),
        time_windows=["wed-evening", "sat-morning"],
        languages=["de", "tr"],
        birth_year=1980,
        contact_ok=True,
    )
    return dataclasses.replace(data, **overrides)


async def test_first_save_creates_the_profile_with_a_coarse_place() -> None:
    user = await make_user(display_name="")
    assert not await services.has_profile(user.id)

    view = await services.save_profile(user.id, await profile_input())

    assert await services.has_profile(user.id)
    assert (view.postcode, view.locality) == ("04109", "Leipzig")
    assert (view.latitude, view.longitude) == (51.34, 12.37)
    assert view.display_name == "Anna"
    assert (view.travel_radius_km, view.hours_per_month, view.birth_year) == (15, 6, 1980)
    assert view.time_windows == ["wed-evening", "sat-morning"]
    assert view.languages == ["de", "tr"]
    assert view.contact_ok is True
    assert view.skill_names == ["Gärtnern", "Kochen", "Imkern"]
    assert view.own_skill_names == ["Imkern"]
    assert view.interest_slugs == ["environment", "elderly"]
    assert view.interest_ids == await field_ids("environment", "elderly")
    assert (await User.select(User.display_name).where(User.id == user.id).first()) == {
        "display_name": "Anna"
    }


async def test_saving_again_replaces_skills_and_interests_and_keeps_one_profile() -> None:
    user = await make_user()
    await services.save_profile(user.id, await profile_input())

    view = await services.save_profile(
        user.id,
        await profile_input(
            postcode="80331",
            skill_ids=await skill_ids("first-aid"),
            own_skills=[],
            interest_ids=await field_ids("youth"),
            time_windows=[],
            languages=[],
            birth_year=None,
            contact_ok=False,
        ),
    )

    assert view.locality == "München"
    assert view.skill_names == ["Erste Hilfe"]
    assert view.interest_slugs == ["youth"]
    assert (view.time_windows, view.languages, view.birth_year, view.contact_ok) == (
        [],
        [],
        None,
        False,
    )
    assert await Profile.count() == 1
    assert await ProfileSkill.count() == 1
    assert await ProfileInterest.count() == 1


async def test_own_skills_are_shared_rows_found_again_whatever_the_case() -> None:
    anna, ben = await make_user(), await make_user()
    await services.save_profile(anna.id, await profile_input(own_skills=["Imkern", "Repair Café"]))
    view = await services.save_profile(ben.id, await profile_input(own_skills=["IMKERN"]))

    own = await Skill.select(Skill.slug, Skill.name).where(Skill.curated.eq(False))
    assert sorted(row["slug"] for row in own) == ["imkern", "repair-cafe"]
    # Ben's tag points at the row Anna created, shown as she first wrote it.
    assert view.own_skill_names == ["Imkern"]


async def test_an_unknown_postcode_is_refused_before_anything_is_written() -> None:
    user = await make_user()
    with pytest.raises(services.UnknownPostcodeError):
        await services.save_profile(user.id, await profile_input(postcode="00000"))
    assert await Profile.count() == 0


async def test_the_street_address_is_not_stored_in_any_column() -> None:
    """Without GEOCODER_URL the address cannot refine anything: the postcode decides, and
    not a single cell of any table contains the address afterwards."""
    user = await make_user()
    address = "Musterstraße 12a"
    view = await services.save_profile(user.id, await profile_input(address=address))

    assert (view.latitude, view.longitude) == (51.34, 12.37)
    for table in Finder().get_table_classes():
        for row in await table.select():
            assert "Musterstra" not in repr(row), table._meta.tablename


async def test_get_profile_runs_three_queries_however_many_skills(count_queries) -> None:
    few, many = await make_user(), await make_user()
    await services.save_profile(few.id, await profile_input(own_skills=[]))
    await services.save_profile(
        many.id, await profile_input(own_skills=[f"Eigenes {n}" for n in range(10)])
    )

    with count_queries() as small:
        assert len((await services.get_profile(few.id)).skills) == 2
    with count_queries() as large:
        assert len((await services.get_profile(many.id)).skills) == 12
    assert small.count == large.count == 3


async def test_no_profile_yet_reads_as_none() -> None:
    user = await make_user()
    assert await services.get_profile(user.id) is None
    assert not await services.has_profile(user.id)


async def test_taxonomies_come_in_reading_order() -> None:
    fields = await services.fields_of_action()
    assert [field.position for field in fields] == sorted(field.position for field in fields)
    assert fields[0].slug == "environment"
    skills = await services.curated_skills()
    assert all(skill.curated for skill in skills)
    names = [skill.name for skill in skills]
    # German order: "Übersetzen" belongs with U, not after Z.
    assert names.index("Übersetzen und Dolmetschen") < names.index("Vorlesen")


async def test_export_holds_account_profile_and_sign_ups() -> None:
    user = await make_user(email="anna@example.org")
    await services.save_profile(user.id, await profile_input())
    opportunity = await make_opportunity(await make_organisation(), title="Stadtputz im Park")
    session = await make_session(opportunity)
    await add_sign_up(session, user.id)

    data = await services.export_data(user.id)

    assert data["account"]["email"] == "anna@example.org"
    assert data["account"]["display_name"] == "Anna"
    assert data["profile"]["locality"] == "Leipzig"
    assert data["profile"]["time_windows"] == ["wed-evening", "sat-morning"]
    assert data["skills"] == ["Gärtnern", "Kochen", "Imkern"]
    assert [interest["slug"] for interest in data["interests"]] == ["environment", "elderly"]
    [sign_up] = data["sign_ups"]
    assert sign_up["opportunity"] == "Stadtputz im Park"
    assert sign_up["status"] == "registered"
    assert abs(sign_up["starts_at"] - session.starts_at) < dt.timedelta(seconds=1)
    assert "password_hash" not in repr(data)


async def test_deleting_frees_future_places_and_removes_the_person() -> None:
    user = await make_user()
    other = await make_user()
    await make_profile(user)
    await start_session(user.id)
    organisation = await make_organisation()
    opportunity = await make_opportunity(organisation)
    future = await make_session(opportunity, capacity=5)
    confirmed = await make_session(opportunity, starts_in=dt.timedelta(days=14), capacity=5)
    past = await make_session(opportunity, starts_in=-dt.timedelta(days=7), capacity=5)
    waiting = await make_session(opportunity, starts_in=dt.timedelta(days=21), capacity=1)
    await add_sign_up(future, other.id)
    await add_sign_up(future, user.id)
    await add_sign_up(confirmed, user.id, SignUpStatus.CONFIRMED)
    await add_sign_up(past, user.id)
    await add_sign_up(waiting, other.id)
    await add_sign_up(waiting, user.id, SignUpStatus.WAITLISTED)
    await answer_feedback(opportunity, overall=5, difference=4)

    async with write_transaction():
        await queue_email("hello", user.email, "Hallo", "test_mail", {"headline": "", "url": ""})

    await services.delete_account(user.id)

    assert await OutboxEmail.count() == 0  # no copy of what we wrote to them stays
    assert await seats_taken(future) == 1
    assert await seats_taken(confirmed) == 0
    assert await seats_taken(past) == 1  # what happened stays counted
    assert await seats_taken(waiting) == 1  # a waitlist entry held no place
    assert not await User.exists().where(User.id == user.id)
    assert await Profile.count() == 0
    assert not await LoginSession.exists().where(LoginSession.user == user.id)
    assert not await SignUp.exists().where(SignUp.user == user.id)
    assert await SignUp.count() == 2  # the other person's sign-ups are untouched
    assert await Response.count() == 1  # anonymous answers stay


async def test_a_freed_place_goes_to_the_first_on_the_waitlist() -> None:
    user, waiting = await make_user(), await make_user()
    session = await make_session(await make_opportunity(await make_organisation()), capacity=1)
    await add_sign_up(session, user.id)
    await add_sign_up(session, waiting.id, SignUpStatus.WAITLISTED)

    await services.delete_account(user.id)

    assert await seats_taken(session) == 1
    row = await SignUp.select(SignUp.status).where(SignUp.user == waiting.id).first()
    assert row["status"] == SignUpStatus.REGISTERED.value


async def test_password_check_before_deletion() -> None:
    from tests.support.factories import PASSWORD

    user = await make_user()
    assert await services.password_matches(user.id, PASSWORD)
    assert not await services.password_matches(user.id, PASSWORD + "x")
    assert not await services.password_matches(user.id + 1000, PASSWORD)
