"""The partner API end to end over HTTP: a write key publishes for its organisation through
the officers' parsers and services; scopes, organisations and cookies are kept apart."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from boerse.audit.tables import AuditEntry
from boerse.lib.db import utcnow
from boerse.lib.formatting import TOWN_TIMEZONE
from boerse.opportunities.signups import sign_up
from boerse.opportunities.tables import (
    Attendance,
    Opportunity,
    OpportunityStatus,
    SignUp,
    SignUpStatus,
)
from boerse.partners.tables import KeyScope
from tests.partners.helpers import API, OFFER, bearer, issue
from tests.support.factories import (
    make_officer,
    make_opportunity,
    make_organisation,
    make_session,
    make_user,
    sign_in,
)
from tests.support.fixtures import run_worker
from tests.support.services import Mailbox


def _local_day(days: int) -> str:
    return (utcnow().astimezone(TOWN_TIMEZONE) + dt.timedelta(days=days)).date().isoformat()


async def test_a_partner_key_creates_an_offer_with_two_dates_that_appears_on_the_list(
    client,
) -> None:
    agency = await make_organisation("Freiwilligenagentur Lindenau")
    key = await issue(agency)
    headers = bearer(key.key)

    created = await client.post(f"{API}/opportunities", json=OFFER, headers=headers)
    assert created.status_code == 201, created.text
    offer = created.json()
    assert offer["status"] == "draft" and offer["organisation_id"] == agency.id
    for days, starts in ((7, "10:00"), (14, "15:30")):
        date = {"date": _local_day(days), "starts": starts, "ends": "17:00", "capacity": 8}
        added = await client.post(
            f"{API}/opportunities/{offer['id']}/dates", json=date, headers=headers
        )
        assert added.status_code == 201, added.text
        assert added.json()["free_places"] == 8
    assert OFFER["title"] not in (await client.get("/angebote")).text

    published = await client.post(f"{API}/opportunities/{offer['id']}/publish", headers=headers)
    assert published.status_code == 200, published.text
    assert published.json()["status"] == "published"
    assert [d["capacity"] for d in published.json()["dates"]] == [8, 8]
    listing = await client.get("/angebote")
    assert OFFER["title"] in listing.text
    detail = await client.get(urlsplit(published.json()["url"]).path)
    assert detail.status_code == 200 and OFFER["title"] in detail.text
    # The read API, the calendar feed and the Atom feed carry it too, with both dates.
    public = await client.get(f"/api/v1/opportunities/{offer['id']}")
    assert public.status_code == 200, public.text
    assert public.json()["title"] == OFFER["title"] and len(public.json()["dates"]) == 2
    listed = await client.get("/api/v1/opportunities")
    assert offer["id"] in [item["id"] for item in listed.json()["items"]]
    assert OFFER["title"] in (await client.get("/angebote/feed.atom")).text
    calendar = (await client.get("/angebote/kalender.ics")).text
    assert calendar.count(f"SUMMARY:{OFFER['title']}") == 2
    mine = await client.get(f"{API}/opportunities", headers=headers)
    assert [item["id"] for item in mine.json()["items"]] == [offer["id"]]
    assert mine.json()["items"][0]["upcoming_dates"] == 2
    # The audit log names the partner's key, not "the system".
    actors = {row["actor_label"] for row in await AuditEntry.select(AuditEntry.actor_label)}
    assert any("Freiwilligenagentur Lindenau" in label for label in actors)


async def test_publishing_without_a_date_ahead_is_a_conflict(client) -> None:
    agency = await make_organisation()
    key = await issue(agency)
    created = await client.post(f"{API}/opportunities", json=OFFER, headers=bearer(key.key))
    response = await client.post(
        f"{API}/opportunities/{created.json()['id']}/publish", headers=bearer(key.key)
    )
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "Termin" in response.json()["detail"]


async def test_bad_fields_are_named_and_nothing_is_saved(client) -> None:
    key = await issue(await make_organisation())
    body = OFFER | {"title": "", "mode": "co_dancing", "postcode": "00000"}
    response = await client.post(f"{API}/opportunities", json=body, headers=bearer(key.key))
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    named = {item["name"]: item["reason"] for item in response.json()["invalid-params"]}
    assert set(named) == {"title", "mode", "postcode"}
    assert named["title"] == "Bitte füllen Sie dieses Feld aus."
    assert await Opportunity.count() == 0

    unknown = await client.post(
        f"{API}/opportunities", json=OFFER | {"organisation": 1}, headers=bearer(key.key)
    )
    assert unknown.status_code == 400 and "organisation" in unknown.text
    wrong_type = await client.post(
        f"{API}/opportunities", json=OFFER | {"min_age": "zwölf"}, headers=bearer(key.key)
    )
    assert wrong_type.status_code == 400 and "min_age" in wrong_type.text
    assert await Opportunity.count() == 0


async def test_a_date_is_checked_like_the_officers_form(client) -> None:
    agency = await make_organisation()
    key = await issue(agency)
    offer = await make_opportunity(agency, status=OpportunityStatus.DRAFT)
    response = await client.post(
        f"{API}/opportunities/{offer.id}/dates",
        json={"date": _local_day(3), "starts": "18:00", "ends": "17:00", "capacity": 0},
        headers=bearer(key.key),
    )
    assert response.status_code == 400
    assert {item["name"] for item in response.json()["invalid-params"]} == {"ends", "capacity"}


async def test_a_partial_update_keeps_the_rest(client) -> None:
    agency = await make_organisation()
    key = await issue(agency)
    created = await client.post(f"{API}/opportunities", json=OFFER, headers=bearer(key.key))
    offer_id = created.json()["id"]
    changed = await client.patch(
        f"{API}/opportunities/{offer_id}",
        json={"summary": "Neu: auch samstags.", "min_age": 16},
        headers=bearer(key.key),
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["summary"] == "Neu: auch samstags." and body["min_age"] == 16
    assert body["title"] == OFFER["title"] and body["postcode"] == "04109"
    cleared = await client.patch(
        f"{API}/opportunities/{offer_id}", json={"title": ""}, headers=bearer(key.key)
    )
    assert cleared.status_code == 400
    row = await Opportunity.select(Opportunity.title).where(Opportunity.id == offer_id).first()
    assert row["title"] == OFFER["title"]


async def test_moving_and_cancelling_a_date_tell_the_participants(client, mailbox: Mailbox) -> None:
    agency = await make_organisation()
    key = await issue(agency)
    offer = await make_opportunity(agency)
    moved, cancelled = await make_session(offer), await make_session(offer, dt.timedelta(days=9))
    ada = await make_user("ada@example.org")
    await sign_up(ada.id, moved.id)
    await sign_up(ada.id, cancelled.id)
    await run_worker()
    mailbox.clear()

    response = await client.patch(
        f"{API}/opportunities/{offer.id}/dates/{moved.id}",
        json={"starts": "08:00", "ends": "09:00"},
        headers=bearer(key.key),
    )
    assert response.status_code == 200, response.text
    local = dt.datetime.fromisoformat(response.json()["starts_at"]).astimezone(TOWN_TIMEZONE)
    assert local.strftime("%H:%M") == "08:00"
    gone = await client.delete(
        f"{API}/opportunities/{offer.id}/dates/{cancelled.id}", headers=bearer(key.key)
    )
    assert gone.status_code == 204
    await run_worker()
    assert len(mailbox.to("ada@example.org")) == 2
    dates = await client.get(f"{API}/opportunities/{offer.id}/dates", headers=bearer(key.key))
    assert [date["id"] for date in dates.json()["items"]] == [moved.id]


async def test_sign_up_counts_per_date_and_never_people(client) -> None:
    agency = await make_organisation()
    key = await issue(agency, KeyScope.READ)
    offer = await make_opportunity(agency)
    session = await make_session(offer, capacity=1)
    people = [await make_user(f"p{n}@example.org") for n in range(3)]
    for person in people:
        await sign_up(person.id, session.id)
    await SignUp.update({SignUp.attendance: Attendance.ATTENDED.value}).where(
        SignUp.user == people[0].id
    )
    await SignUp.update({SignUp.status: SignUpStatus.CANCELLED.value}).where(
        SignUp.user == people[2].id
    )
    response = await client.get(f"{API}/opportunities/{offer.id}/dates", headers=bearer(key.key))
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store, private"
    [date] = response.json()["items"]
    assert date["sign_ups"] == {"signed_up": 1, "waitlisted": 1, "attended": 1, "cancelled": 1}
    assert "example.org" not in response.text


async def test_organisation_a_cannot_touch_organisation_b(client) -> None:
    a, b = await make_organisation(), await make_organisation()
    key = await issue(a)
    published = await make_opportunity(b)
    draft = await make_opportunity(b, status=OpportunityStatus.DRAFT)
    session = await make_session(published)
    headers = bearer(key.key)
    assert (
        await client.get(f"{API}/opportunities/{published.id}", headers=headers)
    ).status_code == 403
    assert (await client.get(f"{API}/opportunities/{draft.id}", headers=headers)).status_code == 404
    changed = await client.patch(
        f"{API}/opportunities/{published.id}", json={"title": "Gekapert"}, headers=headers
    )
    assert changed.status_code == 403
    assert (
        await client.delete(
            f"{API}/opportunities/{published.id}/dates/{session.id}", headers=headers
        )
    ).status_code == 403
    assert (
        await client.post(f"{API}/opportunities/{draft.id}/publish", headers=headers)
    ).status_code == 404
    row = (
        await Opportunity.select(Opportunity.title, Opportunity.status)
        .where(Opportunity.id == draft.id)
        .first()
    )
    assert row["status"] == "draft"
    assert (
        await Opportunity.select(Opportunity.title).where(Opportunity.id == published.id).first()
    )["title"] != "Gekapert"


async def test_a_read_key_cannot_write(client) -> None:
    agency = await make_organisation()
    key = await issue(agency, KeyScope.READ)
    offer = await make_opportunity(agency)
    headers = bearer(key.key)
    assert (await client.get(f"{API}/opportunities/{offer.id}", headers=headers)).status_code == 200
    refused = await client.post(f"{API}/opportunities", json=OFFER, headers=headers)
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert (
        await client.patch(f"{API}/opportunities/{offer.id}", json={}, headers=headers)
    ).status_code == 403
    assert await Opportunity.count() == 1

    nowhere = await issue(None, KeyScope.READ)
    assert (await client.get(f"{API}/key", headers=bearer(nowhere.key))).status_code == 200
    listing = await client.get(f"{API}/opportunities", headers=bearer(nowhere.key))
    assert listing.status_code == 403


async def test_a_browser_session_cannot_use_the_write_api(client) -> None:
    """Cookies count for nothing here: a signed-in officer with a valid CSRF token still
    gets 401, so no page can make a visitor's browser write through the API."""
    agency = await make_organisation()
    officer = await make_officer(agency)
    await sign_in(client, officer)
    response = await client.post(
        f"{API}/opportunities",
        json=OFFER,
        headers={"x-csrftoken": await client.csrf_token()},
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert await Opportunity.count() == 0


async def test_the_openapi_document_declares_the_key(client) -> None:
    document = (await client.get("/api/v1/openapi.json")).json()
    assert document["components"]["securitySchemes"]["partnerKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": document["components"]["securitySchemes"]["partnerKey"]["description"],
    }
    operations = [
        operation
        for path, item in document["paths"].items()
        if path.startswith("/api/v1/partner/")
        for operation in item.values()
    ]
    assert len(operations) == 11
    for operation in operations:
        assert operation["security"] == [{"partnerKey": []}]
        assert {"401", "403", "429"} <= set(operation["responses"])


async def test_a_date_may_be_sent_as_instants_with_offset(client) -> None:
    agency = await make_organisation()
    key = await issue(agency)
    offer = await make_opportunity(agency, status=OpportunityStatus.DRAFT)
    day = (utcnow() + dt.timedelta(days=10)).astimezone(TOWN_TIMEZONE).date()
    starts = dt.datetime.combine(day, dt.time(9, 30), tzinfo=TOWN_TIMEZONE)
    body = {
        "starts_at": starts.astimezone(dt.UTC).isoformat(),
        "ends_at": (starts + dt.timedelta(hours=2)).isoformat(),
        "capacity": 5,
    }
    added = await client.post(
        f"{API}/opportunities/{offer.id}/dates", json=body, headers=bearer(key.key)
    )
    assert added.status_code == 201, added.text
    assert dt.datetime.fromisoformat(added.json()["starts_at"]) == starts
    assert dt.datetime.fromisoformat(added.json()["ends_at"]) == starts + dt.timedelta(hours=2)

    wrong = {
        "starts_at": starts.replace(tzinfo=None).isoformat(),
        "ends_at": body["ends_at"],
        "capacity": 5,
    }
    refused = await client.post(
        f"{API}/opportunities/{offer.id}/dates", json=wrong, headers=bearer(key.key)
    )
    assert refused.status_code == 400
    assert {item["name"] for item in refused.json()["invalid-params"]} == {"starts_at"}
    next_day = (starts + dt.timedelta(days=1, hours=2)).isoformat()
    overnight = {"starts_at": body["starts_at"], "ends_at": next_day, "capacity": 5}
    refused = await client.post(
        f"{API}/opportunities/{offer.id}/dates", json=overnight, headers=bearer(key.key)
    )
    assert {item["name"] for item in refused.json()["invalid-params"]} == {"ends_at"}
    mixed = body | {"date": day.isoformat()}
    refused = await client.post(
        f"{API}/opportunities/{offer.id}/dates", json=mixed, headers=bearer(key.key)
    )
    assert {item["name"] for item in refused.json()["invalid-params"]} == {"starts_at"}
    dates = await client.get(f"{API}/opportunities/{offer.id}/dates", headers=bearer(key.key))
    assert len(dates.json()["items"]) == 1


async def test_closing_and_a_begun_date_with_sign_ups(client) -> None:
    agency = await make_organisation()
    key = await issue(agency)
    offer = await make_opportunity(agency)
    begun = await make_session(offer, starts_in=-dt.timedelta(hours=1))
    await SignUp.insert(SignUp(session=begun.id, user=(await make_user()).id))
    kept = await client.delete(
        f"{API}/opportunities/{offer.id}/dates/{begun.id}", headers=bearer(key.key)
    )
    assert kept.status_code == 409
    assert kept.headers["content-type"].startswith("application/problem+json")
    closed = await client.post(f"{API}/opportunities/{offer.id}/close", headers=bearer(key.key))
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert offer.title not in (await client.get("/angebote")).text
    seconds = await client.patch(
        f"{API}/opportunities/{offer.id}/dates/{begun.id}",
        json={"starts_at": "2027-05-01T10:00:30+02:00"},
        headers=bearer(key.key),
    )
    assert seconds.status_code == 400
    assert [item["name"] for item in seconds.json()["invalid-params"]] == ["starts_at"]


async def test_an_offer_costs_the_same_queries_with_two_or_eight_dates(
    client, count_queries
) -> None:
    agency = await make_organisation()
    key = await issue(agency, KeyScope.READ)
    await client.get(f"{API}/key", headers=bearer(key.key))  # its last use is noted once a minute
    counted = []
    for dates in (2, 8):
        offer = await make_opportunity(agency)
        for day in range(dates):
            session = await make_session(offer, starts_in=dt.timedelta(days=day + 1))
            await sign_up((await make_user()).id, session.id)
        with count_queries() as queries:
            response = await client.get(f"{API}/opportunities/{offer.id}", headers=bearer(key.key))
        assert len(response.json()["dates"]) == dates
        counted.append(queries.count)
    assert counted[0] == counted[1]
