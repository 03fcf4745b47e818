"""Mit-Steuern: residents help decide goals, priorities and money."""

from __future__ import annotations

from boerse.demo.model import Offer, slots
from boerse.opportunities.tables import Mode, OpportunityStatus

M = Mode.CO_COMMISSION

OFFERS: tuple[Offer, ...] = (
    Offer(
        "jugend",
        M,
        "youth",
        "Jugendbeirat: Ziele der Jugendarbeit mitbestimmen",
        "Jugendliche zwischen 14 und 21 Jahren legen mit dem Jugendamt fest, woran sich die offene Jugendarbeit messen lassen soll.",
        "Das Jugendamt überarbeitet die Ziele für Jugendhäuser, Streetwork und Ferienangebote. "
        "Statt sie am Schreibtisch festzulegen, entscheiden Jugendliche mit: Was brauchen junge "
        "Menschen in {town}, um eine Ausbildung zu finden, sicher unterwegs zu sein und sich "
        "einzumischen? In drei Workshops sammeln wir Ihre Erfahrungen, formulieren Ziele und "
        "legen fest, woran wir Fortschritte erkennen. Die Ergebnisse gehen als Vorlage in den "
        "Jugendhilfeausschuss.",
        "Jugendliche verbessern ihre Chancen auf Ausbildung und Arbeit; die Angebote orientieren "
        "sich messbar an ihrem Bedarf.",
        "jugendhaus",
        slots((-20, "17:00", 2.5), (9, "17:00", 2.5), (30, "17:00", 2.5)),
        capacity=16,
        weekday="wed",
        desired=("moderation", "youth-work"),
        languages=("de", "en", "ar"),
        min_age=14,
        demand=0.7,
    ),
    Offer(
        "kaemmerei",
        M,
        "social",
        "Bürgerkommission Haushalt: Soziales und Nachbarschaft",
        "Finden Sie gemeinsam mit anderen Bürgerinnen und Bürgern Sparmöglichkeiten und neue Lösungen im Sozialbereich.",
        "Dem Haushalt von {town} fehlen in den nächsten Jahren rund 4 Millionen Euro. Der "
        "Stadtrat hat Sparziele und Grenzen festgelegt; wie sie erreicht werden, erarbeiten "
        "Bürgerkommissionen. In dieser Kommission prüfen Sie Leistungen im Bereich Soziales und "
        "Nachbarschaft, hören Fachleute der Verwaltung an und schlagen Maßnahmen vor. Ihre "
        "Vorschläge beraten Verwaltung und Stadtrat öffentlich.",
        "Ein tragfähiger Haushalt, dessen Einsparungen in der Stadtgesellschaft verstanden und "
        "mitgetragen werden.",
        "rathaus",
        slots((-35, "18:00", 3), (-7, "18:00", 3), (21, "18:00", 3)),
        capacity=25,
        weekday="tue",
        required=("organising",),
        desired=("accounting", "moderation"),
        demand=0.8,
    ),
    Offer(
        "kaemmerei",
        M,
        "culture",
        "Bürgerkommission Haushalt: Kultur, Sport und Freizeit",
        "Bibliothek, Bäder, Sportstätten und Feste: Wo kann die Stadt sparen, und was muss bleiben?",
        "Die Kommission nimmt Kultur-, Sport- und Freizeitangebote unter die Lupe. Sie erhalten "
        "Kennzahlen zu Kosten und Nutzung, besichtigen Einrichtungen und entwickeln mit der "
        "Kämmerei Vorschläge, etwa neue Betreibermodelle oder gemeinsame Nutzung von Räumen. "
        "Vorkenntnisse sind nicht nötig, Neugier und etwas Zeit schon.",
        "Kultur- und Freizeitangebote bleiben erhalten, während die Kosten sinken.",
        "rathaus",
        slots((-28, "18:00", 3), (14, "18:00", 3), (42, "18:00", 3)),
        capacity=25,
        weekday="thu",
        desired=("accounting", "data"),
        demand=0.5,
    ),
    Offer(
        "kaemmerei",
        M,
        "urban",
        "Bürgerkommission Haushalt: Verkehr und Stadtgrün",
        "Straßenunterhalt, Grünpflege, Winterdienst: Gestalten Sie Prioritäten für knappe Mittel.",
        "Wie viel Grünpflege braucht ein Park, welche Straßen werden zuerst saniert, und wo "
        "können Patenschaften helfen? Die Kommission wertet Daten des Bauhofs aus, diskutiert "
        "Alternativen und legt dem Stadtrat eine begründete Prioritätenliste vor.",
        "Verkehrswege und Grünflächen bleiben sicher und gepflegt, die Mittel gehen dorthin, wo "
        "sie am meisten bewirken.",
        "rathaus",
        slots((16, "18:00", 3), (44, "18:00", 3)),
        capacity=25,
        weekday="wed",
        desired=("planning", "data"),
        demand=0.45,
    ),
    Offer(
        "senioren",
        M,
        "elderly",
        "Seniorenplan 2027: Prioritäten setzen",
        "Ältere Menschen entscheiden mit, welche Vorhaben der neue Seniorenplan zuerst angeht.",
        "Mehr Bänke, ein Mittagstisch im Quartier oder Hilfe bei Behördengängen? Das Seniorenbüro "
        "hat aus Befragungen 24 mögliche Vorhaben gesammelt. In einem moderierten Treffen "
        "bewerten Sie diese nach Wirkung und Dringlichkeit. Die fünf wichtigsten werden in den "
        "Seniorenplan aufgenommen und mit Geld hinterlegt.",
        "Ältere Menschen in {town} leben länger selbstständig und sind weniger einsam.",
        "sonnenhof",
        slots(
            (11, "10:00", 2.5),
        ),
        capacity=30,
        weekday="tue",
        languages=("de", "ru"),
        demand=0.9,
    ),
    Offer(
        "umwelt",
        M,
        "environment",
        "Klimabeirat: Maßnahmen des Klimaschutzkonzepts gewichten",
        "Das Klimaschutzkonzept enthält 40 Maßnahmen. Entscheiden Sie mit, welche zuerst umgesetzt werden.",
        "Der Klimabeirat aus Bürgerinnen und Bürgern, Fachleuten und Verwaltung berät das Amt "
        "für Umwelt und Klimaschutz. Im nächsten Treffen bewerten wir Maßnahmen nach "
        "CO₂-Einsparung, Kosten und Beteiligungsmöglichkeiten. Wir suchen Menschen aus allen "
        "Stadtteilen und Altersgruppen, gerade auch solche, die sich bisher nicht beteiligt haben.",
        "Die Stadt senkt ihre Treibhausgasemissionen bis 2030 um 65 Prozent gegenüber 1990.",
        "rathaus",
        slots((6, "18:30", 2.5), (34, "18:30", 2.5)),
        capacity=20,
        weekday="thu",
        desired=("data", "planning"),
        languages=("de", "en"),
        demand=1.2,
    ),
    Offer(
        "jugend",
        M,
        "youth",
        "Qualität in der Kita: Eltern bestimmen Ziele mit",
        "Eltern legen mit dem Jugendamt fest, was gute Kinderbetreuung in {town} ausmacht.",
        "Die städtischen Kitas erhalten neue Qualitätsziele. Dazu laden wir Eltern zu einem "
        "Abend mit Kinderbetreuung ein: Was ist Ihnen bei Eingewöhnung, Sprache, Essen und "
        "Zusammenarbeit wichtig? Aus Ihren Antworten entsteht ein Zielkatalog, der jährlich "
        "überprüft wird.",
        "Alle Kinder erhalten in der Kita gute Bildungschancen; Eltern sind Partner der Kita.",
        "familienzentrum",
        slots(
            (18, "19:00", 2),
        ),
        capacity=20,
        weekday="tue",
        languages=("de", "tr", "ar", "uk"),
        accessibility="Kinderbetreuung während des Treffens. Dolmetschen auf Anfrage.",
        demand=0.55,
    ),
    Offer(
        "soziales",
        M,
        "social",
        "Beirat Barrierefreiheit: Welche Hürden fallen zuerst?",
        "Menschen mit Behinderung setzen die Reihenfolge für den Abbau von Barrieren in öffentlichen Gebäuden.",
        "Die Stadt hat 2027 Mittel für den Umbau öffentlicher Gebäude eingeplant. Welche "
        "Barrieren stören im Alltag am meisten: fehlende Aufzüge, schwer lesbare Schilder, "
        "Formulare? Der Beirat bewertet die Liste der Bauverwaltung und ergänzt sie aus eigener "
        "Erfahrung. Gebärdensprachdolmetschung ist gebucht.",
        "Menschen mit Behinderung nutzen städtische Angebote ohne fremde Hilfe.",
        "rathaus",
        slots(
            (24, "16:00", 2.5),
        ),
        capacity=18,
        weekday="wed",
        languages=("de", "dgs", "ls"),
        accessibility="Gebärdensprachdolmetschung, Unterlagen in Leichter Sprache und Großdruck.",
        demand=0.5,
    ),
    Offer(
        "soziales",
        M,
        "social",
        "Jury Stadtteilfonds: 20.000 Euro für Nachbarschaftsideen vergeben",
        "Entscheiden Sie, welche Nachbarschaftsprojekte aus dem Stadtteilfonds gefördert werden.",
        "Jedes Jahr können Initiativen kleine Zuschüsse für Straßenfeste, Gemeinschaftsgärten "
        "oder Nachbarschaftscafés beantragen. Über die Vergabe entscheidet eine Jury aus "
        "Bewohnerinnen und Bewohnern. Sie lesen die Anträge vorab (etwa zwei Stunden) und "
        "beraten in einer Sitzung. Die Geschäftsstelle unterstützt Sie.",
        "Mehr Menschen engagieren sich in ihrer Nachbarschaft; kleine Ideen werden schnell umgesetzt.",
        "buergerhaus",
        slots(
            (27, "18:00", 3),
        ),
        capacity=9,
        weekday="mon",
        desired=("accounting",),
        demand=1.3,
    ),
    Offer(
        "ordnung",
        M,
        "safety",
        "Präventionsrat Bahnhofsviertel",
        "Anwohnende, Gewerbe und Ordnungsamt vereinbaren, was das Bahnhofsviertel sicherer macht.",
        "Im Bahnhofsviertel fühlen sich viele abends unwohl. Der Präventionsrat bringt "
        "Anwohnende, Geschäftsleute, Polizei, Streetwork und Ordnungsamt an einen Tisch. "
        "Gemeinsam legen Sie Schwerpunkte fest, etwa Beleuchtung, Präsenz oder Angebote für "
        "Jugendliche, und überprüfen halbjährlich, was sich verändert hat.",
        "Weniger Straftaten und ein höheres Sicherheitsgefühl im Bahnhofsviertel.",
        "jugendhaus",
        slots((-42, "18:00", 2), (13, "18:00", 2)),
        capacity=15,
        weekday="thu",
        demand=0.6,
    ),
    Offer(
        "soziales",
        M,
        "integration",
        "Integrationsbeirat: Handlungsprogramm Zusammenleben",
        "Zugewanderte und Alteingesessene bestimmen die Schwerpunkte der Integrationsarbeit.",
        "Das Handlungsprogramm legt fest, wofür die Stadt in den nächsten drei Jahren Geld und "
        "Personal in der Integrationsarbeit einsetzt: Sprachkurse, Arbeitsmarkt, Wohnen, "
        "Begegnung. Der Beirat diskutiert den Entwurf in mehreren Sprachen und entscheidet über "
        "Änderungen mit.",
        "Neuzugewanderte finden schneller Arbeit, Wohnung und Anschluss in {town}.",
        "buergerhaus",
        slots(
            (20, "17:30", 2.5),
        ),
        capacity=24,
        weekday="wed",
        languages=("de", "ar", "uk", "fa", "tr"),
        accessibility="Stufenloser Zugang. Dolmetschende für Arabisch, Ukrainisch, Persisch und Türkisch.",
        demand=0.75,
    ),
    Offer(
        "bibliothek",
        M,
        "culture",
        "Bibliotheksbeirat: Das Programm 2027 mitbestimmen",
        "Welche Lesungen, Kurse und Medien soll die Stadtbibliothek anbieten? Sie entscheiden mit.",
        "Der Förderverein lädt Leserinnen und Leser, aber ausdrücklich auch Nicht-Nutzende ein. "
        "Wir stellen Nutzungszahlen und Wünsche aus der Leserbefragung vor und vergeben "
        "gemeinsam das Programmbudget des Vereins.",
        "Die Bibliothek erreicht mehr Menschen, besonders Jugendliche und Neuzugewanderte.",
        "bibliothek",
        slots(
            (32, "18:00", 2),
        ),
        capacity=20,
        weekday="tue",
        demand=0.35,
    ),
    Offer(
        "sportverein",
        M,
        "culture",
        "Hallenzeiten fair verteilen: Runder Tisch Sport",
        "Vereine, Schulen und freie Gruppen vereinbaren Regeln für die Belegung der Sporthallen.",
        "Die Hallen sind abends voll, vormittags leer. Am Runden Tisch erarbeiten wir Kriterien "
        "für eine faire Vergabe, zum Beispiel Vorrang für Kinder- und Inklusionssport. Der "
        "Sportausschuss hat zugesagt, die Empfehlung zu übernehmen.",
        "Mehr Kinder und Jugendliche treiben regelmäßig Sport im Verein.",
        "sportpark",
        slots(
            (15, "19:00", 2),
        ),
        capacity=14,
        weekday="mon",
        desired=("sports", "organising"),
        demand=0.6,
    ),
    Offer(
        "planung",
        M,
        "youth",
        "Schülerhaushalt: 5.000 Euro für den Schulhof",
        "Schülerinnen und Schüler entscheiden selbst, wie ihr Schulhof umgestaltet wird.",
        "Die Grundschule am Lindenplatz erhält 5.000 Euro für den Schulhof. Die Kinder sammeln "
        "Ideen, rechnen mit Unterstützung der Verwaltung Kosten aus und stimmen ab. Wir suchen "
        "Erwachsene, die die Klassenräte dabei begleiten.",
        "Kinder erleben, dass ihre Stimme zählt, und nutzen den Schulhof mehr für Bewegung.",
        "grundschule",
        slots((8, "14:00", 2), (22, "14:00", 2)),
        capacity=8,
        weekday="wed",
        required=("youth-work",),
        desired=("moderation",),
        demand=0.5,
    ),
    Offer(
        "sozialwerk",
        M,
        "health",
        "Gesundheitskonferenz West: Ziele für das Quartier",
        "Bewohnende, Ärztinnen, Pflegedienste und Vereine setzen gemeinsame Gesundheitsziele.",
        "Im Westen von {town} ist die Lebenserwartung niedriger als im Rest der Stadt. Die "
        "Gesundheitskonferenz will das ändern und legt fest, worauf sich alle Beteiligten in den "
        "nächsten zwei Jahren konzentrieren: Bewegung, Ernährung, seelische Gesundheit oder "
        "Vorsorge.",
        "Die Menschen im Quartier leben gesünder und nutzen Vorsorgeangebote.",
        "sozialwerk",
        slots(
            (50, "17:00", 3),
        ),
        capacity=30,
        weekday="wed",
        status=OpportunityStatus.DRAFT,
        demand=0.0,
    ),
)
