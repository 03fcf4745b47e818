"""Recommendations and candidates through the real index and database: ranking, every hard
filter on the SQL path, the public list's filters, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from boerse.lib import geo
from boerse.lib.db import utcnow
from boerse.lib.formatting import TOWN_TIMEZONE
from boerse.matching import index
from boerse.matching.reference import naive_recommendations
from boerse.matching.scoring import Weights, score
from boerse.matching.services import candidates_for, recommendations_for
from boerse.opportunities.schemas import SearchFilters
from boerse.opportunities.search import search
from boerse.opportunities.tables import (
    Mode,
    Opportunity,
    OpportunitySession,
    OpportunitySkill,
    OpportunityStatus,
    SignUp,
)
from boerse.profiles.tables import FieldOfAction, Profile, ProfileInterest, ProfileSkill, Skill
from tests.support.factories import (
    make_opportunity,
    make_organisation,
    make_profile,
    make_session,
    make_user,
)

# --- building rows ---------------------------------------------------------------------------


async def skill_ids(slugs: list[str]) -> dict[str, int]:
    rows = await Skill.select(Skill.id, Skill.slug).where(Skill.slug.is_in(slugs or ["-"]))
    return {row["slug"]: row["id"] for row in rows}


async def make_resident(
    postcode: str = "04109",
    *,
    radius: int = 10,
    interests: tuple[str, ...] = (),
    skills: tuple[str, ...] = (),
    windows: tuple[str, ...] = (),
    hours: int = 4,
    languages: tuple[str, ...] = (),
    birth_year: int | None = None,
    contact_ok: bool = True,
    name: str = "Anna Weber",
    needs: tuple[str, ...] = (),
    accessible_only: bool = False,
) -> int:
    """A resident with a profile and its links, written like the profile service would."""
    user = await make_user(display_name=name)
    profile = await make_profile(
        user,
        postcode,
        travel_radius_km=radius,
        time_windows=list(windows),
        hours_per_month=hours,
        languages=list(languages),
        birth_year=birth_year,
        contact_ok=contact_ok,
        accessibility_needs=list(needs),
        accessible_only=accessible_only,
    )
    ids = await skill_ids(list(skills))
    if ids:
        await ProfileSkill.insert(
            *(ProfileSkill(profile=profile.id, skill=i) for i in ids.values())
        )
    if interests:
        fields = await FieldOfAction.select(FieldOfAction.id).where(
            FieldOfAction.slug.is_in(list(interests))
        )
        await ProfileInterest.insert(
            *(ProfileInterest(profile=profile.id, field=row["id"]) for row in fields)
        )
    return user.id


def next_local(weekday: int, hour: int, weeks: int = 0) -> dt.datetime:
    """The next such local time (Europe/Berlin) at least a day ahead, in UTC."""
    local = utcnow().astimezone(TOWN_TIMEZONE) + dt.timedelta(days=1)
    local = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    local += dt.timedelta(days=(weekday - local.weekday()) % 7, weeks=weeks)
    return local.astimezone(dt.UTC)


async def make_offer(
    organisation: Any = None,
    postcode: str = "04109",
    *,
    field: str = "environment",
    required: tuple[str, ...] = (),
    desired: tuple[str, ...] = (),
    starts: dt.datetime | None = None,
    hours: float = 2,
    capacity: int = 10,
    sessions: int = 1,
    status: OpportunityStatus = OpportunityStatus.PUBLISHED,
    **fields: Any,
) -> int:
    """An offer with skills and `sessions` weekly sessions (none for sessions=0)."""
    organisation = organisation or await make_organisation()
    opportunity = await make_opportunity(
        organisation, status=status, field=field, postcode=postcode, **fields
    )
    ids = await skill_ids([*required, *desired])
    links = [OpportunitySkill(opportunity=opportunity.id, skill=ids[s]) for s in required]
    links += [
        OpportunitySkill(opportunity=opportunity.id, skill=ids[s], required=False) for s in desired
    ]
    if links:
        await OpportunitySkill.insert(*links)
    first = starts or next_local(5, 10)
    for week in range(sessions):
        await make_session(
            opportunity,
            starts_in=first + dt.timedelta(weeks=week) - utcnow(),
            duration=dt.timedelta(hours=hours),
            capacity=capacity,
        )
    return opportunity.id


async def ids_for(user_id: int, **kwargs: Any) -> list[int]:
    return [r.opportunity["id"] for r in await recommendations_for(user_id, **kwargs)]


# --- recommendations -------------------------------------------------------------------------


async def test_an_offer_in_ones_field_beats_a_nearer_one_outside_it() -> None:
    organisation = await make_organisation()
    near_other = await make_offer(organisation, "04109", field="culture")  # Leipzig centre
    farther_own = await make_offer(organisation, "04416", field="environment")  # Markkleeberg
    user_id = await make_resident("04109", radius=15, interests=("environment",))
    await index.rebuild_index()

    results = await recommendations_for(user_id)

    assert [r.opportunity["id"] for r in results] == [farther_own, near_other]
    best = results[0]
    assert best.match.matching_interest == "environment"
    assert "Ihr Interesse: Umwelt und Klima" in best.reason
    assert best.opportunity["title"] and best.opportunity["organisation_name"]
    assert best.opportunity["next_session"]["free_places"] == 10
    assert best.opportunity["distance_km"] > 2


async def test_recommendation_cards_carry_the_public_lists_keys() -> None:
    """The pages render recommendations with the public list's card partial."""
    organisation = await make_organisation()
    offer = await make_offer(organisation, sessions=3)
    user_id = await make_resident()
    full_first = (
        await OpportunitySession.select(OpportunitySession.id)
        .where(OpportunitySession.opportunity == offer)
        .order_by(OpportunitySession.starts_at)
        .first()
    )
    await OpportunitySession.update({OpportunitySession.seats_taken: 10}).where(
        OpportunitySession.id == full_first["id"]
    )
    await index.rebuild_index()
    page = await search(SearchFilters())

    (recommendation,) = await recommendations_for(user_id)

    card = recommendation.opportunity
    assert set(page.items[0]) <= set(card)
    assert {
        key: card[key] for key in page.items[0] if key not in ("next_session", "distance_km")
    } == {
        key: value
        for key, value in page.items[0].items()
        if key not in ("next_session", "distance_km")
    }
    following = card["next_session"]
    assert following["id"] != full_first["id"] and following["free_places"] == 10
    assert not following["is_full"] and not following["is_past"]


