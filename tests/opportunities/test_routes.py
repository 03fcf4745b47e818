"""The opportunity pages over HTTP: officers' editing flow, access checks, public list and
detail, the start page, and a fixed number of queries per page."""

from __future__ import annotations

import datetime as dt

import pytest

from boerse.accounts.tables import Role
from boerse.lib.db import utcnow
from boerse.opportunities.tables import (
    Mode,
    Opportunity,
    OpportunitySession,
    OpportunitySkill,
    OpportunityStatus,
    SignUp,
)
from boerse.profiles.tables import Skill
from tests.support.factories import (
    make_officer,
    make_opportunity,
    make_organisation,
    make_profile,
    make_session,
    make_user,
    sign_in,
)

DAY = dt.timedelta(days=1)

GOOD = {
    "title": "Demenz-Spaziergang Südvorstadt",
    "summary": "Wir prüfen mit einer Checkliste, wie gut sich Menschen mit Demenz zurechtfinden.",
    "description": "Treffpunkt ist der Marktplatz.\n\nDauer etwa zwei Stunden.",
    "mode": "co_assess",
    "field": "elderly",
    "address": "Markt 1",
    "postcode": "04109",
    "required_skills": ["surveying"],
    "desired_skills": ["dementia"],
    "languages": ["de", "tr"],
    "accessibility": "Der Weg ist stufenlos.",
    "contact_name": "Frau Berger",
    "contact_email": "berger@stadt.example",
    "contact_phone": "0341 123 456",
}


def session_form(days: int = 5, starts: str = "10:00", ends: str = "12:00", capacity: str = "8"):
    day = (utcnow() + days * DAY).date().isoformat()
    return {"date": day, "starts": starts, "ends": ends, "capacity": capacity}


# --- the officers' flow --------------------------------------------------------------------


async def test_officer_creates_adds_a_session_publishes_and_the_offer_is_public(client) -> None:
    org = await make_organisation("Seniorenbüro")
    await sign_in(client, await make_officer(org))

    form = await client.get("/verwaltung/angebote/neu")
    assert form.status_code == 200
    assert "Mit-Bewerten" in form.text

    created = await client.submit("/verwaltung/angebote/neu", GOOD)
    assert created.status_code == 303
    opportunity = await Opportunity.objects().first()
    assert created.headers["location"] == f"/verwaltung/angebote/{opportunity.id}/termine"
    assert (opportunity.status, opportunity.organisation) == ("draft", org.id)

    added = await client.submit(f"/verwaltung/angebote/{opportunity.id}/termine", session_form())
    assert added.status_code == 303
    published = await client.submit(f"/verwaltung/angebote/{opportunity.id}/veroeffentlichen")
    assert published.status_code == 303

    client.cookies.clear()
    listing = await client.get("/angebote")
    assert GOOD["title"] in listing.text
    detail = await client.get(f"/angebote/{opportunity.id}")
    assert detail.status_code == 200
    for text in ("Seniorenbüro", "Frau Berger", "berger@stadt.example", "stufenlos", "Türkisch"):
        assert text in detail.text
    assert "8 Plätze frei" in detail.text


async def test_officers_set_the_offers_own_reach_and_hours_per_month(client) -> None:
    """Matching uses both; without them an online offer without dates asked for no time."""
    await sign_in(client, await make_officer())
    created = await client.submit(
        "/verwaltung/angebote/neu", GOOD | {"reach_km": "5", "hours_per_month": "8"}
    )
    assert created.status_code == 303
    opportunity = await Opportunity.objects().first()
    assert (opportunity.reach_km, opportunity.hours_per_month) == (5, 8)

    edit = await client.get(f"/verwaltung/angebote/{opportunity.id}/bearbeiten")
    assert 'name="reach_km" value="5"' in " ".join(edit.text.split()).replace('type="number" ', "")
    refused = await client.submit(
        f"/verwaltung/angebote/{opportunity.id}/bearbeiten",
        GOOD | {"reach_km": "0", "hours_per_month": "900"},
    )
    assert refused.status_code == 400
    assert 'value="900"' in refused.text
    await Opportunity.refresh(opportunity)
    assert (opportunity.reach_km, opportunity.hours_per_month) == (5, 8)
    cleared = await client.submit(f"/verwaltung/angebote/{opportunity.id}/bearbeiten", GOOD)
    assert cleared.status_code == 303
    row = await Opportunity.select(Opportunity.reach_km, Opportunity.hours_per_month).first()
    assert row == {"reach_km": None, "hours_per_month": None}


