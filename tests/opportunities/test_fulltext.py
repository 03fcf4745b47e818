"""Full-text search on the public list: German word forms, combined with the other filters,
kept up to date by the officers' edits; the language and accessibility filters."""

from __future__ import annotations

from boerse.opportunities.fulltext import german_stems, reindex_all
from boerse.opportunities.tables import Mode, Opportunity
from tests.opportunities.test_routes import GOOD, session_form
from tests.support.factories import (
    make_officer,
    make_opportunity,
    make_organisation,
    make_session,
    sign_in,
)


async def offer(title: str, description: str = "Wir treffen uns im Stadtteil.", **fields):
    opportunity = await make_opportunity(
        await make_organisation(), title=title, description=description, **fields
    )
    await make_session(opportunity)
    return opportunity


def found(page: str) -> set[str]:
    titles = ("Gartenarbeit im Park", "Gärten der Nachbarschaft", "Lesepaten", "Gärten online")
    return {title for title in titles if title in page}


def test_word_forms_share_one_stem() -> None:
    assert german_stems("Garten Gärten") == ["gart", "gart"]
    assert german_stems("Bäume, Baum!") == ["baum", "baum"]


async def test_a_word_finds_its_forms_and_compounds_in_title_and_description(client) -> None:
    await offer("Gartenarbeit im Park")
    await offer("Gärten der Nachbarschaft", mode=Mode.CO_DESIGN)
    await offer("Lesepaten", description="Vorlesen in der Bibliothek am Garten-Eck? Nein.")
    await offer("Gärten online", is_online=True, mode=Mode.CO_DESIGN)
    await reindex_all()  # the factory wrote the rows directly, as an import would

    everything = (await client.get("/angebote?q=Garten")).text
    designed = (await client.get("/angebote?q=garten&mode=co_design")).text
    two_words = (await client.get("/angebote?q=G%C3%A4rten+Nachbarschaft")).text

    assert found(everything) == {
        "Gartenarbeit im Park",
        "Gärten der Nachbarschaft",
        "Lesepaten",
        "Gärten online",
    }
    assert found(designed) == {"Gärten der Nachbarschaft", "Gärten online"}
    assert found(two_words) == {"Gärten der Nachbarschaft"}
    assert 'value="Gärten Nachbarschaft"' in two_words


async def test_search_syntax_typed_by_a_visitor_is_just_text(client) -> None:
    await offer("Lesepaten")
    await reindex_all()
    for typed in ('"', "Lese* OR", "NEAR(a b)", "a:b", "'; DROP TABLE opportunity; --", "!!!"):
        response = await client.get("/angebote", params={"q": typed})
        assert response.status_code == 200, typed


async def test_the_officers_edits_keep_the_search_current(client) -> None:
    organisation = await make_organisation()
    await sign_in(client, await make_officer(organisation))
    await client.submit("/verwaltung/angebote/neu", GOOD)
    opportunity_id = (await Opportunity.select(Opportunity.id).first())["id"]
    await client.submit(f"/verwaltung/angebote/{opportunity_id}/termine", session_form())
    await client.submit(f"/verwaltung/angebote/{opportunity_id}/veroeffentlichen")
    assert GOOD["title"] in (await client.get("/angebote?q=Spaziergänge")).text

    renamed = GOOD | {"title": "Stadtteilrundgang", "summary": "Ein Rundgang.", "description": "x"}
    await client.submit(f"/verwaltung/angebote/{opportunity_id}/bearbeiten", renamed)

    assert "Stadtteilrundgang" not in (await client.get("/angebote?q=Spaziergang")).text
    assert "Stadtteilrundgang" in (await client.get("/angebote?q=Rundgang")).text


async def test_language_and_accessibility_filters(client) -> None:
    await offer("Lesepaten", languages=["de", "tr"], accessibility="Stufenloser Zugang.")
    await offer("Gärten der Nachbarschaft", languages=["de"])

    turkish = (await client.get("/angebote?language=tr")).text
    accessible = (await client.get("/angebote?accessible=on")).text
    unknown = (await client.get("/angebote?language=xx")).text

    assert found(turkish) == {"Lesepaten"}
    assert found(accessible) == {"Lesepaten"}
    assert found(unknown) == {"Lesepaten", "Gärten der Nachbarschaft"}
    assert "Die Auswahl bei „Sprache“ kennen wir nicht." in unknown
