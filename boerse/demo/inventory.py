"""The demo town's inventory (Bestandsaufnahme): co-production that runs outside the Börse
and officers' ideas for empty cells, so the matrix shows offers of the Börse, external
co-production and real gaps on first start; and the potential rollup, built once here so the
potential page shows the demo town's residents and open offers before the worker runs."""

from __future__ import annotations

from boerse.accounts.tables import Organisation
from boerse.demo.town import ORGANISATIONS
from boerse.inventory.potential import rebuild_potential
from boerse.inventory.tables import ExternalCoproduction, InventoryIdea
from boerse.lib.db import write_transaction
from boerse.opportunities.tables import Mode
from boerse.profiles.tables import FieldOfAction

# (organisation key, field slug, mode, name, description, running)
EXTERNAL: tuple[tuple[str, str, Mode, str, str, bool], ...] = (
    (
        "sportverein",
        "health",
        Mode.CO_DELIVER,
        "Bewegungstreff im Park",
        "Ehrenamtliche Übungsleiterinnen leiten zweimal in der Woche Gymnastik für alle an.",
        True,
    ),
    (
        "umwelt",
        "environment",
        Mode.CO_ASSESS,
        "Gewässerpatenschaften",
        "Schulklassen messen einmal im Monat die Wasserqualität der Weißen Elster.",
        True,
    ),
    (
        "planung",
        "urban",
        Mode.CO_COMMISSION,
        "Stadtteilbeirat West",
        "Gewählte Bewohnerinnen und Bewohner beraten den Stadtrat zu Bauvorhaben im Westen.",
        True,
    ),
    (
        "bibliothek",
        "culture",
        Mode.CO_DESIGN,
        "Neugestaltung der Kinderbibliothek",
        "Kinder haben 2025 mit einer Architektin die neuen Leseecken entworfen.",
        False,
    ),
    (
        "ordnung",
        "safety",
        Mode.CO_DELIVER,
        "Schulwegbegleitung",
        "Eltern begleiten Erstklässler morgens an drei gefährlichen Kreuzungen.",
        True,
    ),
)

# (organisation key, field slug, mode, text)
IDEAS: tuple[tuple[str, str, Mode, str], ...] = (
    (
        "ordnung",
        "safety",
        Mode.CO_ASSESS,
        "Nächtliche Begehung mit Frauen aus dem Viertel: Wo fühlen sie sich unsicher?",
    ),
    (
        "senioren",
        "elderly",
        Mode.CO_COMMISSION,
        "Ein Seniorenrat, der mitentscheidet, wofür das Budget der Begegnungsstätten ausgegeben wird.",
    ),
    (
        "jugend",
        "education",
        Mode.CO_DESIGN,
        "Schülerinnen und Schüler gestalten den Umbau des Schulhofs der Oberschule mit.",
    ),
)


async def demo_inventory(town_name: str) -> None:
    """Idempotent: writes nothing once an entry exists."""
    if await ExternalCoproduction.exists():
        return
    names = {org.key: org.name.replace("{town}", town_name) for org in ORGANISATIONS}
    organisations = {
        row["name"]: row["id"]
        for row in await Organisation.select(Organisation.id, Organisation.name)
    }
    fields = {
        row["slug"]: row["id"]
        for row in await FieldOfAction.select(FieldOfAction.id, FieldOfAction.slug)
    }
    entries = [
        ExternalCoproduction(
            name=name,
            field=fields[field],
            mode=mode.value,
            organisation=organisations[names[key]],
            description=description,
            running=running,
        )
        for key, field, mode, name, description, running in EXTERNAL
    ]
    ideas = [
        InventoryIdea(
            field=fields[field], mode=mode.value, text=text, organisation=organisations[names[key]]
        )
        for key, field, mode, text in IDEAS
    ]
    async with write_transaction():
        await ExternalCoproduction.insert(*entries)
        await InventoryIdea.insert(*ideas)
    # The potential page reads a rollup the worker refreshes every few minutes; building it
    # here lets the demo town show its potential on first start, before the worker's first run.
    await rebuild_potential()
