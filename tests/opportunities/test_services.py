"""The opportunity services on a real database: search filters, visibility, sessions."""

from __future__ import annotations

import datetime as dt

from boerse.accounts.tables import Organisation
from boerse.lib.db import utcnow
from boerse.lib.forms import Form
from boerse.opportunities import services
from boerse.opportunities.schemas import parse_filters, parse_opportunity, parse_session
from boerse.opportunities.search import search
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
    make_opportunity,
    make_organisation,
    make_session,
    make_user,
)

DAY = dt.timedelta(days=1)


async def titles(**params: str) -> list[str]:
    result = await search(parse_filters(params))
    return [item["title"] for item in result.items]


async def offer(organisation: Organisation, title: str, days: float | None = 7, **fields) -> int:
    """A published offer with one session `days` from now (none for `days=None`)."""
    opportunity = await make_opportunity(organisation, title=title, **fields)
    if days is not None:
        await make_session(opportunity, starts_in=dt.timedelta(days=days))
    return opportunity.id


async def add_skill(opportunity_id: int, slug: str, required: bool = True) -> None:
    skill = await Skill.select(Skill.id).where(Skill.slug == slug).first()
    await OpportunitySkill(opportunity=opportunity_id, skill=skill["id"], required=required).save()


# --- visibility ----------------------------------------------------------------------------


async def test_only_published_offers_with_a_future_session_or_online_are_listed() -> None:
    org = await make_organisation()
    await offer(org, "Kommend")
    await offer(org, "Entwurf", status=OpportunityStatus.DRAFT)
    await offer(org, "Geschlossen", status=OpportunityStatus.CLOSED)
    await offer(org, "Vorbei", days=-3)
    await offer(org, "Ohne Termin", days=None)
    await offer(org, "Online ohne Termin", days=None, is_online=True)

    assert sorted(await titles()) == ["Kommend", "Online ohne Termin"]


async def test_next_session_is_the_earliest_future_one_with_its_free_places() -> None:
    org = await make_organisation()
    opportunity = await make_opportunity(org, title="Lesepaten")
    await make_session(opportunity, starts_in=-DAY)
    await make_session(opportunity, starts_in=5 * DAY, capacity=4, seats_taken=1)
    await make_session(opportunity, starts_in=9 * DAY)

    [card] = (await search(parse_filters({}))).items
    assert card["next_session"]["capacity"] == 4
    assert card["next_session"]["free_places"] == 3
    assert card["organisation_name"] == org.name
    assert card["field_name"] == "Umwelt und Klima"


# --- filters -------------------------------------------------------------------------------


async def test_mode_field_skill_and_online_filters() -> None:
    org = await make_organisation()
    await offer(org, "Bewerten Umwelt", mode=Mode.CO_ASSESS)
    garden = await offer(org, "Umsetzen Jugend", field="youth")
    await add_skill(garden, "gardening")
    await offer(org, "Online", is_online=True, postcode="")

    assert await titles(mode="co_assess") == ["Bewerten Umwelt"]
    assert await titles(field="youth") == ["Umsetzen Jugend"]
    assert await titles(skill="gardening") == ["Umsetzen Jugend"]
    assert await titles(skill="cooking") == []
    assert await titles(online="on") == ["Online"]
    assert await titles(mode="co_deliver", field="youth", skill="gardening") == ["Umsetzen Jugend"]


async def test_date_range_uses_session_dates_in_the_town_time_zone() -> None:
    org = await make_organisation()
    soon = await make_opportunity(org, title="Bald")
    later = await make_opportunity(org, title="Später")
    start = (utcnow() + 10 * DAY).replace(hour=21, minute=30, second=0, microsecond=0)
    # 21:30 UTC is 22:30 or 23:30 in Berlin: still the same local day.
    await OpportunitySession(
        opportunity=soon.id, starts_at=start, ends_at=start + dt.timedelta(minutes=20)
    ).save()
    await make_session(later, starts_in=30 * DAY)
    day = start.date().isoformat()

    assert await titles(**{"from": day, "to": day}) == ["Bald"]
    assert await titles(**{"to": day}) == ["Bald"]
    next_day = (start.date() + DAY).isoformat()
    assert await titles(**{"from": next_day}) == ["Später"]


