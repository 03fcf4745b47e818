"""The public list's search in SQL pinned against today's Python algorithm.

`reference` is the search as it was before it moved into SQL (every candidate and every date
loaded, grouped, measured and sorted in Python), kept here as the specification: for a town
with ties in dates, publication and distance, every filter, sort order and page must give the
same offers, in the same order, with the same next date, distance, count and page."""

from __future__ import annotations

import datetime as dt
import math
import random

import pytest
from litestar.datastructures import MultiDict
from piccolo.columns.combination import Where

from boerse.lib import geo
from boerse.lib.db import utcnow
from boerse.opportunities.fulltext import reindex_all
from boerse.opportunities.next_dates import refresh_next_starts
from boerse.opportunities.schemas import SearchFilters, parse_filters
from boerse.opportunities.search import _conditions, search, upcoming, with_own_needs
from boerse.opportunities.services import sessions_by_opportunity
from boerse.opportunities.tables import Mode, Opportunity, OpportunitySession, OpportunityStatus
from tests.opportunities.test_services import add_skill
from tests.support.factories import make_opportunity, make_organisation, make_profile, make_user

DAY = dt.timedelta(days=1)
POSTCODES = ["04109", "04416", "04509", "04567", "01067", "04109"]
FIELDS = ["environment", "elderly"]
TITLES = ["Gärten pflegen", "Bäume pflanzen", "Lesepaten", "Gartenarbeit im Park", "Rikscha"]


def session_conditions(filters: SearchFilters, now: dt.datetime) -> list[Where]:
    start, end = filters.window()
    conditions = [OpportunitySession.starts_at > (max(now, start) if start else now)]
    if end is not None:
        conditions.append(OpportunitySession.starts_at < end)
    return conditions


async def reference(filters: SearchFilters, per_page: int, now: dt.datetime):
    """Today's algorithm before the switch, returned as comparable tuples."""
    conditions = _conditions(filters)
    candidates = await Opportunity.select(
        Opportunity.id,
        Opportunity.is_online,
        Opportunity.latitude,
        Opportunity.longitude,
        Opportunity.published_at,
    ).where(*conditions)
    sessions = await sessions_by_opportunity(
        Opportunity.select(Opportunity.id).where(*conditions),
        *session_conditions(filters, now),
        now=now,
    )
    dated = filters.date_from is not None or filters.date_to is not None
    matches = []
    for row in candidates:
        own = sessions.get(row["id"], [])
        if not own and (dated or not row["is_online"]):
            continue
        distance = None
        if filters.place is not None and row["latitude"] is not None:
            distance = geo.distance_km(
                (filters.place.latitude, filters.place.longitude),
                (row["latitude"], row["longitude"]),
            )
        if (
            filters.radius_km is not None
            and not row["is_online"]
            and (distance is None or distance > filters.radius_km)
        ):
            continue
        row["distance_km"] = distance
        row["next_session"] = own[0] if own else None
        matches.append(row)
    far = dt.datetime.max.replace(tzinfo=dt.UTC)

    def by_next(row):
        return (row["next_session"]["starts_at"] if row["next_session"] else far, row["id"])

    def by_newest(row):
        published = row["published_at"] or dt.datetime.min.replace(tzinfo=dt.UTC)
        return (-published.timestamp(), -row["id"])

    def by_distance(row):
        return (row["distance_km"] is None, row["distance_km"] or 0.0, *by_next(row))

    matches.sort(key={"next": by_next, "newest": by_newest, "distance": by_distance}[filters.sort])
    pages = max(1, math.ceil(len(matches) / per_page))
    page = min(filters.page, pages)
    shown = matches[(page - 1) * per_page : page * per_page]
    return _shape(shown, len(matches), page, pages)


def _shape(rows, total, page, pages):
    return (
        [
            (
                row["id"],
                None if row["distance_km"] is None else round(row["distance_km"], 6),
                row["next_session"]["id"] if row["next_session"] else None,
                row["next_session"]["free_places"] if row["next_session"] else None,
            )
            for row in rows
        ],
        total,
        page,
        pages,
    )


