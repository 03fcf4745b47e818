"""The fictional town: its organisations, their officers and the venues where things happen.

The town lies in the west of the Leipzig region; venues use the real postcodes 04177–04179
and coordinates a few kilometres apart, so distances to residents of the region are real.
`{town}` in any text is replaced with the configured town name when loading."""

from __future__ import annotations

from boerse.accounts.tables import OrganisationKind
from boerse.demo.model import Officer, Org, Venue

COUNCIL = OrganisationKind.COUNCIL.value
PARTNER = OrganisationKind.PARTNER.value

ORGANISATIONS: tuple[Org, ...] = (
    Org(
        "umwelt",
        "Amt für Umwelt und Klimaschutz",
        COUNCIL,
        "Stadtgrün, Klimaanpassung, Abfallvermeidung und Naturschutz in {town}.",
        "https://www.lindenau.example/umwelt",
        (Officer("katrin.hoffmann@lindenau.example", "Katrin Hoffmann", "0341 4711-310"),),
    ),
    Org(
        "jugend",
        "Jugendamt",
        COUNCIL,
        "Offene Kinder- und Jugendarbeit, Kitas, Familienhilfe und Jugendbeteiligung.",
        "https://www.lindenau.example/jugend",
        (
            Officer("jonas.krueger@lindenau.example", "Jonas Krüger", "0341 4711-510"),
            Officer("miriam.yilmaz@lindenau.example", "Miriam Yılmaz", "0341 4711-512"),
        ),
    ),
    Org(
        "senioren",
        "Seniorenbüro",
        COUNCIL,
        "Beratung, Begegnung und Teilhabe für ältere Menschen und ihre Angehörigen.",
        "https://www.lindenau.example/senioren",
        (Officer("sabine.lehmann@lindenau.example", "Sabine Lehmann", "0341 4711-520"),),
    ),
    Org(
        "planung",
        "Stadtplanungsamt",
        COUNCIL,
        "Stadtentwicklung, Verkehrsplanung, Spielplätze und öffentliche Räume.",
        "https://www.lindenau.example/planung",
        (Officer("markus.wagner@lindenau.example", "Markus Wagner", "0341 4711-610"),),
    ),
    Org(
        "ordnung",
        "Ordnungsamt",
        COUNCIL,
        "Sicherheit und Ordnung, Verkehrsüberwachung und Prävention.",
        "https://www.lindenau.example/ordnung",
        (Officer("thomas.schulze@lindenau.example", "Thomas Schulze", "0341 4711-320"),),
    ),
    Org(
        "soziales",
        "Amt für Soziales und Integration",
        COUNCIL,
        "Soziale Hilfen, Integration Neuzugewanderter und Inklusion.",
        "https://www.lindenau.example/soziales",
        (Officer("leyla.aydin@lindenau.example", "Leyla Aydın", "0341 4711-530"),),
    ),
    Org(
        "kaemmerei",
        "Kämmerei",
        COUNCIL,
        "Haushalt und Finanzen der Stadt {town}.",
        "https://www.lindenau.example/haushalt",
        (Officer("frank.richter@lindenau.example", "Frank Richter", "0341 4711-200"),),
    ),
    Org(
        "buergerservice",
        "Bürgerservice und Beschwerdemanagement",
        COUNCIL,
        "Bürgerbüro, Ideen- und Beschwerdemanagement, Barrierefreiheit der Verwaltung.",
        "https://www.lindenau.example/buergerservice",
        (Officer("claudia.neumann@lindenau.example", "Claudia Neumann", "0341 4711-100"),),
    ),
    Org(
        "sozialwerk",
        "Sozialwerk {town} e. V.",
        PARTNER,
        "Gemeinnütziger Träger für Nachbarschaftshilfe, Besuchsdienste und Lebensmittelausgabe.",
        "https://www.sozialwerk-lindenau.example",
        (Officer("petra.schmitt@sozialwerk-lindenau.example", "Petra Schmitt", "0341 880 12-0"),),
    ),
    Org(
        "sportverein",
        "SV Grün-Weiß {town} 1921 e. V.",
        PARTNER,
        "Breitensportverein mit Fußball, Turnen, Leichtathletik und Gesundheitssport.",
        "https://www.gruen-weiss-lindenau.example",
        (Officer("dennis.bauer@gruen-weiss-lindenau.example", "Dennis Bauer", "0341 880 34-5"),),
    ),
    Org(
        "bibliothek",
        "Förderverein Stadtbibliothek {town} e. V.",
        PARTNER,
        "Freundeskreis der Stadtbibliothek: Leseförderung, Lesungen und Bibliothek der Dinge.",
        "https://www.bibliothek-lindenau.example/foerderverein",
        (Officer("ursula.fischer@bibliothek-lindenau.example", "Ursula Fischer", "0341 880 56-7"),),
    ),
)

