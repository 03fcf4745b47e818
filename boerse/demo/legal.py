"""The demo town's legal pages: the shipped texts with Lindenau's (fictional) details.

Only pages nobody has saved yet are filled, so `boerse demo --force` on an installation
never overwrites a town's own texts."""

from __future__ import annotations

from boerse.legal.services import legal_pages, save_legal_page

TOWN_HALL = "Marktplatz 1"
POSTCODE_TOWN = "04177 {town}"

DETAILS: dict[str, str] = {
    "[Name der Stadtverwaltung]": "Stadt {town}",
    "[Straße und Hausnummer]": TOWN_HALL,
    "[Postleitzahl und Ort]": POSTCODE_TOWN,
    "[Name und Amtsbezeichnung der Bürgermeisterin oder des Bürgermeisters]": (
        "Oberbürgermeisterin Dr. Claudia Brandt"
    ),
    "[Telefonnummer]": "0341 4711-0",
    "[E-Mail-Adresse]": "mitmachen@lindenau.example",
    "[Name des Amtes oder der Stabsstelle]": "Stabsstelle Bürgerbeteiligung",
    "[Name und Anschrift der Kommunalaufsichtsbehörde]": (
        "Landratsamt Lindenauer Land, Referat Kommunalaufsicht, Am Landratsamt 1, 04179 {town}"
    ),
    "[USt-IdNr. – diesen Abschnitt löschen, wenn die Stadt keine hat]": "DE 123 456 789",
    "[Name und Funktion der verantwortlichen Person]": (
        "Birgit Sommer, Leiterin der Stabsstelle Bürgerbeteiligung"
    ),
    "[Anschrift der verantwortlichen Person]": f"{TOWN_HALL}, {POSTCODE_TOWN}",
    "[Name oder Funktionsbezeichnung der oder des Datenschutzbeauftragten]": (
        "Der Datenschutzbeauftragte der Stadt {town}"
    ),
    "[Anschrift]": f"{TOWN_HALL}, {POSTCODE_TOWN}",
    "[E-Mail-Adresse der oder des Datenschutzbeauftragten]": "datenschutz@lindenau.example",
    "[Vorschrift des Landesdatenschutzgesetzes für öffentliche Stellen]": (
        "§ 3 Sächsisches Datenschutzdurchführungsgesetz (SächsDSDG)"
    ),
    "[Speicherdauer der Server-Protokolle, z. B. 7 Tagen]": "7 Tagen",
    "[Name und Anschrift des Rechenzentrums oder IT-Dienstleisters]": (
        "Kommunales Rechenzentrum Lindenauer Land, Am Landratsamt 3, 04179 {town}"
    ),
    "[Name und Anschrift des E-Mail-Dienstleisters]": (
        "Kommunales Rechenzentrum Lindenauer Land (eigener Mailserver)"
    ),
    "[Name und Anschrift der oder des Landesbeauftragten für den Datenschutz]": (
        "Die Sächsische Datenschutz- und Transparenzbeauftragte, Devrientstraße 5, 01067 Dresden"
    ),
    "[sowie der Vorschrift des Landesrechts, z. B. des Landesinklusionsgesetzes]": (
        "sowie dem Barrierefreie-Websites-Gesetz des Freistaates Sachsen"
    ),
    "[Bekannte Barriere 1: was ist betroffen, warum, welche Alternative gibt es]": (
        "Die Diagramme der Ergebnisse sind zusätzlich als Tabelle verfügbar; die Farben "
        "der Balken allein tragen keine Bedeutung. Angebote, die Partnerorganisationen "
        "einstellen, enthalten manchmal PDF-Dateien, die nicht barrierefrei sind."
    ),
    "[Bekannte Barriere 2 – oder diese Zeile löschen]": (
        "Eine Fassung in Leichter Sprache gibt es noch nicht; sie ist für 2027 geplant."
    ),
    "[Datum der Erstellung]": "2. November 2026",
    "[Name der prüfenden Stelle]": "die Stabsstelle Bürgerbeteiligung",
    "[Datum der letzten Überprüfung]": "30. November 2026",
    "[Name der zuständigen Stelle]": "Stadt {town}, Bürgerservice und Beschwerdemanagement",
    "[E-Mail-Adresse für Rückmeldungen zur Barrierefreiheit]": (
        "barrierefreiheit@lindenau.example"
    ),
    "[Frist, z. B. zwei Wochen]": "zwei Wochen",
    "[Schlichtungs- oder Durchsetzungsstelle des Landes mit Anschrift und Website]": (
        "Für die Stadt {town} ist die Durchsetzungsstelle des Landes zuständig "
        "(Demo-Angabe): Durchsetzungsstelle für digitale Barrierefreiheit, "
        "E-Mail: durchsetzung@land.example"
    ),
}
"""Each placeholder of the shipped texts and the demo town's entry for it."""


def fill(text: str, town: str) -> str:
    for placeholder, value in DETAILS.items():
        text = text.replace(placeholder, value.replace("{town}", town))
    return text


async def legal_texts(town: str, admin_id: int) -> None:
    """Saves the filled-in texts as the demo admin, for pages still on the shipped text."""
    for page in await legal_pages():
        if page.is_default:
            await save_legal_page(page.kind, fill(page.body, town), admin_id)