async def build_town(now: dt.datetime) -> None:
    """Offers in every state, with shared dates, shared publication times and shared places."""
    chance = random.Random(11)
    org = await make_organisation()
    base = now.replace(hour=10, minute=0, second=0, microsecond=0)
    statuses = [OpportunityStatus.PUBLISHED] * 6 + [OpportunityStatus.DRAFT]
    for number in range(48):
        postcode = chance.choice([*POSTCODES, ""])
        online = chance.random() < 0.25
        opportunity = await make_opportunity(
            org,
            status=chance.choice(statuses),
            mode=chance.choice(list(Mode)),
            field=chance.choice(FIELDS),
            postcode=postcode,
            title=f"{chance.choice(TITLES)} {number}",
            is_online=online,
            accessibility=chance.choice(["", "Rampe am Eingang"]),
            accessibility_features=chance.choice(
                [[], ["wheelchair"], ["wheelchair", "quiet_space"], ["quiet_space"]]
            ),
        )
        if opportunity.published_at is not None:
            # Ties on purpose: four publication instants for all offers.
            published = base - chance.choice([1, 2, 3, 4]) * DAY
            await Opportunity.update({Opportunity.published_at: published}).where(
                Opportunity.id == opportunity.id
            )
        if chance.random() < 0.4:
            await add_skill(opportunity.id, chance.choice(["cycling", "first-aid"]))
        days = chance.sample([-2, 1, 2, 3, 5, 8, 13, 40], chance.choice([0, 0, 1, 2, 3, 4]))
        for day in days:
            # Whole days (and a past one) so several offers share their next date.
            starts_at = base + day * DAY
            await OpportunitySession(
                opportunity=opportunity.id,
                starts_at=starts_at,
                ends_at=starts_at + 2 * dt.timedelta(hours=1),
                capacity=chance.choice([1, 5, 10]),
            ).save()
    await reindex_all()
    await refresh_next_starts()


def _params(now: dt.datetime) -> list[dict[str, str]]:
    day = lambda days: (now + days * DAY).date().isoformat()  # noqa: E731
    return [
        {},
        {"mode": "co_design"},
        {"field": "elderly"},
        {"skill": "cycling"},
        {"accessible": "on"},
        {"barrierefrei": "wheelchair"},
        {"barrierefrei": "quiet_space", "postcode": "04109"},
        {"online": "on"},
        {"q": "Garten"},
        {"q": "Bäume", "field": "environment"},
        {"q": "nichtsdergleichen"},
        {"from": day(2), "to": day(6)},
        {"from": day(10)},
        {"to": day(3)},
        {"postcode": "04109"},
        {"postcode": "04109", "km": "20"},
        {"postcode": "04109", "km": "5", "mode": "co_deliver"},
        {"postcode": "01067", "km": "30", "from": day(1)},
    ]


@pytest.mark.parametrize("sort", ["", "next", "newest", "distance"])
async def test_every_filter_sort_and_page_gives_todays_result(sort: str) -> None:
    now = utcnow()
    await build_town(now)
    for params in _params(now):
        for page in ["1", "2", "3", "99"]:
            filters = parse_filters({**params, "sort": sort, "page": page})
            expected = await reference(filters, 4, now)
            result = await search(filters, per_page=4, now=now)
            got = _shape(result.items, result.total, result.page, result.pages)
            assert got == expected, (params, sort, page)
            for item in result.items:
                assert {"title", "organisation_name", "field_name", "mode"} <= item.keys()


async def test_an_empty_result_has_one_empty_page() -> None:
    result = await search(parse_filters({"page": "3"}))
    assert (result.items, result.total, result.page, result.pages) == ([], 0, 1, 1)


async def test_upcoming_is_the_first_page_of_the_default_list() -> None:
    now = utcnow()
    await build_town(now)
    expected = (await search(SearchFilters(), per_page=6)).items
    assert [row["id"] for row in await upcoming(6)] == [row["id"] for row in expected]
    assert len(expected) == 6


