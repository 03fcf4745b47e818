"""The administrators' list of websites allowed to embed the widget, and the snippet builder."""

from __future__ import annotations

import html

import pytest

from boerse.accounts.tables import Role
from boerse.audit.tables import AuditEntry
from boerse.settings import get_settings
from boerse.widget import services
from boerse.widget.schemas import parse_origin
from boerse.widget.tables import EmbeddingHost
from tests.support.factories import make_officer, make_organisation, make_user, sign_in

HOSTS = "/admin/einbetten/"
BUILDER = "/verwaltung/einbetten"


async def origins() -> list[str]:
    return [row["origin"] for row in await EmbeddingHost.select(EmbeddingHost.origin)]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("https://www.lindenau.de", "https://www.lindenau.de"),
        ("  HTTPS://WWW.Lindenau.DE/ ", "https://www.lindenau.de"),
        ("https://verein.example:8443", "https://verein.example:8443"),
        ("https://verein.example:443", "https://verein.example"),
        ("https://bürgerverein.de", "https://xn--brgerverein-thb.de"),
        ("http://localhost:8001", "http://localhost:8001"),
        ("http://127.0.0.1:5000", "http://127.0.0.1:5000"),
        ("http://stadt.localhost", "http://stadt.localhost"),
    ],
)
def test_origins_are_normalised(typed: str, stored: str) -> None:
    assert parse_origin(typed) == (stored, "")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Bitte geben Sie die Adresse der Website ein"),
        ("www.lindenau.de", "keine Adresse einer Website"),
        ("http://www.lindenau.de", "Nur Websites mit https://"),
        ("https://www.lindenau.de/engagement", "ohne Pfad"),
        ("https://www.lindenau.de?x=1", "ohne Pfad"),
        ("https://user@www.lindenau.de", "ohne Pfad"),
        ("https://*.lindenau.de", "keine Adresse einer Website"),
        ("https://a.de; script-src *", "keine Adresse einer Website"),
        ("https://lindenau.de:99999", "keine Adresse einer Website"),
        ("ftp://lindenau.de", "keine Adresse einer Website"),
        ("javascript:alert(1)", "keine Adresse einer Website"),
        ("https://" + "a" * 300 + ".de", "höchstens 200 Zeichen"),
    ],
)
def test_anything_but_an_origin_is_refused_with_a_reason(typed: str, message: str) -> None:
    origin, problem = parse_origin(typed)
    assert origin == "" and message in problem


async def test_an_admin_adds_and_removes_a_website_with_audit_entries(client) -> None:
    await sign_in(client, await make_user(role=Role.ADMIN))

    added = await client.submit(HOSTS, {"origin": "https://www.lindenau.de/"})
    assert added.status_code == 303
    page = await client.get(HOSTS)
    assert "https://www.lindenau.de" in page.text
    assert await origins() == ["https://www.lindenau.de"]
    host = (await services.hosts())[0]

    removed = await client.submit(f"{HOSTS}{host.id}/entfernen")
    assert removed.status_code == 303
    assert await origins() == []
    entries = await AuditEntry.select(AuditEntry.action, AuditEntry.summary).order_by(AuditEntry.id)
    assert [(e["action"], e["summary"]) for e in entries] == [
        ("embedding_host_added", "https://www.lindenau.de"),
        ("embedding_host_removed", "https://www.lindenau.de"),
    ]


async def test_a_bad_or_repeated_website_is_explained_and_kept_in_the_form(client) -> None:
    await sign_in(client, await make_user(role=Role.ADMIN))
    await services.add_host("https://www.lindenau.de")

    bad = await client.submit(HOSTS, {"origin": "http://verein.example/seite"})
    repeated = await client.submit(HOSTS, {"origin": "https://www.lindenau.de"})

    assert bad.status_code == 400
    assert "ohne Pfad" in html.unescape(bad.text)
    assert 'value="http://verein.example/seite"' in bad.text
    assert repeated.status_code == 400
    assert "steht schon in der Liste" in repeated.text
    assert await origins() == ["https://www.lindenau.de"]


async def test_only_administrators_keep_the_list(client) -> None:
    host_id = await services.add_host("https://www.lindenau.de")
    assert (await client.get(HOSTS)).status_code in (302, 303, 401)
    await sign_in(client, await make_officer())

    assert (await client.get(HOSTS)).status_code == 403
    assert (await client.submit(HOSTS, {"origin": "https://evil.example"})).status_code == 403
    assert (await client.submit(f"{HOSTS}{host_id}/entfernen")).status_code == 403
    assert await origins() == ["https://www.lindenau.de"]


async def test_removing_a_website_twice_is_not_found(client) -> None:
    await sign_in(client, await make_user(role=Role.ADMIN))
    assert (await client.submit(f"{HOSTS}999999/entfernen")).status_code == 404


async def test_the_builder_shows_the_snippet_and_a_live_preview(client) -> None:
    club = await make_organisation("Sportverein")
    await services.add_host("http://localhost:8001")
    await sign_in(client, await make_officer(club))

    response = await client.get(
        BUILDER,
        params={"organisation": club.id, "field": "culture", "count": "3", "widget_lang": "en"},
    )

    assert response.status_code == 200
    text = html.unescape(response.text)
    src = f"/einbetten/angebote?organisation={club.id}&field=culture&count=3&lang=en"
    # The snippet is HTML: its `&` are written `&amp;`, as a browser expects in an attribute.
    snippet = f'<iframe src="{get_settings().base_url}{src.replace("&", "&amp;")}" title="'
    assert snippet in text
    assert 'loading="lazy" width="100%" height="600"></iframe>' in text
    assert f'<iframe class="widget-preview" src="{src}"' in text
    assert "http://localhost:8001" in text
    # The builder's own page stays in German: its language field is not `lang`.
    assert '<html lang="de">' in response.text


async def test_the_builder_explains_bad_choices_and_keeps_them(client) -> None:
    await sign_in(client, await make_officer())

    response = await client.get(BUILDER, params={"postcode": "123", "km": "10", "count": "x"})

    assert response.status_code == 400
    text = html.unescape(response.text)
    assert "Postleitzahl „123“" in text and "Anzahl der Angebote" in text
    assert 'value="123"' in response.text
    assert "widget-preview" not in response.text


async def test_residents_cannot_open_the_builder(client) -> None:
    await sign_in(client, await make_user())
    assert (await client.get(BUILDER)).status_code == 403