async def test_a_date_range_hides_online_offers_without_sessions_in_it() -> None:
    org = await make_organisation()
    await offer(org, "Online ohne Termin", days=None, is_online=True)
    assert await titles() == ["Online ohne Termin"]
    assert await titles(**{"from": (utcnow() + DAY).date().isoformat()}) == []


async def test_radius_uses_the_exact_distance_after_the_bounding_box() -> None:
    org = await make_organisation()
    await offer(org, "Leipzig", postcode="04109")  # 0 km
    await offer(org, "Markkleeberg", postcode="04416")  # 7.1 km
    await offer(org, "Delitzsch", postcode="04509")  # 19.1 km
    await offer(org, "Kitzscher", postcode="04567")  # 23.2 km, inside the box, outside the circle
    await offer(org, "Dresden", postcode="01067")  # 100 km
    await offer(org, "Online", is_online=True, postcode="")

    assert await titles(postcode="04109", km="20") == [
        "Leipzig",
        "Markkleeberg",
        "Delitzsch",
        "Online",
    ]
    assert await titles(postcode="04109", km="5") == ["Leipzig", "Online"]


async def test_distance_is_reported_and_sorts_when_a_postcode_is_given() -> None:
    org = await make_organisation()
    await offer(org, "Dresden", days=1, postcode="01067")
    await offer(org, "Markkleeberg", days=2, postcode="04416")

    result = await search(parse_filters({"postcode": "04109"}))
    assert [item["title"] for item in result.items] == ["Markkleeberg", "Dresden"]
    assert 7 < result.items[0]["distance_km"] < 9
    assert await titles(postcode="04109", sort="next") == ["Dresden", "Markkleeberg"]
    without = await search(parse_filters({}))
    assert all(item["distance_km"] is None for item in without.items)


async def test_newest_sort_follows_the_publication_date() -> None:
    org = await make_organisation()
    old = await offer(org, "Alt", days=1)
    await offer(org, "Neu", days=5)
    await Opportunity.update({Opportunity.published_at: utcnow() - 30 * DAY}).where(
        Opportunity.id == old
    )
    assert await titles(sort="newest") == ["Neu", "Alt"]
    assert await titles() == ["Alt", "Neu"]


async def test_pages_hold_twenty_and_a_page_past_the_end_shows_the_last() -> None:
    org = await make_organisation()
    for number in range(25):
        await offer(org, f"Angebot {number:02d}", days=1 + number)

    first = await search(parse_filters({}))
    second = await search(parse_filters({"page": "2"}))
    beyond = await search(parse_filters({"page": "9"}))
    assert (first.total, first.pages, len(first.items)) == (25, 2, 20)
    assert [item["title"] for item in second.items] == [f"Angebot {n}" for n in range(20, 25)]
    assert beyond.page == 2


# --- writing -------------------------------------------------------------------------------

GOOD = {
    "title": "Rikscha-Fahrten",
    "summary": "Ältere Menschen mit der Rikscha durch die Stadt fahren.",
    "description": "Wir fahren einmal pro Woche.",
    "mode": "co_deliver",
    "field": "elderly",
    "address": "Markt 1",
    "postcode": "04109",
    "required_skills": ["cycling"],
    "desired_skills": ["first-aid", "languages"],
    "languages": ["de", "ar"],
    "min_age": "16",
    "contact_name": "Herr Yilmaz",
    "contact_email": "yilmaz@stadt.example",
}


async def test_create_stores_a_draft_with_place_skills_and_languages() -> None:
    org = await make_organisation()
    officer = await make_user()
    data = parse_opportunity(Form(values=dict(GOOD)))
    opportunity_id = await services.create_opportunity(data, org.id, officer.id)

    stored = await services.get_opportunity(opportunity_id)
    assert stored["status"] == "draft"
    assert stored["organisation_id"] == org.id
    assert (stored["address"], stored["locality"]) == ("Markt 1", "Leipzig")
    assert stored["latitude"] is not None
    assert stored["languages"] == ["de", "ar"]
    assert stored["min_age"] == 16
    assert [(s["slug"], s["required"]) for s in stored["skills"]] == [
        ("cycling", True),
        ("first-aid", False),
        ("languages", False),
    ]