STEP_FREE = "Stufenloser Zugang, barrierefreies WC im Erdgeschoss."

VENUES: dict[str, Venue] = {
    "rathaus": Venue(
        "Rathaus {town}, Ratssaal",
        "Marktplatz 1",
        "04177",
        51.3392,
        12.3318,
        "Stufenloser Eingang am Seiteneingang Kirchgasse, Aufzug, barrierefreies WC, "
        "Induktionsschleife im Ratssaal.",
    ),
    "buergerhaus": Venue(
        "Bürgerhaus West",
        "Lindenallee 44",
        "04177",
        51.3365,
        12.3241,
        STEP_FREE + " Parkplätze für Menschen mit Behinderung am Haus.",
    ),
    "bibliothek": Venue(
        "Stadtbibliothek {town}",
        "Schulstraße 5",
        "04177",
        51.3411,
        12.3357,
        STEP_FREE + " Leselupen und Großdruckbücher vor Ort.",
    ),
    "jugendhaus": Venue(
        "Jugendhaus Kompass",
        "Bahnhofstraße 28",
        "04179",
        51.3441,
        12.3189,
        "Erdgeschoss stufenlos, Werkstatt im Keller nur über Treppe erreichbar.",
    ),
    "stadtpark": Venue(
        "Stadtpark {town}, Eingang Parkstraße",
        "Parkstraße",
        "04178",
        51.3335,
        12.3102,
        "Befestigte Hauptwege, teils Kies; Toilette im Parkcafé (barrierefrei).",
    ),
    "sonnenhof": Venue(
        "Begegnungsstätte Sonnenhof",
        "Mühlenweg 12",
        "04178",
        51.3318,
        12.3285,
        STEP_FREE + " Sitzgelegenheiten mit Armlehnen, ruhiger Raum vorhanden.",
    ),
    "sportpark": Venue(
        "Sportpark am Auwald",
        "Auenweg 3",
        "04179",
        51.3462,
        12.3071,
        "Vereinsheim stufenlos, Sportplatz über befestigten Weg erreichbar.",
    ),
    "grundschule": Venue(
        "Grundschule am Lindenplatz",
        "Lindenplatz 2",
        "04177",
        51.3379,
        12.3392,
        "Aula stufenlos über den Hofeingang, barrierefreies WC.",
    ),
    "familienzentrum": Venue(
        "Familienzentrum Regenbogen",
        "Gartenstraße 9",
        "04179",
        51.3427,
        12.3254,
        STEP_FREE + " Wickelraum und Spielecke vorhanden.",
    ),
    "marktplatz": Venue(
        "Marktplatz {town}",
        "Marktplatz",
        "04177",
        51.3395,
        12.3322,
        "Treffpunkt vor dem Rathaus; Kopfsteinpflaster, Bänke am Brunnen.",
    ),
    "sozialwerk": Venue(
        "Sozialwerk {town}, Nachbarschaftszentrum",
        "Kirchgasse 7",
        "04177",
        51.3401,
        12.3301,
        "Eingang mit Rampe, barrierefreies WC.",
    ),
    "fahrschule": Venue(
        "Fahrschule Weber, Schulungsraum",
        "Bahnhofstraße 17",
        "04179",
        51.3436,
        12.3205,
        "Schulungsraum im Erdgeschoss, stufenlos.",
    ),
}

ONLINE_ACCESSIBILITY = (
    "Online per Videokonferenz im Browser, ohne Installation; Teilnahme auch per Telefon "
    "möglich. Untertitel auf Wunsch."
)

ADMIN = Officer("admin@lindenau.example", "Birgit Sommer", "0341 4711-0")
DEMO_PASSWORD = "mitmachen2026"
# Base32 TOTP secret of the demo officer with a second factor (public on purpose).
DEMO_TOTP_SECRET = "LINDENAUDEMOZWEIFAKTORJONASKRUEG"