async def test_a_meeting_that_already_took_place_can_be_entered(client) -> None:
    organisation = await make_organisation()
    opportunity = await make_opportunity(organisation)
    await sign_in(client, await make_officer(organisation))

    added = await client.submit(
        f"/verwaltung/angebote/{opportunity.id}/termine", session_form(days=-3)
    )

    assert added.status_code == 303
    session = (
        await OpportunitySession.objects()
        .where(OpportunitySession.opportunity == opportunity.id)
        .first()
    )
    assert session.starts_at < utcnow()
    page = await client.get(f"/verwaltung/angebote/{opportunity.id}/termine")
    assert "(vergangen)" in page.text


async def test_bad_input_is_shown_again_with_messages_and_nothing_is_saved(client) -> None:
    await sign_in(client, await make_officer())
    bad = GOOD | {"summary": "", "postcode": "abc", "desired_skills": ["surveying"]}

    response = await client.submit("/verwaltung/angebote/neu", bad)

    assert response.status_code == 400
    assert "Bitte prüfen Sie Ihre Eingaben" in response.text
    assert "Postleitzahl mit fünf Ziffern" in response.text
    assert "nicht zugleich erforderlich und erwünscht" in response.text
    assert 'value="Demenz-Spaziergang Südvorstadt"' in response.text
    assert 'value="abc"' in response.text
    assert 'value="co_assess" checked' in response.text
    assert await Opportunity.count() == 0


async def test_publishing_without_a_future_session_is_refused(client) -> None:
    org = await make_organisation()
    await sign_in(client, await make_officer(org))
    draft = await make_opportunity(org, status=OpportunityStatus.DRAFT)
    await make_session(draft, starts_in=-DAY)

    response = await client.submit(f"/verwaltung/angebote/{draft.id}/veroeffentlichen")

    assert response.status_code == 400
    assert "mindestens einen Termin in der Zukunft" in response.text
    assert (await Opportunity.objects().get(Opportunity.id == draft.id)).status == "draft"


async def test_editing_starts_from_the_stored_values_and_saves(client) -> None:
    org = await make_organisation()
    await sign_in(client, await make_officer(org))
    await client.submit("/verwaltung/angebote/neu", GOOD)
    opportunity = await Opportunity.objects().first()

    form = await client.get(f"/verwaltung/angebote/{opportunity.id}/bearbeiten")
    assert 'value="Markt 1"' in form.text
    assert 'value="surveying" checked' in form.text

    changed = GOOD | {"title": "Neuer Titel", "required_skills": [], "desired_skills": []}
    saved = await client.submit(f"/verwaltung/angebote/{opportunity.id}/bearbeiten", changed)
    assert saved.status_code == 303
    assert (await Opportunity.objects().first()).title == "Neuer Titel"
    assert await OpportunitySkill.count() == 0


async def test_closing_hides_the_offer_from_the_public(client) -> None:
    org = await make_organisation()
    opportunity = await make_opportunity(org)
    await make_session(opportunity)
    await sign_in(client, await make_officer(org))

    assert (
        await client.submit(f"/verwaltung/angebote/{opportunity.id}/schliessen")
    ).status_code == 303
    assert (await client.get(f"/angebote/{opportunity.id}")).status_code == 200  # still theirs
    client.cookies.clear()
    assert (await client.get(f"/angebote/{opportunity.id}")).status_code == 404


async def test_admin_posts_for_a_chosen_organisation(client) -> None:
    chosen = await make_organisation("Umweltamt")
    await make_organisation("Jugendamt")
    await sign_in(client, await make_user(role=Role.ADMIN))

    assert "Umweltamt" in (await client.get("/verwaltung/angebote/neu")).text
    missing = await client.submit("/verwaltung/angebote/neu", GOOD)
    assert missing.status_code == 400
    created = await client.submit("/verwaltung/angebote/neu", GOOD | {"organisation": chosen.id})
    assert created.status_code == 303
    assert (await Opportunity.objects().first()).organisation == chosen.id