async def test_ranking_equals_scoring_every_pair() -> None:
    """Random residents and offers: the index path returns exactly the brute-force order."""
    rng = random.Random(7)
    postcodes = ["04109", "04416", "04425", "04420", "04435", "04552", "04808", "01067", "06108"]
    organisation = await make_organisation()
    skills = list(index.SKILLS[:8])
    for n in range(25):
        await make_offer(
            organisation,
            rng.choice(postcodes),
            field=rng.choice(index.FIELDS),
            required=tuple(rng.sample(skills, rng.randint(0, 2))),
            starts=next_local(rng.randint(0, 6), rng.choice([9, 14, 18]), rng.randint(0, 3)),
            hours=rng.choice([1, 2, 3]),
            sessions=rng.randint(0 if n % 6 == 0 else 1, 3),
            is_online=n % 6 == 0,
            reach_km=rng.choice([None, None, 5, 30]),
        )
    users = [
        await make_resident(
            rng.choice(postcodes),
            radius=rng.choice([3, 10, 25, 60]),
            interests=tuple(rng.sample(index.FIELDS, 2)),
            skills=tuple(rng.sample(skills, 3)),
            windows=tuple(rng.sample(index.WINDOWS, 4)),
            hours=rng.choice([0, 2, 8]),
        )
        for _ in range(6)
    ]
    await index.rebuild_index()
    now = utcnow()
    for user_id in users:
        expected = await naive_recommendations(user_id, now=now)
        assert await ids_for(user_id, limit=5, now=now) == expected[:5]
        assert await ids_for(user_id, limit=50, now=now) == expected


