"""Inventory pages: who sees them, the matrix and cell pages, CSV, entries outside the Börse
(their organisation's officers edit them), ideas, and bad input kept on a 400."""

from __future__ import annotations

import csv
import io

from boerse.accounts.tables import Role
from boerse.audit.tables import AuditEntry
from boerse.dashboards.rollup import refresh_rollups
from boerse.inventory.tables import ExternalCoproduction, InventoryIdea
from boerse.opportunities.tables import Mode
from tests.inventory.helpers import external, small_town
from tests.support.factories import make_officer, make_user, sign_in

MATRIX = "/verwaltung/bestandsaufnahme/"


def cell_url(field: int, mode: Mode) -> str:
    return f"/verwaltung/bestandsaufnahme/{field}/{mode.value}"


async def test_only_staff_see_the_inventory(client) -> None:
    assert (await client.get(MATRIX)).status_code in {302, 303, 401}
    await sign_in(client, await make_user())
    assert (await client.get(MATRIX)).status_code == 403


async def test_matrix_shows_counts_gaps_in_words_and_links_to_cells(client, count_queries) -> None:
    town = await small_town()
    await refresh_rollups(full=True)
    await sign_in(client, await make_officer(town.organisation))

    response = await client.get(MATRIX)

    assert response.status_code == 200
    page = response.text
    assert "1 laufend, 2 vergangen" in page
    assert "2 Personen, 6,5 Std." in page
    assert "2 außerhalb der Börse" in page
    assert "Stand der Teilnehmenden und Stunden: vor 0 Minuten." in page
    assert page.count(">Lücke</strong>") == 38
    assert cell_url(town.environment, Mode.CO_DELIVER) in page
    assert 'class="kern-table table-stack' in page and 'data-label="Mit-Umsetzen"' in page
    cell = await client.get(cell_url(town.environment, Mode.CO_DELIVER))
    assert "Bäume gießen" in cell.text and "Müll sammeln" in cell.text and "läuft" in cell.text
    assert (await client.get(cell_url(town.environment, Mode.CO_DELIVER) + "x")).status_code == 404
    assert (await client.get(f"{MATRIX}999999/co_design")).status_code == 404


async def test_csv_has_one_line_per_cell(client) -> None:
    town = await small_town()
    await refresh_rollups(full=True)
    await sign_in(client, await make_officer(town.organisation))

    response = await client.get(f"{MATRIX}bestandsaufnahme.csv")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Handlungsfeld", "Mitmach-Art", "Laufende Angebote"]
    assert len(rows) == 1 + 40
    assert ["Umwelt und Klima", "Mit-Umsetzen", "1", "2", "2", "6,5", "0", "0", "0", "nein"] in rows
    assert ["Kinder und Jugend", "Mit-Bewerten", "0", "0", "0", "0", "0", "0", "1", "ja"] in rows


async def test_officer_adds_edits_and_deletes_an_entry_with_audit(client) -> None:
    town = await small_town()
    await sign_in(client, await make_officer(town.organisation))
    data = {
        "name": "Lesepaten an Grundschulen",
        "field": str(town.youth),
        "mode": Mode.CO_DELIVER.value,
        "description": "Ehrenamtliche lesen wöchentlich vor.",
        "running": "on",
    }

    response = await client.submit(f"{MATRIX}extern/neu", data)

    assert response.status_code == 303
    assert response.headers["location"] == cell_url(town.youth, Mode.CO_DELIVER)
    entry = (
        await ExternalCoproduction.objects()
        .where(ExternalCoproduction.name == data["name"])
        .first()
    )
    assert entry.organisation == town.organisation.id and entry.running
    cell = await client.get(cell_url(town.youth, Mode.CO_DELIVER))
    assert "Lesepaten an Grundschulen" in cell.text and "bearbeiten oder löschen" in cell.text

    edited = await client.submit(
        f"{MATRIX}extern/{entry.id}/bearbeiten", data | {"running": "", "name": "Lesepaten"}
    )
    assert edited.status_code == 303
    await entry.refresh()
    assert entry.name == "Lesepaten" and not entry.running

    deleted = await client.submit(f"{MATRIX}extern/{entry.id}/loeschen")
    assert deleted.status_code == 303
    assert await ExternalCoproduction.count().where(ExternalCoproduction.id == entry.id) == 0
    actions = await AuditEntry.select(AuditEntry.action).where(AuditEntry.target_id == entry.id)
    assert sorted(row["action"] for row in actions) == [
        "external_coproduction_added",
        "external_coproduction_deleted",
        "external_coproduction_edited",
    ]


