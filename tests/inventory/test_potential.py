"""The potential (Potenzialeinschätzung): exact supply and demand of a hand-counted town, small
groups withheld (also against subtracting a district from its field's total), who sees which
links, the CSV, a fixed number of queries and the worker's refresh."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from boerse.accounts.tables import Organisation, Role
from boerse.dashboards.freshness import freshness
from boerse.inventory.potential import (
    ROLLUP,
    Assessment,
    FieldPotential,
    potential_table,
    rebuild_potential,
    withhold,
)
from boerse.lib.queue import enqueue
from boerse.opportunities.tables import Opportunity, OpportunityStatus
from boerse.profiles.tables import ProfileInterest
from tests.support.factories import (
    field_id,
    make_officer,
    make_opportunity,
    make_organisation,
    make_profile,
    make_session,
    make_user,
    sign_in,
)
from tests.support.fixtures import run_worker

PAGE = "/verwaltung/potenzial/"
CSV = "/verwaltung/potenzial/potenzial.csv"
DAY = dt.timedelta(days=1)


async def resident(postcode: str, hours: int, *fields: str, **account: object) -> None:
    contact_ok = bool(account.pop("contact_ok", True))
    user = await make_user(**account)
    profile = await make_profile(
        user, postcode=postcode, hours_per_month=hours, contact_ok=contact_ok
    )
    for slug in fields:
        await ProfileInterest(profile=profile.id, field=await field_id(slug)).save()


@dataclass
class Town:
    organisation: Organisation
    other: Organisation
    dated: Opportunity
    ongoing: Opportunity
    youth_offer: Opportunity


async def small_town() -> Town:
    """Environment: 04177 five residents (4+4+4+4+8 h), 04178 six (2 h each), 04179 two (3 h);
    not counted: one without contact, one unverified, one deactivated (all 04178, 8 h).
    Demand: in 04178 a dated offer with 8 free places of 3 h in the next 30 days (a full date,
    a date in 40 days and a past one do not count) = 24 h, and an ongoing one asking 5 h;
    online, 4 free places of 1.5 h = 6 h; drafts and closed offers count nothing.
    Youth: one resident without postcode (10 h) and an ongoing offer without postcode (3 h)."""
    organisation = await make_organisation()
    other = await make_organisation()
    for hours in (4, 4, 4, 4, 8):
        await resident("04177", hours, "environment")
    for _ in range(6):
        await resident("04178", 2, "environment")
    for _ in range(2):
        await resident("04179", 3, "environment")
    await resident("04178", 8, "environment", contact_ok=False)
    await resident("04178", 8, "environment", verified=False)
    await resident("04178", 8, "environment", is_active=False)
    await resident("", 10, "youth")

    dated = await make_opportunity(organisation, postcode="04178", title="Bäume gießen")
    await make_session(dated, starts_in=3 * DAY, duration=dt.timedelta(hours=3), seats_taken=2)
    await make_session(dated, starts_in=5 * DAY, capacity=3, seats_taken=3)
    await make_session(dated, starts_in=40 * DAY)
    await make_session(dated, starts_in=-2 * DAY)
    ongoing = await make_opportunity(
        other, postcode="04178", title="Hochbeete pflegen", hours_per_month=5
    )
    online = await make_opportunity(organisation, is_online=True, postcode="", title="Kartieren")
    await make_session(online, starts_in=10 * DAY, duration=dt.timedelta(minutes=90), capacity=4)
    draft = await make_opportunity(organisation, status=OpportunityStatus.DRAFT, postcode="04177")
    await make_session(draft)
    closed = await make_opportunity(organisation, status=OpportunityStatus.CLOSED, postcode="04177")
    await make_session(closed)
    youth_offer = await make_opportunity(
        other, field="youth", postcode="", title="Jugendtreff", hours_per_month=3
    )
    return Town(organisation, other, dated, ongoing, youth_offer)


def by_district(potential: FieldPotential) -> dict[str | None, tuple]:
    rows = {
        row.district: (row.residents, row.supply_hours, row.demand_hours, row.open_places)
        for row in potential.districts
    }
    total = potential.total
    rows[None] = (total.residents, total.supply_hours, total.demand_hours, total.open_places)
    return rows


async def test_supply_and_demand_per_field_and_district() -> None:
    town = await small_town()
    result = await rebuild_potential()
    assert result.needs == 4

    table = await potential_table()

    assert table.min_group == 5
    environment_id, youth_id = await field_id("environment"), await field_id("youth")
    environment = next(f for f in table.fields if f.field_id == environment_id)
    assert by_district(environment) == {
        # 04179 (2 people) is withheld, and with it the next smallest district, 04177, so
        # the total minus 04178 reveals no group smaller than five.
        "04177": (None, None, 0.0, 0),
        "04178": (6, 12.0, 29.0, 9),
        "04179": (None, None, 0.0, 0),
        "online": (None, None, 6.0, 4),
        None: (13, 42.0, 35.0, 13),
    }
    assert [row.district for row in environment.districts if row.small] == ["04179"]
    assessments = {row.district: row.assessment for row in environment.districts}
    assert assessments == {
        "04177": Assessment.WITHHELD,
        "04178": Assessment.UNMET,
        "04179": Assessment.WITHHELD,
        "online": Assessment.SURPLUS,
    }
    assert environment.total.assessment is Assessment.SURPLUS and environment.total.balance == 7.0
    youth = next(f for f in table.fields if f.field_id == youth_id)
    assert by_district(youth) == {"": (None, None, 3.0, 1), None: (None, None, 3.0, 1)}
    assert [(n.title, n.hours_needed, n.open_places, n.district) for n in table.needs] == [
        ("Bäume gießen", 24.0, 8, "04178"),
        ("Hochbeete pflegen", 5.0, 1, "04178"),
        ("Jugendtreff", 3.0, 1, ""),
    ]
    assert table.needs_total == 3

    only_youth = await potential_table(youth_id)
    assert [f.field_id for f in only_youth.fields] == [youth_id]
    assert [n.opportunity_id for n in only_youth.needs] == [town.youth_offer.id]


def test_withholding_never_leaves_a_small_group_to_subtraction() -> None:
    def cells(*counts: int) -> list[dict]:
        return [{"residents": count} for count in counts]

    assert withhold(cells(12, 9, 7), 5) == set()
    # One small district: the total minus the others would reveal it; the next smallest goes too.
    assert withhold(cells(12, 2, 7), 5) == {1, 2}
    # Two small districts that together make a group of five need no help.
    assert withhold(cells(12, 2, 3), 5) == {1, 2}
    # Small ones together still under five: the smallest visible ones join until they are not.
    assert withhold(cells(1, 1, 6, 9), 5) == {0, 1, 2}
    # Districts without residents (demand only) are neither withheld nor used as cover.
    assert withhold(cells(0, 3, 8), 5) == {1, 2}


async def test_only_staff_see_the_potential(client) -> None:
    assert (await client.get(PAGE)).status_code in {302, 303, 401}
    await sign_in(client, await make_user())
    assert (await client.get(PAGE)).status_code == 403
    assert (await client.get(CSV)).status_code == 403


async def test_officer_sees_candidate_links_only_for_own_offers(client) -> None:
    town = await small_town()
    await rebuild_potential()
    await sign_in(client, await make_officer(town.organisation))

    page = (await client.get(PAGE)).text

    assert "Bedarf ungedeckt" in page and "Angebot übersteigt Bedarf" in page
    assert "weniger als 5" in page and "ohne PLZ" in page and "Stand:" in page
    # 04177 and 04179 withheld without demand: one sentence, not two rows of dashes.
    assert "Außerdem 2 Gebiete ohne offenen Bedarf" in page and "04177, 04179" in page
    assert f"/verwaltung/angebote/{town.dated.id}/freiwillige" in page
    assert f"/verwaltung/angebote/{town.ongoing.id}/freiwillige" not in page
    assert f"/verwaltung/angebote/{town.youth_offer.id}/freiwillige" not in page
    assert "Hochbeete pflegen" in page

    await sign_in(client, await make_user(role=Role.ADMIN))
    page = (await client.get(PAGE)).text
    for offer in (town.dated, town.ongoing, town.youth_offer):
        assert f"/verwaltung/angebote/{offer.id}/freiwillige" in page


async def test_page_before_the_first_rebuild_says_so(client) -> None:
    await sign_in(client, await make_officer())
    page = (await client.get(PAGE + "?feld=abc")).text
    assert "zum ersten Mal berechnet" in page


async def test_csv_withholds_small_groups_in_words(client) -> None:
    town = await small_town()
    await rebuild_potential()
    await sign_in(client, await make_officer(town.organisation))

    response = await client.get(f"{CSV}?feld={await field_id('environment')}")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Handlungsfeld", "Gebiet", "Interessierte"]
    assert rows[1:] == [
        ["Umwelt und Klima", "04177", "nicht ausgewiesen", "", "0", "0", "", "nicht ausgewiesen"],
        ["Umwelt und Klima", "04178", "6", "12", "29", "9", "-17", "Bedarf ungedeckt"],
        ["Umwelt und Klima", "04179", "weniger als 5", "", "0", "0", "", "nicht ausgewiesen"],
        ["Umwelt und Klima", "online", "", "", "6", "4", "", "Angebot übersteigt Bedarf"],
        [
            "Umwelt und Klima",
            "Alle Gebiete",
            "13",
            "42",
            "35",
            "13",
            "7",
            "Angebot übersteigt Bedarf",
        ],
    ]


async def test_page_runs_a_fixed_number_of_queries(client, count_queries) -> None:
    town = await small_town()
    await rebuild_potential()
    await sign_in(client, await make_officer(town.organisation))
    with count_queries() as few:
        assert (await client.get(PAGE)).status_code == 200

    for index in range(8):
        await resident(f"0410{index}", 3, "youth", "elderly")
        offer = await make_opportunity(town.other, field="elderly", postcode=f"0410{index}")
        await make_session(offer)
    await rebuild_potential()
    with count_queries() as many:
        assert (await client.get(PAGE)).status_code == 200

    assert many.count == few.count


async def test_worker_refreshes_the_rollup_and_its_freshness() -> None:
    await small_town()
    assert (await freshness(ROLLUP)).refreshed_at is None

    assert await enqueue("refresh_potential")
    assert await run_worker() == 1

    assert (await freshness(ROLLUP)).refreshed_at is not None
    table = await potential_table()
    assert table.refreshed_at is not None and len(table.needs) == 3


async def test_demo_town_shows_its_potential_on_first_start() -> None:
    from boerse.demo.loader import load_demo

    await load_demo()

    table = await potential_table()  # built by the demo loader, before any worker run
    assert table.refreshed_at is not None
    rows = [row for potential in table.fields for row in potential.districts]
    assessments = {row.assessment for row in rows if not row.is_withheld}
    assert {Assessment.SURPLUS, Assessment.UNMET} <= assessments
    assert any(row.residents and row.residents >= table.min_group for row in rows)
    assert table.needs and all(need.hours_needed > 0 for need in table.needs)