async def test_hard_filters_hold_on_the_database_path() -> None:
    organisation = await make_organisation()
    shown = await make_offer(organisation, "04109")
    hidden = [
        await make_offer(organisation, "01067"),  # Dresden: beyond the 20 km radius
        await make_offer(organisation, "04416", reach_km=5),  # 7 km away, reaches 5 km
        await make_offer(organisation, "04109", languages=["ar"]),
        await make_offer(organisation, "04109", min_age=18),
        await make_offer(organisation, "04109", capacity=0),  # full
        await make_offer(organisation, "04109", sessions=0),  # no date at all
        await make_offer(organisation, "04109", starts=utcnow() - dt.timedelta(days=1)),
        await make_offer(organisation, "04109", status=OpportunityStatus.DRAFT),
        await make_offer(organisation, "04109", status=OpportunityStatus.CLOSED),
    ]
    ongoing_online = await make_offer(organisation, "", sessions=0, is_online=True)
    user_id = await make_resident("04109", radius=20, birth_year=utcnow().year - 15)
    await index.rebuild_index()

    ids = await ids_for(user_id)

    assert set(ids) == {shown, ongoing_online}
    assert not set(ids) & set(hidden)


async def test_an_offer_one_signed_up_for_is_not_recommended() -> None:
    offer = await make_offer()
    other = await make_offer()
    user_id = await make_resident()
    session = await OpportunitySession.select(OpportunitySession.id).where(
        OpportunitySession.opportunity == offer
    )
    await SignUp.insert(SignUp(session=session[0]["id"], user=user_id))
    await index.rebuild_index()

    assert await ids_for(user_id) == [other]


async def test_the_public_list_filters_apply() -> None:
    organisation = await make_organisation()
    design = await make_offer(organisation, mode=Mode.CO_DESIGN, field="youth")
    gardening = await make_offer(organisation, required=("gardening",))
    later = await make_offer(organisation, starts=next_local(2, 10, weeks=4))
    online = await make_offer(organisation, "", is_online=True)
    user_id = await make_resident(radius=20)
    await index.rebuild_index()

    assert await ids_for(user_id, filters=SearchFilters(mode="co_design")) == [design]
    assert await ids_for(user_id, filters=SearchFilters(field="youth")) == [design]
    assert await ids_for(user_id, filters=SearchFilters(skill="gardening")) == [gardening]
    assert await ids_for(user_id, filters=SearchFilters(online_only=True)) == [online]
    in_four_weeks = (next_local(2, 10, weeks=4) - dt.timedelta(days=1)).date()
    assert await ids_for(user_id, filters=SearchFilters(date_from=in_four_weeks)) == [later]


async def test_no_profile_or_no_position_means_no_recommendations() -> None:
    await make_offer()
    nobody = await make_user()
    unplaced = await make_resident()
    await Profile.update({Profile.latitude: None, Profile.longitude: None}).where(
        Profile.user == unplaced
    )
    await index.rebuild_index()

    assert await recommendations_for(nobody.id) == []
    assert await recommendations_for(unplaced) == []


async def test_recommendations_run_three_queries_however_many_offers(count_queries) -> None:
    organisation = await make_organisation()
    user_id = await make_resident(radius=30)
    await make_offer(organisation)
    await index.rebuild_index()
    with count_queries() as few:
        assert len(await recommendations_for(user_id)) == 1
    for _ in range(14):
        await make_offer(organisation, sessions=2)
    await index.rebuild_index()
    with count_queries() as many:
        assert len(await recommendations_for(user_id, limit=10)) == 10

    assert few.count == many.count == 3  # resident, ranked offers, cards with next dates


# --- candidates ------------------------------------------------------------------------------


async def test_candidates_are_ranked_and_show_no_contact_details() -> None:
    offer = await make_offer(
        postcode="04109", field="environment", required=("gardening",), starts=next_local(5, 10)
    )
    best = await make_resident(
        "04109",
        interests=("environment",),
        skills=("gardening",),
        windows=("sat-morning",),
        name="Bettina Schulz",
    )
    second = await make_resident("04109", interests=("environment",), name="Carl Meier")
    third = await make_resident("04416", name="Dora Krause")
    await make_resident("04109", contact_ok=False, skills=("gardening",))
    await index.rebuild_index()

    candidates = await candidates_for(offer)

    assert [c.user_id for c in candidates] == [best, second, third]
    top = candidates[0]
    assert top.first_name == "Bettina"
    assert top.distance_band == "unter 2 km"
    assert top.matching_skills == ("Gärtnern",)
    assert top.matching_interest == "Umwelt und Klima"
    assert top.time_fit == "Samstag vormittags"
    assert candidates[2].matching_interest is None and candidates[2].time_fit == ""
    assert candidates[2].distance_band == "unter 10 km"
    assert 0 < candidates[2].score < candidates[1].score < top.score <= 1


