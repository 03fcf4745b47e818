"""Editing an organisation over HTTP: who may, the checks of every field, the logo upload
(real PNG bytes, a fake refused), how the logo is served and cached, and the audit entry."""

from __future__ import annotations

from boerse.accounts.tables import Organisation, Role
from boerse.audit.tables import AuditEntry
from tests.organisations.helpers import tiny_png
from tests.support.factories import (
    make_officer,
    make_opportunity,
    make_organisation,
    make_user,
    sign_in,
)

GOOD = {
    "name": "Nachbarschaftshilfe Lindenau e. V.",
    "description": "Wir helfen im Viertel.\n\nSeit 1998.",
    "website": "https://nachbarn.example",
    "contact_name": "Frau Kaya",
    "contact_email": "Kontakt@Nachbarn.example",
    "contact_phone": "0341 555 12",
}


def edit_url(organisation_id: int) -> str:
    return f"/verwaltung/organisationen/{organisation_id}/bearbeiten"


async def test_an_officer_edits_their_organisation_with_a_logo(client) -> None:
    org = await make_organisation("Nachbarschaftshilfe")
    await sign_in(client, await make_officer(org))
    form = await client.get(edit_url(org.id))
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.text

    png = tiny_png()
    saved = await client.submit(
        edit_url(org.id), GOOD, files={"logo": ("bild.txt", png, "text/plain")}
    )
    assert saved.status_code == 303, saved.text[:2000]
    assert saved.headers["location"] == f"/organisationen/{org.id}"
    row = await Organisation.objects().where(Organisation.id == org.id).first()
    assert (row.name, row.contact_email, row.contact_phone) == (
        GOOD["name"],
        "kontakt@nachbarn.example",
        GOOD["contact_phone"],
    )
    assert (bytes(row.logo), row.logo_type) == (png, "image/png")
    entry = await AuditEntry.objects().where(AuditEntry.action == "organisation_edited").first()
    assert (entry.target_id, entry.summary) == (org.id, GOOD["name"])

    page = await client.get(f"/organisationen/{org.id}")
    assert "Frau Kaya" in page.text and "mailto:kontakt@nachbarn.example" in page.text
    assert f'alt="Logo von {GOOD["name"]}"' in page.text


async def test_the_logo_is_served_with_its_type_an_etag_and_a_long_cache(client) -> None:
    png = tiny_png()
    org = await make_organisation("Tafel", logo=png, logo_type="image/png")
    page = await client.get(f"/organisationen/{org.id}")
    client.cookies.clear()
    start = page.text.index(f"/organisationen/{org.id}/logo/")
    url = page.text[start : page.text.index('"', start)]
    logo = await client.get(url)
    assert logo.status_code == 200
    assert logo.content == png
    assert logo.headers["content-type"] == "image/png"
    assert logo.headers["x-content-type-options"] == "nosniff"
    assert "set-cookie" not in logo.headers
    assert "immutable" in logo.headers["cache-control"]
    again = await client.get(url, headers={"If-None-Match": logo.headers["etag"]})
    assert (again.status_code, again.content) == (304, b"")
    stale = await client.get(f"/organisationen/{org.id}/logo/1")
    assert "immutable" not in stale.headers["cache-control"]
    assert (await client.get(f"/organisationen/{org.id + 99}/logo/1")).status_code == 404


async def test_a_file_named_png_that_is_no_image_is_refused_and_the_text_kept(client) -> None:
    org = await make_organisation("Tafel")
    await sign_in(client, await make_officer(org))
    fake = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"
    refused = await client.submit(
        edit_url(org.id), GOOD, files={"logo": ("logo.png", fake, "image/png")}
    )
    assert refused.status_code == 400
    assert "kein Bild im Format PNG, JPEG oder WebP" in refused.text
    assert GOOD["contact_name"] in refused.text
    row = await Organisation.objects().where(Organisation.id == org.id).first()
    assert (row.name, row.logo, row.logo_type) == ("Tafel", None, "")


async def test_a_too_large_logo_is_refused(client) -> None:
    org = await make_organisation("Tafel")
    await sign_in(client, await make_officer(org))
    big = tiny_png() + b"\0" * (600 * 1024)
    refused = await client.submit(
        edit_url(org.id), GOOD, files={"logo": ("logo.png", big, "image/png")}
    )
    assert refused.status_code == 400
    assert "Das Logo ist zu groß" in refused.text


async def test_the_logo_can_be_removed(client) -> None:
    org = await make_organisation("Tafel", logo=tiny_png(), logo_type="image/png")
    await sign_in(client, await make_officer(org))
    form = await client.get(edit_url(org.id))
    assert "Logo entfernen" in form.text
    saved = await client.submit(edit_url(org.id), GOOD | {"remove_logo": "on"})
    assert saved.status_code == 303
    row = await Organisation.objects().where(Organisation.id == org.id).first()
    assert (row.logo, row.logo_type) == (None, "")


async def test_bad_fields_get_german_messages_and_a_taken_name_a_clear_one(client) -> None:
    await make_organisation("Stadtbibliothek")
    org = await make_organisation("Tafel")
    await sign_in(client, await make_officer(org))
    bad = await client.submit(
        edit_url(org.id),
        GOOD | {"website": "javascript:alert(1)", "contact_email": "kaya(at)example"},
    )
    assert bad.status_code == 400
    assert "https://www.beispiel.de" in bad.text
    assert "gültige E-Mail-Adresse" in bad.text
    taken = await client.submit(edit_url(org.id), GOOD | {"name": "Stadtbibliothek"})
    assert taken.status_code == 400
    assert "Eine Organisation mit diesem Namen gibt es schon" in taken.text
    row = await Organisation.objects().where(Organisation.id == org.id).first()
    assert row.name == "Tafel"


async def test_only_own_officers_and_admins_may_edit(client) -> None:
    org = await make_organisation("Tafel")
    other = await make_organisation("Bibliothek")
    await sign_in(client, await make_officer(other))
    assert (await client.get(edit_url(org.id))).status_code == 403
    assert (await client.submit(edit_url(org.id), GOOD)).status_code == 403
    client.cookies.clear()
    await sign_in(client, await make_user(role=Role.RESIDENT))
    assert (await client.get(edit_url(org.id))).status_code == 403
    client.cookies.clear()
    await sign_in(client, await make_user(role=Role.ADMIN))
    saved = await client.submit(edit_url(org.id), GOOD)
    assert saved.status_code == 303
    assert (await client.get(edit_url(org.id + 99))).status_code == 404


async def test_the_offer_page_shows_the_logo_and_links_the_organisation(client) -> None:
    org = await make_organisation("Tafel", logo=tiny_png(), logo_type="image/png")
    opportunity = await make_opportunity(org)
    page = await client.get(f"/angebote/{opportunity.id}")
    assert page.status_code == 200
    assert 'alt="Logo von Tafel"' in page.text
    assert f'href="/organisationen/{org.id}"' in page.text
