"""The curated qualifications, written like the profile taxonomies: missing entries are
inserted after every migration, so a town gets new ones with an update."""

from __future__ import annotations

from boerse.lib.i18n import N_
from boerse.requirements.tables import Qualification

QUALIFICATIONS: tuple[tuple[str, str], ...] = (
    ("erste-hilfe", N_("Erste-Hilfe-Kurs")),
    ("juleica", N_("Jugendleiter-Card (Juleica)")),
    ("fuehrerschein-b", N_("Führerschein Klasse B")),
    ("hygiene", N_("Hygieneschulung (§ 43 IfSG)")),
    ("rettungsschwimmer", N_("Rettungsschwimmer (Abzeichen Silber)")),
    ("uebungsleiter", N_("Übungsleiter-Lizenz")),
    ("sanitaetsdienst", N_("Sanitätsdienst-Ausbildung")),
)


async def ensure_qualifications() -> None:
    """Insert missing curated entries (by slug); idempotent, renamed entries stay renamed."""
    known = {row["slug"] for row in await Qualification.select(Qualification.slug)}
    new = [
        Qualification(slug=slug, name=name, position=index)
        for index, (slug, name) in enumerate(QUALIFICATIONS)
        if slug not in known
    ]
    if new:
        await Qualification.insert(*new)