# --- access --------------------------------------------------------------------------------


async def test_officer_of_another_organisation_gets_404_for_drafts_and_403_for_public_offers(
    client,
) -> None:
    owner = await make_organisation()
    draft = await make_opportunity(owner, status=OpportunityStatus.DRAFT)
    public = await make_opportunity(owner)
    await sign_in(client, await make_officer(await make_organisation()))

    assert (await client.get(f"/verwaltung/angebote/{draft.id}")).status_code == 404
    assert (await client.get(f"/angebote/{draft.id}")).status_code == 404
    assert (await client.get(f"/verwaltung/angebote/{public.id}")).status_code == 403
    assert (await client.get(f"/verwaltung/angebote/{public.id}/termine")).status_code == 403
    edit = await client.submit(f"/verwaltung/angebote/{draft.id}/bearbeiten", GOOD)
    assert edit.status_code == 404
    closed = await client.submit(f"/verwaltung/angebote/{public.id}/schliessen")
    assert closed.status_code == 403
    assert (
        await client.submit(f"/verwaltung/angebote/{draft.id}/veroeffentlichen")
    ).status_code == 404
    stored = {
        row["id"]: row["status"]
        for row in await Opportunity.select(Opportunity.id, Opportunity.status)
    }
    assert stored == {draft.id: "draft", public.id: "published"}
    assert GOOD["title"] not in (await client.get("/verwaltung/angebote")).text


async def test_drafts_are_visible_to_their_own_officers_only(client) -> None:
    org = await make_organisation()
    draft = await make_opportunity(org, status=OpportunityStatus.DRAFT, title="Geheimer Entwurf")
    assert (await client.get(f"/angebote/{draft.id}")).status_code == 404
    await sign_in(client, await make_officer(org))
    page = await client.get(f"/angebote/{draft.id}")
    assert page.status_code == 200
    assert "Nur Ihre Organisation sieht diese Seite" in page.text
    assert "Geheimer Entwurf" in (await client.get("/verwaltung/angebote")).text


async def test_the_management_page_leads_to_reported_hours_and_proofs(client) -> None:
    """Officers reach the lists that wait for them from their start page, not only by mail."""
    org = await make_organisation()
    await sign_in(client, await make_officer(org))
    page = (await client.get("/verwaltung/angebote")).text
    for target in ("/verwaltung/stundenmeldungen", "/nachweise"):
        assert f'href="{target}' in page
        assert (await client.get(target)).status_code == 200


async def test_residents_and_visitors_cannot_open_the_management_pages(client) -> None:
    anonymous = await client.get("/verwaltung/angebote")
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/konto/anmelden")
    await sign_in(client, await make_user())
    assert (await client.get("/verwaltung/angebote")).status_code == 403
    assert (await client.submit("/verwaltung/angebote/neu", GOOD)).status_code == 403
    assert await Opportunity.count() == 0


# --- sessions ------------------------------------------------------------------------------


async def test_a_session_ending_before_it_starts_is_refused(client) -> None:
    org = await make_organisation()
    opportunity = await make_opportunity(org, status=OpportunityStatus.DRAFT)
    await sign_in(client, await make_officer(org))

    response = await client.submit(
        f"/verwaltung/angebote/{opportunity.id}/termine", session_form(starts="14:00", ends="13:00")
    )
    assert response.status_code == 400
    assert "Das Ende muss nach dem Beginn liegen" in response.text
    assert 'value="14:00"' in response.text
    assert await OpportunitySession.count() == 0