async def test_candidates_respect_every_hard_filter() -> None:
    offer = await make_offer(postcode="04109", reach_km=40, languages=["de", "en"], min_age=16)
    fits = await make_resident("04109", radius=5, languages=("en",))
    excluded = [
        await make_resident("04416", radius=5),  # 7 km away: their own radius is too small
        await make_resident("04808", radius=100),  # Wurzen, ~31 km: within both radii
        await make_resident("01067", radius=100),  # Dresden: beyond the offer's reach
        await make_resident("04109", languages=("ar",)),
        await make_resident("04109", birth_year=utcnow().year - 12),
    ]
    signed_up = await make_resident("04109")
    session = await OpportunitySession.select(OpportunitySession.id).where(
        OpportunitySession.opportunity == offer
    )
    await SignUp.insert(SignUp(session=session[0]["id"], user=signed_up))
    await index.rebuild_index()

    ids = {c.user_id for c in await candidates_for(offer)}

    assert fits in ids
    assert excluded[1] in ids  # within both radii: the control case
    assert not ids & {excluded[0], *excluded[2:], signed_up}


async def test_candidates_of_an_online_offer_come_from_everywhere() -> None:
    offer = await make_offer(postcode="", is_online=True)
    leipzig = await make_resident("04109", radius=2)
    munich = await make_resident("80331", radius=2)
    await index.rebuild_index()

    candidates = await candidates_for(offer)

    assert {c.user_id for c in candidates} == {leipzig, munich}
    assert {c.distance_band for c in candidates} == {"online"}


async def test_candidates_of_a_draft_and_of_a_full_offer() -> None:
    draft = await make_offer(status=OpportunityStatus.DRAFT)
    full = await make_offer(capacity=0)
    resident = await make_resident()
    await index.rebuild_index()

    assert [c.user_id for c in await candidates_for(draft)] == [resident]
    assert await candidates_for(full) == []
    assert await candidates_for(999_999) == []


async def test_candidates_run_four_queries_however_many_residents(count_queries) -> None:
    offer = await make_offer()
    await make_resident()
    await index.rebuild_index()
    with count_queries() as few:
        assert len(await candidates_for(offer)) == 1
    for _ in range(12):
        await make_resident()
    await index.rebuild_index()
    with count_queries() as many:
        assert len(await candidates_for(offer, limit=5)) == 5

    # the index row, the interested residents, the others (too few to rule out), the names
    assert few.count == many.count == 4


async def test_candidates_equal_scoring_every_pair() -> None:
    rng = random.Random(11)
    postcodes = ["04109", "04416", "04425", "04420", "04435", "04552", "04808", "06108"]
    skills = list(index.SKILLS[:6])
    offer = await make_offer(
        postcode="04109", required=("gardening",), desired=("cooking",), sessions=2, hours=3
    )
    for _ in range(40):
        await make_resident(
            rng.choice(postcodes),
            radius=rng.choice([2, 5, 10, 30, 80]),
            interests=tuple(rng.sample(index.FIELDS, 2)),
            skills=tuple(rng.sample(skills, 2)),
            windows=tuple(rng.sample(index.WINDOWS, 5)),
            hours=rng.choice([0, 2, 8]),
            contact_ok=rng.random() < 0.8,
        )
    await index.rebuild_index()
    now = utcnow()
    weights = Weights.from_settings()
    ((row, offer_skills, sessions),) = await index.opportunity_sources([offer])
    facts = index.opportunity_facts(row, row["field_slug"], offer_skills, sessions, now)
    expected = []
    for profile, profile_skills, interests in await index.profile_sources():
        if not profile["contact_ok"]:
            continue
        resident = index.resident_facts(profile, profile_skills, interests, now.year)
        distance = geo.distance_km(
            (resident.latitude, resident.longitude), (facts.latitude, facts.longitude)
        )
        match = score(resident, facts, weights, distance)
        if match is not None:
            expected.append((-match.score, profile["user"]))
    expected_ids = [item[1] for item in sorted(expected)]

    assert [c.user_id for c in await candidates_for(offer, limit=7, now=now)] == expected_ids[:7]
    assert [c.user_id for c in await candidates_for(offer, now=now)] == expected_ids