async def test_a_page_takes_the_same_queries_for_ten_or_fifty_offers(count_queries) -> None:
    now = utcnow()
    await build_town(now)
    counts = []
    for params in [{}, {"postcode": "04109", "km": "20"}, {"q": "Garten", "sort": "newest"}]:
        with count_queries() as counter:
            await search(parse_filters(params), now=now)
        counts.append(counter.count)
    assert max(counts) <= 3, counts


# --- accessibility ------------------------------------------------------------------------


async def _offers_with(features: list[list[str]]) -> list[int]:
    organisation = await make_organisation()
    ids = []
    for number, offered in enumerate(features):
        opportunity = await make_opportunity(
            organisation, title=f"Angebot {number}", accessibility_features=offered
        )
        await OpportunitySession(
            opportunity=opportunity.id,
            starts_at=utcnow() + (number + 1) * DAY,
            ends_at=utcnow() + (number + 1) * DAY + dt.timedelta(hours=2),
            capacity=5,
        ).save()
        ids.append(opportunity.id)
    await refresh_next_starts()
    return ids


async def test_barrierefrei_keeps_only_offers_with_every_ticked_feature() -> None:
    both, wheelchair, quiet, none = await _offers_with(
        [["wheelchair", "quiet_space", "seating"], ["wheelchair"], ["quiet_space"], []]
    )
    params = MultiDict([("barrierefrei", "wheelchair"), ("barrierefrei", "quiet_space")])

    filters = parse_filters(params)
    result = await search(filters)
    one = await search(parse_filters({"barrierefrei": "wheelchair"}))
    postcode = await search(
        parse_filters(MultiDict([*params.multi_items(), ("postcode", "04109")]))
    )

    assert filters.needs == ("quiet_space", "wheelchair")
    assert [item["id"] for item in result.items] == [both]
    assert result.total == 1
    assert [item["id"] for item in one.items] == [both, wheelchair]
    assert [item["id"] for item in postcode.items] == [both]
    everything = await search(parse_filters({}))
    assert [item["id"] for item in everything.items] == [both, wheelchair, quiet, none]


async def test_an_unknown_barrierefrei_value_is_dropped_with_a_message() -> None:
    filters = parse_filters(MultiDict([("barrierefrei", "jetpack"), ("barrierefrei", "seating")]))

    assert filters.needs == ("seating",)
    assert filters.messages == ["Die Auswahl bei „Barrierefrei“ kennen wir nicht."]


async def test_the_residents_own_needs_filter_the_list_and_visitors_see_everything() -> None:
    ramp, stairs = await _offers_with([["wheelchair"], []])
    strict = await make_user()
    await make_profile(strict, accessibility_needs=["wheelchair"], accessible_only=True)
    relaxed = await make_user()
    await make_profile(relaxed, accessibility_needs=["wheelchair"], accessible_only=False)

    mine = await with_own_needs(SearchFilters(), strict.id)
    theirs = await with_own_needs(SearchFilters(), relaxed.id)
    nobody = await with_own_needs(SearchFilters(), None)

    assert mine.own_needs == ("wheelchair",)
    assert [item["id"] for item in (await search(mine)).items] == [ramp]
    assert theirs.own_needs == nobody.own_needs == ()
    assert [item["id"] for item in (await search(theirs)).items] == [ramp, stairs]


async def test_the_list_page_offers_the_filter_and_keeps_it_across_pages(client) -> None:
    await _offers_with([["wheelchair"]] * 3 + [[]])

    page = await client.get("/angebote?barrierefrei=wheelchair&barrierefrei=seating")
    everything = await client.get("/angebote")

    assert page.status_code == 200
    assert 'name="barrierefrei" value="wheelchair" checked' in page.text
    assert 'name="barrierefrei" value="seating" checked' in page.text
    assert 'name="barrierefrei" value="quiet_space" >' in page.text
    assert "0 Angebote gefunden" in page.text
    assert "3 Angebote gefunden" in (await client.get("/angebote?barrierefrei=wheelchair")).text
    assert "4 Angebote gefunden" in everything.text