async def test_officer_of_another_organisation_cannot_edit_or_delete(client) -> None:
    town = await small_town()
    entry = await external(town.other, town.environment, name="Fremder Eintrag")
    await sign_in(client, await make_officer(town.organisation))

    assert (await client.get(f"{MATRIX}extern/{entry.id}/bearbeiten")).status_code == 403
    response = await client.submit(
        f"{MATRIX}extern/{entry.id}/bearbeiten",
        {"name": "Übernommen", "field": str(town.youth), "mode": "co_design"},
    )
    assert response.status_code == 403
    assert (await client.submit(f"{MATRIX}extern/{entry.id}/loeschen")).status_code == 403
    await entry.refresh()
    assert entry.name == "Fremder Eintrag"
    cell = await client.get(cell_url(town.environment, Mode.CO_DESIGN))
    assert "Fremder Eintrag" in cell.text and "„Fremder Eintrag“ bearbeiten" not in cell.text

    await sign_in(client, await make_user(role=Role.ADMIN))
    assert (await client.get(f"{MATRIX}extern/{entry.id}/bearbeiten")).status_code == 200


async def test_bad_entry_is_a_400_with_values_kept(client) -> None:
    town = await small_town()
    await sign_in(client, await make_officer(town.organisation))
    before = await ExternalCoproduction.count()

    response = await client.submit(
        f"{MATRIX}extern/neu",
        {"name": "", "field": "999999", "mode": "co_nonsense", "description": "Bleibt <stehen>"},
    )

    assert response.status_code == 400
    assert "Bleibt &lt;stehen&gt;" in response.text
    assert response.text.count('aria-invalid="true"') == 3
    assert await ExternalCoproduction.count() == before


async def test_ideas_are_noted_on_the_cell_page_and_empty_ones_refused(client) -> None:
    town = await small_town()
    await sign_in(client, await make_officer(town.organisation))
    url = cell_url(town.environment, Mode.CO_COMMISSION)

    refused = await client.submit(f"{url}/ideen", {"text": "   "})
    assert refused.status_code == 400 and "Bitte füllen Sie dieses Feld aus." in refused.text

    response = await client.submit(f"{url}/ideen", {"text": "Ein Klimarat mit Losverfahren"})
    assert response.status_code == 303
    page = await client.get(url)
    assert "Ein Klimarat mit Losverfahren" in page.text
    idea = (
        await InventoryIdea.objects()
        .where(InventoryIdea.text == "Ein Klimarat mit Losverfahren")
        .first()
    )
    assert idea.organisation == town.organisation.id and idea.mode == Mode.CO_COMMISSION.value
    logged = await AuditEntry.select(AuditEntry.action, AuditEntry.summary).where(
        AuditEntry.target_id == idea.id, AuditEntry.target_type == "inventory_idea"
    )
    assert [row["action"] for row in logged] == ["inventory_idea_added"]
    assert logged[0]["summary"] == "Umwelt und Klima · Mit-Steuern"


async def test_admin_chooses_the_organisation_and_staff_without_one_cannot_add(client) -> None:
    town = await small_town()
    await sign_in(client, await make_user(role=Role.ADMIN))
    form = await client.get(f"{MATRIX}extern/neu?field={town.youth}&mode=co_design")
    assert form.status_code == 200 and 'name="organisation"' in form.text
    data = {"name": "Jugendforum", "field": str(town.youth), "mode": "co_design"}

    missing = await client.submit(f"{MATRIX}extern/neu", data)
    assert missing.status_code == 400 and 'value="Jugendforum"' in missing.text

    response = await client.submit(
        f"{MATRIX}extern/neu", data | {"organisation": str(town.other.id)}
    )
    assert response.status_code == 303
    entry = (
        await ExternalCoproduction.objects()
        .where(ExternalCoproduction.name == "Jugendforum")
        .first()
    )
    assert entry.organisation == town.other.id and not entry.running

    loner = await make_user(role=Role.OFFICER)
    await sign_in(client, loner)
    assert (await client.get(f"{MATRIX}extern/neu")).status_code == 403
    assert (await client.submit(f"{MATRIX}extern/neu", data)).status_code == 403
    assert (await client.get(MATRIX)).status_code == 200