async def test_opportunity_rows_are_the_same_through_the_factory_and_the_index() -> None:
    """Guard for the helpers above: the factory's offer is what the index reads."""
    offer = await make_offer(required=("gardening",), desired=("cooking",))
    await index.rebuild_index()
    row = await Opportunity.select(Opportunity.status).where(Opportunity.id == offer).first()
    assert row["status"] == OpportunityStatus.PUBLISHED.value
    ((source, skills, sessions),) = await index.opportunity_sources([offer])
    facts = index.opportunity_facts(source, source["field_slug"], skills, sessions, utcnow())
    assert facts.required_skills == {"gardening"} and facts.desired_skills == {"cooking"}
    assert facts.windows == {"sat-morning"} and facts.hours_per_month == 2


async def test_hours_an_officer_set_count_instead_of_those_of_the_dates() -> None:
    offer = await make_offer(required=("gardening",), desired=("cooking",))
    await Opportunity.update({Opportunity.hours_per_month: 12}).where(Opportunity.id == offer)
    ((source, skills, sessions),) = await index.opportunity_sources([offer])
    facts = index.opportunity_facts(source, source["field_slug"], skills, sessions, utcnow())
    assert facts.hours_per_month == 12


# --- accessibility: the resident's hard filter ------------------------------------------------


async def test_accessibility_needs_filter_recommendations_only_when_switched_on() -> None:
    organisation = await make_organisation()
    both = await make_offer(
        organisation, accessibility_features=["wheelchair", "quiet_space", "seating"]
    )
    wheelchair_only = await make_offer(organisation, accessibility_features=["wheelchair"])
    nothing_said = await make_offer(organisation)
    online = await make_offer(
        organisation, "", sessions=0, is_online=True, accessibility_features=["quiet_space"]
    )
    strict = await make_resident(needs=("wheelchair", "quiet_space"), accessible_only=True)
    relaxed = await make_resident(needs=("wheelchair", "quiet_space"), accessible_only=False)
    await index.rebuild_index()

    assert set(await ids_for(strict)) == {both}
    assert set(await ids_for(relaxed)) == {both, wheelchair_only, nothing_said, online}


async def test_accessibility_filter_agrees_with_scoring_every_pair() -> None:
    rng = random.Random(12)
    organisation = await make_organisation()
    for _ in range(20):
        await make_offer(
            organisation,
            rng.choice(["04109", "04416", "04425"]),
            field=rng.choice(index.FIELDS),
            accessibility_features=rng.sample(list(index.ACCESS), rng.randint(0, 4)),
        )
    users = [
        await make_resident(
            radius=25,
            needs=tuple(rng.sample(list(index.ACCESS), rng.randint(1, 2))),
            accessible_only=rng.random() < 0.7,
        )
        for _ in range(6)
    ]
    await index.rebuild_index()
    now = utcnow()
    for user_id in users:
        assert await ids_for(user_id, limit=50, now=now) == await naive_recommendations(
            user_id, now=now
        )


async def test_a_resident_with_the_filter_is_no_candidate_for_an_offer_lacking_a_need() -> None:
    organisation = await make_organisation()
    ramp = await make_offer(organisation, accessibility_features=["wheelchair"])
    stairs = await make_offer(organisation)
    strict = await make_resident(needs=("wheelchair",), accessible_only=True, name="Rita Rad")
    relaxed = await make_resident(needs=("wheelchair",), accessible_only=False, name="Rolf Rad")
    await index.rebuild_index()

    assert {c.user_id for c in await candidates_for(ramp)} == {strict, relaxed}
    assert {c.user_id for c in await candidates_for(stairs)} == {relaxed}


async def test_the_filter_keeps_recommendations_at_three_queries(count_queries) -> None:
    organisation = await make_organisation()
    for n in range(12):
        await make_offer(organisation, accessibility_features=["wheelchair"] if n % 2 else [])
    user_id = await make_resident(needs=("wheelchair",), accessible_only=True)
    await index.rebuild_index()

    with count_queries() as counted:
        results = await recommendations_for(user_id)

    assert len(results) == 6
    assert counted.count == 3  # as without the filter