async def test_capacity_below_the_places_taken_is_refused(client) -> None:
    org = await make_organisation()
    opportunity = await make_opportunity(org)
    session = await make_session(opportunity, capacity=10, seats_taken=7)
    await sign_in(client, await make_officer(org))
    url = f"/verwaltung/angebote/{opportunity.id}/termine/{session.id}/bearbeiten"

    assert 'value="10"' in (await client.get(url)).text
    response = await client.submit(url, session_form(capacity="5"))
    assert response.status_code == 400
    assert "schon 7 Plätze vergeben" in response.text
    assert (await client.submit(url, session_form(capacity="7"))).status_code == 303
    assert (await OpportunitySession.objects().first()).capacity == 7


async def test_begun_sessions_with_sign_ups_cannot_be_deleted(client) -> None:
    org = await make_organisation()
    opportunity = await make_opportunity(org)
    taken = await make_session(opportunity, starts_in=-dt.timedelta(hours=1))
    free = await make_session(opportunity, starts_in=-dt.timedelta(hours=1))
    await SignUp(session=taken.id, user=(await make_user()).id, status="registered").save()
    await sign_in(client, await make_officer(org))
    base = f"/verwaltung/angebote/{opportunity.id}/termine"

    refused = await client.submit(f"{base}/{taken.id}/loeschen")
    assert refused.status_code == 400
    assert "schon Personen angemeldet" in refused.text
    assert (await client.submit(f"{base}/{free.id}/loeschen")).status_code == 303
    assert await OpportunitySession.select(OpportunitySession.id) == [{"id": taken.id}]


async def test_overview_links_to_participants_and_results(client) -> None:
    org = await make_organisation()
    opportunity = await make_opportunity(org)
    session = await make_session(opportunity, capacity=12, seats_taken=3)
    await sign_in(client, await make_officer(org))

    page = await client.get(f"/verwaltung/angebote/{opportunity.id}")
    assert f"/verwaltung/termine/{session.id}/teilnehmende" in page.text
    assert f"/verwaltung/angebote/{opportunity.id}/ergebnisse" in page.text
    assert "3 / 12" in page.text


# --- public list and detail ----------------------------------------------------------------


async def test_invalid_filters_show_a_message_above_the_list(client) -> None:
    org = await make_organisation()
    await make_session(await make_opportunity(org, title="Bleibt sichtbar"))

    response = await client.get("/angebote", params={"postcode": "abc", "km": "-3", "page": "x"})
    assert response.status_code == 200
    assert "Postleitzahl mit fünf Ziffern" in response.text
    assert "Umkreis als ganze Zahl" in response.text
    assert "Bleibt sichtbar" in response.text


async def test_page_links_keep_the_filters(client) -> None:
    org = await make_organisation()
    for number in range(22):
        await make_session(await make_opportunity(org, mode=Mode.CO_DESIGN, title=f"Nr {number}"))
    await make_session(await make_opportunity(org, mode=Mode.CO_DELIVER, title="Andere Art"))

    first = await client.get("/angebote", params={"mode": "co_design"})
    assert "22 Angebote gefunden" in first.text
    assert 'href="/angebote?mode=co_design&amp;page=2"' in first.text
    second = await client.get("/angebote", params={"mode": "co_design", "page": "2"})
    assert second.text.count('class="kern-card opportunity-card"') == 2
    assert "Andere Art" not in second.text


async def test_distance_and_online_are_shown_on_the_cards(client) -> None:
    org = await make_organisation()
    await make_session(await make_opportunity(org, postcode="04416", title="Markkleeberg"))
    await make_opportunity(org, is_online=True, postcode="", title="Digital")

    page = await client.get("/angebote", params={"postcode": "04109", "km": "10"})
    assert "8,2 km entfernt" in page.text
    assert "Digital" in page.text and "online" in page.text


async def test_a_full_session_offers_the_waitlist(client) -> None:
    opportunity = await make_opportunity(await make_organisation())
    await make_session(opportunity, capacity=2, seats_taken=2)
    page = await client.get(f"/angebote/{opportunity.id}")
    assert "ausgebucht – Warteliste möglich" in page.text


async def test_unknown_opportunity_is_404(client) -> None:
    assert (await client.get("/angebote/999999")).status_code == 404


# --- start page ----------------------------------------------------------------------------


