"""The admins' pages: issue a key (shown once), list it without its secret, revoke it;
each step in the audit log; nobody else may open them."""

from __future__ import annotations

import re

from boerse.accounts.tables import Role
from boerse.audit.tables import AuditEntry
from boerse.partners.keys import split_key
from boerse.partners.tables import PartnerKey
from tests.partners.helpers import API, bearer, issue
from tests.support.factories import make_officer, make_organisation, make_user, sign_in

PAGES = "/admin/partnerzugaenge"
KEY = re.compile(r"mbp_[0-9a-f]{12}_[A-Za-z0-9_-]{43}")


async def test_an_admin_issues_a_write_key_that_works_once_shown(client) -> None:
    agency = await make_organisation("Freiwilligenagentur Lindenau")
    admin = await make_user(role=Role.ADMIN, display_name="Ada Admin")
    await sign_in(client, admin)
    form = await client.get(f"{PAGES}/neu")
    assert form.status_code == 200 and "Freiwilligenagentur Lindenau" in form.text

    issued = await client.submit(
        f"{PAGES}/neu",
        {
            "partner_name": "Agentur-Tool",
            "contact": "Kim Koch, 0341 123456",
            "scope": "write",
            "organisation": str(agency.id),
            "expires_on": "",
            "requests_per_minute": "",
        },
    )
    assert issued.status_code == 200, issued.text[:2000]
    assert "no-store" in issued.headers["cache-control"]
    [key] = KEY.findall(issued.text)
    listing = await client.get(PAGES)
    assert split_key(key).prefix in listing.text and key not in listing.text
    assert "Agentur-Tool" in listing.text and "noch nie" in listing.text

    check = await client.get(f"{API}/key", headers=bearer(key))
    assert check.json()["scope"] == "write"
    assert check.json()["organisation_id"] == agency.id
    row = await PartnerKey.select(PartnerKey.requests_per_minute, PartnerKey.created_by).first()
    assert row == {"requests_per_minute": 120, "created_by": admin.id}
    entry = await AuditEntry.select().where(AuditEntry.action == "partner_key_issued").first()
    assert entry["actor_id"] == admin.id and entry["summary"].startswith("Agentur-Tool (")
    assert key not in str(entry) and split_key(key).secret not in str(entry)


async def test_the_form_keeps_what_was_typed_and_names_the_problems(client) -> None:
    await sign_in(client, await make_user(role=Role.ADMIN))
    response = await client.submit(
        f"{PAGES}/neu",
        {
            "partner_name": "Agentur ohne Organisation",
            "contact": "",
            "scope": "write",
            "organisation": "",
            "expires_on": "2001-01-01",
            "requests_per_minute": "0",
        },
    )
    assert response.status_code == 400
    assert "Agentur ohne Organisation" in response.text
    for message in (
        "Bitte füllen Sie dieses Feld aus.",
        "Ein Schlüssel zum Schreiben gehört zu genau einer Organisation",
        "Das Datum liegt in der Vergangenheit.",
        "Bitte eine Zahl von 1 bis 6000 eingeben.",
    ):
        assert message in response.text
    assert await PartnerKey.count() == 0


async def test_an_admin_revokes_a_key(client) -> None:
    issued = await issue(await make_organisation())
    admin = await make_user(role=Role.ADMIN)
    await sign_in(client, admin)
    response = await client.submit(f"{PAGES}/{issued.id}/widerrufen")
    assert response.status_code == 303
    assert (await client.get(f"{API}/key", headers=bearer(issued.key))).status_code == 401
    listing = await client.get(PAGES)
    assert "widerrufen" in listing.text
    assert (await client.submit(f"{PAGES}/{issued.id}/widerrufen")).status_code == 404
    assert (await client.submit(f"{PAGES}/999/widerrufen")).status_code == 404
    entries = await AuditEntry.select(AuditEntry.action, AuditEntry.actor_id).where(
        AuditEntry.action == "partner_key_revoked"
    )
    assert entries == [{"action": "partner_key_revoked", "actor_id": admin.id}]


async def test_only_admins_open_the_pages(client) -> None:
    issued = await issue(None)
    assert (await client.get(PAGES, follow_redirects=False)).status_code == 303
    await sign_in(client, await make_officer())
    assert (await client.get(PAGES)).status_code == 403
    assert (await client.get(f"{PAGES}/neu")).status_code == 403
    assert (await client.submit(f"{PAGES}/{issued.id}/widerrufen")).status_code == 403
    assert (await client.get(f"{API}/key", headers=bearer(issued.key))).status_code == 200


async def test_the_audit_log_names_the_partner_who_wrote(client) -> None:
    issued = await issue(await make_organisation(), name="Agentur-Tool")
    offer = {
        "title": "Lesepaten",
        "summary": "Kurz.",
        "description": "Lang.",
        "mode": "co_deliver",
        "field": "education",
        "is_online": True,
        "contact_name": "Kim Koch",
        "contact_email": "kim@agentur.example",
    }
    created = await client.post(f"{API}/opportunities", json=offer, headers=bearer(issued.key))
    assert created.status_code == 201, created.text
    await sign_in(client, await make_user(role=Role.ADMIN))
    log = await client.get("/admin/protokoll")
    assert f"Agentur-Tool ({split_key(issued.key).prefix})" in log.text
    assert "Partner über die API" in log.text
