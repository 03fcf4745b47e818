"""The legal pages in the browser's place: public reading, admin editing, escaping."""

from __future__ import annotations

import html
import re

import pytest

from boerse.accounts.tables import Role, User
from boerse.audit.actions import Action
from boerse.audit.tables import AuditEntry
from boerse.legal.tables import LegalText
from tests.support.factories import make_officer, make_user, sign_in

PUBLIC = {
    "impressum": "/impressum",
    "datenschutz": "/datenschutz",
    "barrierefreiheit": "/barrierefreiheit",
}
ADMIN_LIST = "/admin/rechtstexte"
ATTACKS = (
    "## Kontakt\n\n<script>alert('legal')</script>\n\n"
    '<img src="x" onerror="alert(1)">\n\n'
    "[Klick mich](javascript:alert(1))"
)


def edit_url(slug: str) -> str:
    return f"{ADMIN_LIST}/{slug}"


def textarea(page: str) -> str:
    match = re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, "no text field"
    return html.unescape(match.group(1))


@pytest.fixture
async def admin(client) -> User:
    user = await make_user(
        email="admin@lindenau.example", role=Role.ADMIN, display_name="Birgit Sommer"
    )
    await sign_in(client, user)
    return user


def test_public_and_admin_route_names(app) -> None:
    assert app.route_reverse("pages:imprint") == "/impressum"
    assert app.route_reverse("pages:privacy") == "/datenschutz"
    assert app.route_reverse("pages:accessibility") == "/barrierefreiheit"
    assert app.route_reverse("legal:admin_list") == "/admin/rechtstexte"
    assert app.route_reverse("legal:admin_edit", slug="impressum") == "/admin/rechtstexte/impressum"


@pytest.mark.parametrize(
    ("path", "heading", "required"),
    [
        ("/impressum", "Impressum", "§ 5 Digitale-Dienste-Gesetz"),
        ("/datenschutz", "Datenschutzerklärung", "Art. 77 DSGVO"),
        ("/barrierefreiheit", "Erklärung zur Barrierefreiheit", "Schlichtungsstelle"),
    ],
)
async def test_a_new_installation_shows_the_shipped_text(client, path, heading, required) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert f'<h1 class="kern-heading-large">{heading}</h1>' in response.text
    assert required in response.text
    assert "[Name der Stadtverwaltung]" in response.text
    assert "Stand:" not in response.text
    assert "Text bearbeiten" not in response.text


async def test_the_footer_links_all_three_pages(client) -> None:
    page = (await client.get("/angebote")).text
    for path in PUBLIC.values():
        assert f'href="{path}"' in page


@pytest.mark.parametrize("slug", list(PUBLIC))
async def test_markup_and_script_typed_by_an_admin_is_escaped(client, admin, slug) -> None:
    response = await client.submit(edit_url(slug), {"body": ATTACKS, "action": "save"})
    assert response.status_code == 303

    page = (await client.get(PUBLIC[slug])).text
    text = page.split('<div class="legal-text" lang="de">', 1)[1].split("</div>", 1)[0]
    assert "<script" not in text and "<img" not in text
    assert "&lt;script&gt;alert('legal')&lt;/script&gt;" in text
    assert "&lt;img src=&quot;x&quot; onerror=&quot;alert(1)&quot;&gt;" in text
    assert "javascript:" in text and "<a" not in text
    assert "<h2>Kontakt</h2>" in text


