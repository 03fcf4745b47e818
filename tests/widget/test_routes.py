"""The widget page: what it lists, its headers, its language, and its answer to bad filters."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from boerse.accounts.tables import Role
from boerse.lib.headers import CONTENT_SECURITY_POLICY, content_security_policy
from boerse.opportunities.tables import Mode, OpportunityStatus
from boerse.settings import get_settings
from boerse.widget import services
from boerse.widget.tables import EmbeddingHost
from tests.support.factories import (
    make_opportunity,
    make_organisation,
    make_session,
    make_user,
    sign_in,
)

WIDGET = "/einbetten/angebote"


def titles(html: str) -> list[str]:
    return re.findall(
        r'<h3 class="kern-heading-small" id="angebot-\d+">\s*<a [^>]*>([^<]+)</a>', html
    )


def directives(response) -> dict[str, str]:
    policy = response.headers["content-security-policy"]
    return dict(part.split(" ", 1) for part in policy.split("; "))


async def test_the_widget_lists_published_offers_and_opens_them_in_the_whole_window(
    client,
) -> None:
    club = await make_organisation("Sportverein Lindenau")
    offer = await make_opportunity(club, title="Jugendtraining begleiten")
    await make_session(offer)
    await make_opportunity(club, title="Entwurf", status=OpportunityStatus.DRAFT)

    response = await client.get(WIDGET)

    assert response.status_code == 200
    assert titles(response.text) == ["Jugendtraining begleiten"]
    assert f'href="/angebote/{offer.id}"' in response.text
    assert '<base target="_top">' in response.text
    # Its own layout: no site navigation, no forms (nothing to post from a frame).
    assert "Hauptnavigation" not in response.text and "<form" not in response.text
    assert "<script" not in response.text  # works the same without JavaScript
    # No cookie at all: in another site's page it would be a third-party cookie.
    assert "set-cookie" not in response.headers


async def test_frame_ancestors_name_the_allowed_websites_on_the_widget_only(client) -> None:
    await services.add_host("https://www.lindenau.de")
    await services.add_host("http://localhost:8001")

    widget = await client.get(WIDGET)
    other = await client.get("/angebote")

    assert directives(widget)["frame-ancestors"] == (
        "'self' http://localhost:8001 https://www.lindenau.de"
    )
    # Everything else of the policy is the site's own.
    assert {**directives(widget), "frame-ancestors": "'none'"} == directives(other)
    assert other.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert directives(other)["frame-ancestors"] == "'none'"
    for response in (widget, other):
        assert response.headers.get_list("content-security-policy") == [
            response.headers["content-security-policy"]
        ]
    assert "x-frame-options" not in widget.headers


async def test_without_allowed_websites_only_the_site_itself_may_frame_the_widget(client) -> None:
    response = await client.get(WIDGET)
    assert directives(response)["frame-ancestors"] == "'self'"


async def test_the_filter_narrows_by_organisation_field_mode_and_number(client) -> None:
    club = await make_organisation("Sportverein")
    other = await make_organisation("Tafel")
    for number in range(4):
        await make_session(await make_opportunity(club, title=f"Training {number}"))
    await make_session(await make_opportunity(club, title="Planung", mode=Mode.CO_DESIGN))
    await make_session(await make_opportunity(club, title="Kultur", field="culture"))
    await make_session(await make_opportunity(other, title="Essen ausgeben"))

    by_club = await client.get(WIDGET, params={"organisation": club.id, "count": 3})
    designing = await client.get(WIDGET, params={"mode": "co_design"})
    culture = await client.get(WIDGET, params={"field": "culture"})

    assert len(titles(by_club.text)) == 3
    assert "Essen ausgeben" not in by_club.text
    assert "Mitmachen bei Sportverein" in by_club.text
    assert "6 Angebote" in by_club.text
    assert f'href="/organisationen/{club.id}"' in by_club.text
    assert titles(designing.text) == ["Planung"]
    assert titles(culture.text) == ["Kultur"]
    assert 'href="/angebote?field=culture"' in culture.text


async def test_postcode_and_radius_keep_near_offers(client) -> None:
    club = await make_organisation()
    await make_session(await make_opportunity(club, title="Leipzig", postcode="04109"))
    await make_session(await make_opportunity(club, title="München", postcode="80331"))

    response = await client.get(WIDGET, params={"postcode": "04109", "km": "20"})

    assert response.status_code == 200
    assert titles(response.text) == ["Leipzig"]
    assert "km entfernt" in response.text and "OpenStreetMap" in response.text


async def test_lang_follows_the_host_page_for_this_response_only(client) -> None:
    await make_session(await make_opportunity(await make_organisation()))

    english = await client.get(WIDGET, params={"lang": "en"}, headers={"accept-language": "de"})
    german = await client.get(WIDGET, params={"lang": "de"}, headers={"accept-language": "en"})
    browser = await client.get(WIDGET, headers={"accept-language": "en"})

    assert '<html lang="en">' in english.text and "Next session" in english.text
    assert '<html lang="de">' in german.text and "Nächster Termin" in german.text
    assert '<html lang="en">' in browser.text
    # The list page's ?lang= remembers the choice; the widget's must not.
    assert "set-cookie" not in english.headers and "boerse_lang" not in client.cookies


async def test_bad_filter_values_are_explained_not_a_server_error(client) -> None:
    await make_session(await make_opportunity(await make_organisation(), title="Sichtbar"))

    cases = {
        "field": ("unbekannt", "Handlungsfeld"),
        "mode": ("alles", "Mitmach-Art"),
        "postcode": ("123", "Postleitzahl „123“"),
        "count": ("500", "Anzahl der Angebote"),
        "organisation": ("abc", "Organisation im Einbettungscode"),
        "lang": ("fr", "Sprache „fr“"),
    }
    for name, (value, text) in cases.items():
        response = await client.get(WIDGET, params={name: value})
        assert response.status_code == 400, name
        assert text in response.text, name
        assert titles(response.text) == [], name

    missing = await client.get(WIDGET, params={"organisation": "999999"})
    assert missing.status_code == 400
    assert "Organisation im Einbettungscode kennen wir nicht" in missing.text
    radius_alone = await client.get(WIDGET, params={"km": "10"})
    assert "auch eine Postleitzahl" in radius_alone.text


async def test_a_signed_in_visitor_sees_the_same_public_widget(client) -> None:
    """The session is not even looked up: the widget shows the same page to everyone."""
    await make_session(await make_opportunity(await make_organisation(), title="Für alle"))
    anonymous = await client.get(WIDGET)
    await sign_in(client, await make_user(role=Role.ADMIN))

    signed_in = await client.get(WIDGET)

    assert titles(signed_in.text) == titles(anonymous.text) == ["Für alle"]
    assert "Abmelden" not in signed_in.text


async def test_the_widget_runs_the_same_queries_for_three_or_twenty_offers(
    client, count_queries
) -> None:
    club = await make_organisation()
    params = {"organisation": club.id, "count": 20}
    await client.get(WIDGET, params=params)  # the process's first reading of the lists
    counts = []
    for more in (3, 17):
        for _ in range(more):
            await make_session(await make_opportunity(club))
            await services.add_host(f"https://verein{await EmbeddingHost.count()}.example")
        with count_queries() as counter:
            response = await client.get(WIDGET, params=params)
        assert len(titles(response.text)) == (3 if more == 3 else 20)
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 6, counts


@pytest.fixture
def tile_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("MAP_TILE_URL", "https://tiles.lindenau.example/{z}/{x}/{y}.png")
    monkeypatch.setenv("MAP_ATTRIBUTION", "© Lindenau")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


async def test_the_widget_policy_keeps_the_map_tiles_of_every_page(tile_server) -> None:
    await services.add_host("https://www.lindenau.de")
    policy = await services.frame_policy()
    assert policy == content_security_policy(
        "'self' https://www.lindenau.de", tile_origin="https://tiles.lindenau.example"
    )