async def test_start_page_explains_the_modes_and_shows_the_next_six(client) -> None:
    org = await make_organisation()
    for number in range(8):
        opportunity = await make_opportunity(org, title=f"Angebot {number}")
        await make_session(opportunity, starts_in=(number + 1) * DAY)

    page = await client.get("/")
    assert page.status_code == 200
    for mode in ("Mit-Steuern", "Mit-Entwickeln", "Mit-Umsetzen", "Mit-Bewerten"):
        assert mode in page.text
    assert "Angebot 5" in page.text and "Angebot 6" not in page.text
    assert 'href="/konto/registrieren"' in page.text


async def test_start_page_asks_for_a_profile_until_there_is_one(client) -> None:
    user = await make_user()
    await sign_in(client, user)
    assert "Sie haben noch kein Profil" in (await client.get("/")).text
    await make_profile(user)
    assert "Sie haben noch kein Profil" not in (await client.get("/")).text


# --- a fixed number of queries -------------------------------------------------------------


async def make_offers(count: int) -> list[Opportunity]:
    org = await make_organisation()
    skill = await Skill.select(Skill.id).first()
    offers = []
    for number in range(count):
        opportunity = await make_opportunity(await make_organisation() if number % 2 else org)
        await make_session(opportunity, starts_in=(number + 1) * DAY)
        await make_session(opportunity, starts_in=(number + 2) * DAY)
        await OpportunitySkill(opportunity=opportunity.id, skill=skill["id"]).save()
        offers.append(opportunity)
    return offers


@pytest.mark.parametrize("url", ["/angebote", "/angebote?postcode=04109&km=50", "/"])
async def test_public_lists_cost_the_same_queries_for_3_and_25_offers(
    client, count_queries, url: str
) -> None:
    await sign_in(client, await make_user())
    await make_offers(3)
    with count_queries() as few:
        assert (await client.get(url)).status_code == 200
    await make_offers(22)
    with count_queries() as many:
        page = await client.get(url)
    assert page.status_code == 200
    assert page.text.count("opportunity-card") > 3
    assert many.count == few.count
    # The selection lists are kept per process (one query fewer than before they were).
    assert few.count <= 5, few.count


async def test_detail_costs_the_same_queries_for_1_and_12_sessions(client, count_queries) -> None:
    await sign_in(client, await make_user())
    opportunity = await make_opportunity(await make_organisation())
    await make_session(opportunity)
    with count_queries() as few:
        assert (await client.get(f"/angebote/{opportunity.id}")).status_code == 200
    for number in range(11):
        await make_session(opportunity, starts_in=(number + 8) * DAY)
    for skill in await Skill.select(Skill.id).limit(6):
        await OpportunitySkill(opportunity=opportunity.id, skill=skill["id"]).save()
    with count_queries() as many:
        assert (await client.get(f"/angebote/{opportunity.id}")).status_code == 200
    assert many.count == few.count
    assert few.count <= 7, few.count  # 8 before the selection lists were kept per process


async def test_officer_pages_cost_the_same_queries_for_few_and_many_rows(
    client, count_queries
) -> None:
    org = await make_organisation()
    await sign_in(client, await make_officer(org))
    first = await make_opportunity(org)
    await make_session(first)
    urls = [
        "/verwaltung/angebote",
        f"/verwaltung/angebote/{first.id}",
        f"/verwaltung/angebote/{first.id}/termine",
    ]
    few = {}
    for url in urls:
        with count_queries() as counter:
            assert (await client.get(url)).status_code == 200
        few[url] = counter.count
    for number in range(20):
        await make_session(await make_opportunity(org), starts_in=(number + 1) * DAY)
        await make_session(first, starts_in=(number + 1) * DAY)
    for url in urls:
        with count_queries() as counter:
            assert (await client.get(url)).status_code == 200
        assert counter.count == few[url], url


async def test_error_summary_names_each_field(client) -> None:
    officer = await make_officer()
    await sign_in(client, officer)

    response = await client.submit("/verwaltung/angebote/neu", {"title": "", "summary": ""})

    assert response.status_code == 400
    assert "Titel: Bitte füllen Sie dieses Feld aus." in response.text
    assert "Kurzbeschreibung: Bitte füllen Sie dieses Feld aus." in response.text