async def test_an_admin_saves_a_page_and_the_public_sees_it_with_its_date(client, admin) -> None:
    response = await client.submit(
        edit_url("impressum"), {"body": "**Stadt Lindenau**\nMarktplatz 1", "action": "save"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == ADMIN_LIST

    overview = (await client.get(ADMIN_LIST)).text
    assert "Der Rechtstext wurde gespeichert" in overview
    assert "gespeichert von Birgit Sommer" in overview

    page = (await client.get("/impressum")).text
    assert "<strong>Stadt Lindenau</strong><br />\nMarktplatz 1" in page
    assert re.search(r"Stand: \d{2}\.\d{2}\.\d{4}", page)
    assert 'href="/admin/rechtstexte/impressum"' in page  # the admin's way back to the text
    row = await LegalText.select().where(LegalText.kind == "imprint").first()
    assert row["updated_by"] == admin.id


async def test_preview_shows_the_typed_text_and_saves_nothing(client, admin) -> None:
    response = await client.submit(
        edit_url("datenschutz"), {"body": "## Neu\n\n[Datenschutzbeauftragte]", "action": "preview"}
    )
    assert response.status_code == 200
    assert "Vorschau (noch nicht gespeichert)" in response.text
    assert "<h2>Neu</h2>" in response.text
    assert textarea(response.text) == "## Neu\n\n[Datenschutzbeauftragte]"
    assert "1 Platzhalter ist noch nicht ausgefüllt" in response.text
    assert await LegalText.count() == 0


async def test_an_empty_or_overlong_text_is_refused_and_the_typed_text_kept(client, admin) -> None:
    response = await client.submit(edit_url("barrierefreiheit"), {"body": "   ", "action": "save"})
    assert response.status_code == 400
    assert "Bitte prüfen Sie Ihre Eingaben" in response.text

    overlong = "Sehr lang. " * 10_000
    response = await client.submit(
        edit_url("barrierefreiheit"), {"body": overlong, "action": "save"}
    )
    assert response.status_code == 400
    assert "Bitte höchstens 100000 Zeichen eingeben." in response.text
    assert textarea(response.text) == overlong
    assert await LegalText.count() == 0


async def test_the_edit_page_warns_while_placeholders_remain(client, admin) -> None:
    page = (await client.get(edit_url("impressum"))).text
    assert "Platzhalter sind noch nicht ausgefüllt" in page
    assert '<li><span lang="de">[Name der Stadtverwaltung]</span></li>' in page
    assert "§ 5 Digitale-Dienste-Gesetz" in textarea(page)

    await client.submit(edit_url("impressum"), {"body": "Stadt Lindenau", "action": "save"})
    page = (await client.get(edit_url("impressum"))).text
    assert "Platzhalter" not in page.split("<form", 1)[0]
    assert textarea(page) == "Stadt Lindenau"
    overview = (await client.get(ADMIN_LIST)).text
    assert overview.count("Platzhalter offen") == 2


async def test_unknown_page_is_404_for_the_admin(client, admin) -> None:
    assert (await client.get(edit_url("agb"))).status_code == 404
    assert (await client.submit(edit_url("agb"), {"body": "x"})).status_code == 404


async def test_officers_and_residents_may_not_edit(client) -> None:
    for user in (await make_officer(), await make_user()):
        await sign_in(client, user)
        assert (await client.get(ADMIN_LIST)).status_code == 403
        assert (await client.get(edit_url("impressum"))).status_code == 403
        response = await client.submit(edit_url("impressum"), {"body": "x", "action": "save"})
        assert response.status_code == 403
        assert "Text bearbeiten" not in (await client.get("/impressum")).text
    assert await LegalText.count() == 0


async def test_anonymous_visitors_are_sent_to_the_login(client) -> None:
    response = await client.get(edit_url("impressum"))
    assert response.status_code == 303
    assert response.headers["location"].startswith("/konto/anmelden?next=")


async def test_in_english_the_frame_is_translated_and_the_german_text_marked(client) -> None:
    page = (await client.get("/datenschutz?lang=en")).text
    assert '<html lang="en">' in page
    assert '<h1 class="kern-heading-large">Privacy notice</h1>' in page
    assert "This text is only available in German." in page
    assert '<div class="legal-text" lang="de">' in page


async def test_saving_is_recorded_in_the_audit_log_and_a_preview_is_not(client, admin) -> None:
    await client.submit(edit_url("datenschutz"), {"body": "Entwurf", "action": "preview"})
    await client.submit(edit_url("datenschutz"), {"body": "Unsere Erklärung", "action": "save"})

    [entry] = await AuditEntry.select().where(AuditEntry.action == Action.LEGAL_PAGE_EDITED)
    assert entry["actor_id"] == admin.id
    assert entry["summary"] == "Datenschutzerklärung"
    assert "Unsere Erklärung" not in str(entry)
    log = (await client.get("/admin/protokoll")).text
    assert "Rechtstext bearbeitet" in log
