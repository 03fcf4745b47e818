"""The matching index: rows built from the sources, kept fresh by the services of profiles,
opportunities, sessions and sign-ups, and a bound in SQL that never undercuts the score."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from boerse.lib import geo
from boerse.lib.db import is_sqlite, utcnow
from boerse.matching import bounds, index
from boerse.matching.index_tables import OpportunityMatch, ResidentMatch
from boerse.matching.scoring import Weights, score
from boerse.matching.services import candidates_for, recommendations_for
from boerse.opportunities import services as offers
from boerse.opportunities.schemas import OpportunityInput, SessionInput
from boerse.opportunities.signups import cancel, sign_up
from boerse.opportunities.tables import OpportunitySession
from boerse.profiles.schemas import ProfileInput
from boerse.profiles.services import delete_account, save_profile
from boerse.profiles.tables import FieldOfAction
from tests.matching.test_services import make_offer, make_resident, next_local, skill_ids
from tests.support.factories import make_officer, make_user


async def index_row(user_id: int) -> dict | None:
    return await ResidentMatch.select().where(ResidentMatch.user == user_id).first()


async def offer_row(opportunity_id: int) -> dict | None:
    return (
        await OpportunityMatch.select()
        .where(OpportunityMatch.opportunity == opportunity_id)
        .first()
    )


async def recommended(user_id: int, **kwargs) -> list[int]:
    return [r.opportunity["id"] for r in await recommendations_for(user_id, **kwargs)]


# --- residents -------------------------------------------------------------------------------


async def profile_input(**changes) -> ProfileInput:
    skills = await skill_ids(["gardening", "cooking"])
    fields = await FieldOfAction.select(FieldOfAction.id).where(FieldOfAction.slug == "youth")
    values = {
        "display_name": "Anna Weber",
        "postcode": "04109",
        "address": "",
        "travel_radius_km": 12,
        "hours_per_month": 6,
        "skill_ids": list(skills.values()),
        "own_skills": ["Imkern"],
        "interest_ids": [fields[0]["id"]],
        "time_windows": ["sat-morning", "mon-evening"],
        "languages": ["de", "uk"],
        "birth_year": 1990,
        "contact_ok": True,
    }
    return ProfileInput(**(values | changes))


async def test_saving_a_profile_writes_its_index_row() -> None:
    user = await make_user()

    await save_profile(user.id, await profile_input())

    row = await index_row(user.id)
    assert row["skills_mask"] == index.mask_of(["gardening", "cooking"], "skills")
    assert index.slugs_of(row["skills_mask"], "skills") == {"gardening", "cooking"}  # no Imkern
    assert index.slugs_of(row["interests_mask"], "fields") == {"youth"}
    assert index.slugs_of(row["windows_mask"], "windows") == {"sat-morning", "mon-evening"}
    assert row["windows_count"] == 2
    assert index.slugs_of(row["languages_mask"], "languages") == {"de", "uk"}
    assert row["radius_km"] == 12 and row["radius_band"] == index.radius_band(12) == 3
    assert (row["latitude"], row["longitude"]) == (51.34, 12.37)
    assert row["contact_ok"] and row["birth_year"] == 1990 and row["hours_per_month"] == 6


async def test_a_changed_profile_changes_what_is_recommended() -> None:
    organisation_offer = await make_offer(postcode="04416")  # Markkleeberg, ~7 km
    await index.rebuild_index()  # the factory writes rows directly, past the services
    user = await make_user()
    await save_profile(user.id, await profile_input(travel_radius_km=20))
    assert await recommended(user.id) == [organisation_offer]

    await save_profile(user.id, await profile_input(travel_radius_km=3))

    assert await recommended(user.id) == []
    assert (await index_row(user.id))["radius_km"] == 3


async def test_a_deleted_account_leaves_no_index_row() -> None:
    user = await make_user()
    await save_profile(user.id, await profile_input())
    offer = await make_offer()
    await index.rebuild_index()
    assert [c.user_id for c in await candidates_for(offer)] == [user.id]

    await delete_account(user.id)

    assert await index_row(user.id) is None
    assert await candidates_for(offer) == []


# --- opportunities and sessions --------------------------------------------------------------


def offer_input(**changes) -> OpportunityInput:
    values = {
        "title": "Lesepaten gesucht",
        "summary": "Vorlesen in der Stadtbibliothek",
        "description": "Wir lesen gemeinsam.",
        "mode": "co_deliver",
        "field_slug": "education",
        "outcome_goal": "",
        "is_online": False,
        "address": "",
        "postcode": "04109",
        "required_skills": ["reading-aloud"],
        "desired_skills": ["languages"],
        "languages": [],
        "accessibility": "",
        "min_age": None,
        "reach_km": None,
        "hours_per_month": None,
        "contact_name": "Katrin Hoffmann",
        "contact_email": "katrin@example.org",
        "contact_phone": "",
        "organisation_id": None,
    }
    return OpportunityInput(**(values | changes))


def session_input(starts_at: dt.datetime, capacity: int = 5) -> SessionInput:
    return SessionInput(starts_at, starts_at + dt.timedelta(hours=2), capacity, "")


async def test_an_offer_enters_the_index_when_published_and_leaves_when_closed() -> None:
    officer = await make_officer()
    resident = await make_resident(interests=("education",))
    await index.rebuild_index()
    offer_id = await offers.create_opportunity(offer_input(), officer.organisation, officer.id)
    assert await offer_row(offer_id) is None  # a draft
    session_id = await offers.add_session(offer_id, session_input(next_local(5, 10)))
    assert await offer_row(offer_id) is None

    assert await offers.publish(offer_id)
    row = await offer_row(offer_id)
    assert index.slugs_of(row["required_mask"], "skills") == {"reading-aloud"}
    assert index.slugs_of(row["desired_mask"], "skills") == {"languages"}
    assert row["skills_weight"] == 3
    assert index.slugs_of(row["windows_mask"], "windows") == {"sat-morning"}
    assert row["hours_per_month"] == 2
    assert await recommended(resident) == [offer_id]

    await offers.update_opportunity(offer_id, offer_input(field_slug="culture", languages=["ar"]))
    row = await offer_row(offer_id)
    assert row["field_bit"] == index.bits("fields")["culture"]
    assert await recommended(resident) == []  # the resident speaks no Arabic

    await offers.update_opportunity(offer_id, offer_input(field_slug="culture"))
    await offers.add_session(offer_id, session_input(next_local(0, 18)))
    row = await offer_row(offer_id)
    assert index.slugs_of(row["windows_mask"], "windows") == {"sat-morning", "mon-evening"}
    assert await recommended(resident) == [offer_id]

    await offers.close(offer_id)
    assert await offer_row(offer_id) is None
    assert await recommended(resident) == []
    assert session_id


async def test_session_changes_keep_the_row_fresh() -> None:
    resident = await make_resident()
    offer_id = await make_offer(sessions=1, capacity=5)
    await index.rebuild_index()
    (session,) = await OpportunitySession.select(OpportunitySession.id).where(
        OpportunitySession.opportunity == offer_id
    )
    starts = next_local(2, 14, weeks=1)

    assert await offers.update_session(session["id"], session_input(starts, capacity=0)) is True
    assert await offer_row(offer_id) is None  # no free place left
    assert await recommended(resident) == []

    later = await offers.add_session(offer_id, session_input(next_local(3, 9, weeks=2)))
    assert (await offer_row(offer_id))["windows_mask"] == index.mask_of(
        ["wed-afternoon", "thu-morning"], "windows"
    )
    assert await recommended(resident) == [offer_id]

    assert await offers.delete_session(later) is True
    assert await offer_row(offer_id) is None


async def test_taking_the_last_place_and_giving_it_back() -> None:
    offer_id = await make_offer(capacity=1)
    taker = await make_resident()
    looker = await make_resident()
    await index.rebuild_index()
    (session,) = await OpportunitySession.select(OpportunitySession.id).where(
        OpportunitySession.opportunity == offer_id
    )
    assert await recommended(looker) == [offer_id]

    await sign_up(taker, session["id"])
    assert await recommended(looker) == []
    assert await offer_row(offer_id) is None

    await cancel(taker, session["id"])
    assert await recommended(looker) == [offer_id]


async def test_a_row_stays_right_as_time_passes() -> None:
    """`free_until` is the last free date: after the first date passes the offer is still
    open, after the last one it is gone, without any rewrite of the row."""
    resident = await make_resident()
    first = next_local(5, 10)
    offer_id = await make_offer(starts=first, sessions=2)
    await index.rebuild_index()

    assert await recommended(resident, now=first + dt.timedelta(hours=3)) == [offer_id]
    assert await recommended(resident, now=first + dt.timedelta(weeks=1, hours=1)) == []


# --- the whole index and the bound -----------------------------------------------------------


async def test_rebuild_counts_open_offers_and_every_profile() -> None:
    await make_offer()
    await make_offer(capacity=0)
    await make_offer(sessions=0, is_online=True, postcode="")
    await make_resident()
    await make_resident(contact_ok=False)

    assert await index.rebuild_index() == (2, 2)
    assert await OpportunityMatch.count() == 2


@pytest.mark.parametrize("sqrt", [True, False])
async def test_the_sql_bound_never_undercuts_the_score(sqrt: bool) -> None:
    if sqrt and is_sqlite() and not bounds.SQLITE_HAS_SQRT:
        pytest.skip("this SQLite has no sqrt()")
    rng = random.Random(5)
    postcodes = ["04109", "04416", "04425", "04808", "06108", "01067"]
    for n in range(30):
        await make_offer(
            postcode=rng.choice(postcodes),
            field=rng.choice(index.FIELDS),
            required=tuple(rng.sample(index.SKILLS[:6], rng.randint(0, 2))),
            desired=tuple(rng.sample(index.SKILLS[6:10], rng.randint(0, 2))),
            starts=next_local(rng.randint(0, 6), rng.choice([8, 13, 19])),
            hours=rng.choice([1, 3, 6]),
            sessions=rng.randint(1, 3),
            is_online=n % 7 == 0,
        )
    users = [
        await make_resident(
            rng.choice(postcodes),
            radius=100,
            interests=tuple(rng.sample(index.FIELDS, rng.randint(0, 3))),
            skills=tuple(rng.sample(index.SKILLS[:10], rng.randint(0, 4))),
            windows=tuple(rng.sample(index.WINDOWS, rng.randint(0, 6))),
            hours=rng.choice([0, 2, 4, 10]),
        )
        for _ in range(8)
    ]
    await index.rebuild_index()
    weights = Weights.from_settings()
    now = utcnow()
    checked = 0
    for user_id in users:
        resident = await index_row(user_id)
        facts = index.facts_of_resident_row(resident, now.year)
        home = (resident["latitude"], resident["longitude"])
        d_sq = bounds.distance_sq(*home, abs(home[0]) + 1.5)
        bound = bounds.opportunity_bound(resident, weights, d_sq, sqrt)
        rows = await OpportunityMatch.raw(f"SELECT *, {bound} AS bound FROM opportunity_match")
        for row in rows:
            distance = (
                None
                if row["is_online"]
                else geo.distance_km(home, (row["latitude"], row["longitude"]))
            )
            match = score(facts, index.facts_of_opportunity_row(row), weights, distance)
            if match is not None:
                assert row["bound"] >= match.score - bounds.EPSILON
                assert row["bound"] - match.score < (0.05 if sqrt else 0.1)  # and it is tight
                checked += 1
    assert checked > 100


async def test_nightly_rebuild_runs_in_the_worker() -> None:
    from boerse.lib.queue import enqueue
    from tests.support.factories import make_profile, make_user
    from tests.support.fixtures import run_worker

    await make_profile(await make_user())  # written directly: the index does not know it yet
    assert await ResidentMatch.count() == 0

    assert await enqueue("rebuild_matching_index")
    assert await run_worker() == 1

    assert await ResidentMatch.count() == 1