async def test_update_replaces_the_skills_and_keeps_the_status() -> None:
    org = await make_organisation()
    opportunity_id = await services.create_opportunity(
        parse_opportunity(Form(values=dict(GOOD))), org.id, (await make_user()).id
    )
    changed = GOOD | {"required_skills": "cooking", "desired_skills": [], "is_online": "on"}
    await services.update_opportunity(opportunity_id, parse_opportunity(Form(values=changed)))

    stored = await services.get_opportunity(opportunity_id)
    assert [s["slug"] for s in stored["skills"]] == ["cooking"]
    assert stored["is_online"] is True
    assert stored["status"] == "draft"


async def test_publishing_needs_a_future_session() -> None:
    org = await make_organisation()
    draft = await make_opportunity(org, status=OpportunityStatus.DRAFT)
    assert await services.publish(draft.id) is False
    await make_session(draft, starts_in=-DAY)
    assert await services.publish(draft.id) is False
    assert (await services.get_opportunity(draft.id))["status"] == "draft"

    await make_session(draft, starts_in=DAY)
    assert await services.publish(draft.id) is True
    stored = await services.get_opportunity(draft.id)
    assert stored["status"] == "published"
    assert stored["published_at"] is not None


async def test_closing_takes_an_offer_out_of_the_list() -> None:
    org = await make_organisation()
    opportunity_id = await offer(org, "Bald zu")
    await services.close(opportunity_id)
    assert await titles() == []
    assert (await services.get_opportunity(opportunity_id))["status"] == "closed"


def session_input(capacity: int = 5):
    day = (utcnow() + 5 * DAY).date().isoformat()
    form = Form(values={"date": day, "starts": "10:00", "ends": "12:00", "capacity": str(capacity)})
    return parse_session(form)


async def test_capacity_cannot_drop_below_places_taken() -> None:
    opportunity = await make_opportunity(await make_organisation())
    session = await make_session(opportunity, capacity=10, seats_taken=6)

    assert await services.update_session(session.id, session_input(5)) is False
    assert await services.update_session(session.id, session_input(6)) is True
    stored = await services.get_session(opportunity.id, session.id)
    assert stored["capacity"] == 6 and stored["free_places"] == 0 and stored["is_full"]


async def test_only_begun_sessions_with_sign_ups_cannot_be_deleted() -> None:
    """A coming date may be cancelled with its sign-ups (tests/opportunities/test_series.py
    checks the mails); a date that has begun keeps its sign-ups as history."""
    opportunity = await make_opportunity(await make_organisation())
    taken = await make_session(opportunity)
    begun = await make_session(opportunity, starts_in=-DAY)
    cancelled_only = await make_session(opportunity, starts_in=-DAY)
    await SignUp(session=taken.id, user=(await make_user()).id, status="registered").save()
    await SignUp(session=begun.id, user=(await make_user()).id, status="registered").save()
    await SignUp(session=cancelled_only.id, user=(await make_user()).id, status="cancelled").save()

    assert await services.delete_session(begun.id) is False
    assert await services.delete_session(cancelled_only.id) is True
    assert await services.delete_session(taken.id) is True
    remaining = await OpportunitySession.select(OpportunitySession.id)
    assert remaining == [{"id": begun.id}]
    assert await SignUp.count() == 1


async def test_session_of_another_opportunity_is_not_found() -> None:
    org = await make_organisation()
    first, second = await make_opportunity(org), await make_opportunity(org)
    session = await make_session(first)
    assert await services.get_session(second.id, session.id) is None
    assert await services.get_session(first.id, session.id) is not None


async def test_officer_list_summarises_upcoming_sessions_of_the_own_organisation() -> None:
    org, other = await make_organisation(), await make_organisation()
    mine = await make_opportunity(org, title="Meins", status=OpportunityStatus.DRAFT)
    await make_session(mine, starts_in=-DAY, capacity=50, seats_taken=50)
    await make_session(mine, starts_in=3 * DAY, capacity=10, seats_taken=4)
    await make_session(mine, starts_in=6 * DAY, capacity=5, seats_taken=1)
    await make_opportunity(other, title="Fremd")

    [row] = await services.organisation_opportunities(org.id)
    assert row["title"] == "Meins"
    assert (row["seats_taken"], row["capacity"], row["upcoming_count"]) == (5, 15, 2)
    assert row["next_session"]["capacity"] == 10
    assert len(await services.organisation_opportunities(None)) == 2
