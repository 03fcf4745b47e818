"""Mit-Bewerten: residents rate public services and places and say what should change."""

from __future__ import annotations

from boerse.demo.model import Offer, slots
from boerse.opportunities.tables import Mode, OpportunityStatus

M = Mode.CO_ASSESS

OFFERS: tuple[Offer, ...] = (
    Offer(
        "senioren",
        M,
        "elderly",
        "Demenzfreundlicher Stadtteil: Begehung mit Checkliste",
        "Menschen mit Demenz und ihre Begleitung prüfen mit einer Checkliste, wie gut sie sich im Stadtteil zurechtfinden.",
        "Sind Schilder lesbar, gibt es Bänke und Toiletten, helfen Verkäuferinnen weiter? Auf "
        "einem Spaziergang durch den Stadtteil West bewerten Menschen mit Demenz, Angehörige, "
        "Stadtplanerinnen und Ehrenamtliche gemeinsam Wege, Geschäfte und Haltestellen. Die "
        "Ergebnisse stellt das Seniorenbüro dem Stadtrat vor.",
        "Öffentliche Räume werden demenzfreundlicher; Menschen mit Demenz nehmen länger am "
        "Stadtleben teil.",
        "sonnenhof",
        slots((-19, "10:00", 2.5), (-6, "10:00", 2.5), (22, "10:00", 2.5)),
        capacity=14,
        weekday="tue",
        desired=("dementia", "surveying"),
        accessibility="Langsames Tempo, Pausen mit Sitzgelegenheit, Begleitpersonen willkommen.",
        demand=0.7,
    ),
    Offer(
        "planung",
        M,
        "urban",
        "Zeig uns Deinen Lieblingsplatz: Stadtkarte zum Mitmachen",
        "Tragen Sie Ihre Lieblingsorte in {town} in eine Online-Karte ein und sagen Sie, was sie besonders macht.",
        "Für den neuen Stadtentwicklungsplan wollen wir wissen, welche Orte den Menschen "
        "wichtig sind und warum. Beim Online-Auftakt erklären wir die Karte; danach tragen Sie "
        "Orte ein, wann immer Sie möchten. Beim Abschlusstreffen schauen wir gemeinsam auf das "
        "Ergebnis.",
        "Plätze, die Menschen lieben, werden geschützt und gestärkt; Planung folgt dem Alltag.",
        None,
        slots((-14, "19:00", 1), (28, "19:00", 1.5, "Abschlusstreffen, Zugangslink per E-Mail")),
        capacity=100,
        weekday="wed",
        desired=("photography",),
        languages=("de", "en"),
        demand=0.6,
    ),
    Offer(
        "buergerservice",
        M,
        "social",
        "Bürgerpanel Beschwerden: Aus Ärger lernen",
        "Sichten Sie anonymisierte Beschwerden mit uns und helfen Sie, daraus Verbesserungen abzuleiten.",
        "Jede Beschwerde ist ein kostenloser Hinweis, was nicht funktioniert. Das Panel liest "
        "einmal im Quartal anonymisierte Beschwerden, ordnet sie und schlägt Änderungen vor. "
        "Beim nächsten Treffen berichtet die Verwaltung, was aus den letzten Vorschlägen "
        "geworden ist.",
        "Häufige Beschwerdegründe verschwinden, Dienste werden besser.",
        "rathaus",
        slots((-29, "17:00", 2), (27, "17:00", 2)),
        capacity=12,
        weekday="thu",
        desired=("data", "law"),
        demand=0.5,
    ),
    Offer(
        "jugend",
        M,
        "youth",
        "Jugend-Check: Wie gut sind unsere Freizeitangebote?",
        "Jugendliche testen Jugendhäuser, Sportangebote und Beratungsstellen und vergeben Noten.",
        "Wie fühlt es sich an, zum ersten Mal ins Jugendhaus zu gehen? Jugendliche besuchen in "
        "kleinen Teams Einrichtungen, bewerten sie mit einem selbst entwickelten Bogen und "
        "präsentieren ihre Ergebnisse dem Jugendhilfeausschuss.",
        "Freizeit- und Beratungsangebote passen zu dem, was Jugendliche brauchen.",
        "jugendhaus",
        slots((-9, "16:00", 3), (19, "16:00", 3)),
        capacity=12,
        weekday="fri",
        desired=("surveying",),
        min_age=13,
        demand=0.65,
    ),
    Offer(
        "planung",
        M,
        "youth",
        "Spielplatz-Check mit Familien",
        "Familien bewerten die Spielplätze der Stadt: Sicherheit, Schatten, Sauberkeit und Spaß.",
        "Mit einem kurzen Bewertungsbogen besuchen Familien an einem Samstag drei Spielplätze "
        "ihrer Wahl. Die Ergebnisse bestimmen, welche Spielplätze zuerst saniert werden.",
        "Sichere, schattige und beliebte Spielplätze in allen Stadtteilen.",
        "marktplatz",
        slots(
            (-13, "10:00", 3),
        ),
        capacity=30,
        weekday="sat",
        desired=("surveying", "photography"),
        demand=0.6,
    ),
    Offer(
        "buergerservice",
        M,
        "social",
        "Barriere-Check im Rathaus",
        "Prüfen Sie mit Rollstuhl, Rollator, Kinderwagen oder Langstock, wie zugänglich das Rathaus ist.",
        "Vom Eingang bis zum Bürgerbüro: Menschen mit unterschiedlichen Einschränkungen testen "
        "Wege, Schilder, Wartebereiche und Formulare. Ein Architekt der Bauverwaltung ist dabei "
        "und nimmt Mängel direkt auf.",
        "Das Rathaus ist für alle ohne fremde Hilfe nutzbar.",
        "rathaus",
        slots(
            (-11, "10:00", 2),
        ),
        capacity=12,
        weekday="wed",
        desired=("surveying",),
        languages=("de", "dgs"),
        accessibility="Gebärdensprachdolmetschung gebucht; Begleitpersonen willkommen.",
        demand=0.6,
    ),
    Offer(
        "planung",
        M,
        "urban",
        "Radwege-Test: Wo wird es gefährlich?",
        "Fahren Sie mit uns die Hauptradrouten ab und bewerten Sie Belag, Ampeln und Gefahrenstellen.",
        "In kleinen Gruppen fahren wir vier Routen ab und dokumentieren Stellen mit Fotos und "
        "Bewertungsbogen. Die Ergebnisse fließen in das Radverkehrskonzept.",
        "Mehr Menschen fahren sicher Rad; Unfallschwerpunkte werden beseitigt.",
        "marktplatz",
        slots(
            (12, "10:00", 3),
        ),
        capacity=16,
        weekday="sat",
        required=("cycling",),
        desired=("photography",),
        demand=0.5,
    ),
    Offer(
        "buergerservice",
        M,
        "social",
        "Testkundschaft im Bürgerbüro",
        "Erledigen Sie als Testkunde ein echtes Anliegen im Bürgerbüro und berichten Sie von Ihren Erfahrungen.",
        "Wie lange dauert es, einen Termin zu bekommen? Werden Sie verstanden? Testkundinnen "
        "und Testkunden durchlaufen typische Anliegen, online und vor Ort, und bewerten sie mit "
        "einem Leitfaden. Die Mitarbeitenden besprechen die Ergebnisse mit Ihnen.",
        "Kürzere Wege und verständliche Auskünfte im Bürgerbüro.",
        "rathaus",
        slots((-25, "09:00", 2), (10, "09:00", 2)),
        capacity=10,
        weekday="tue",
        desired=("surveying", "writing"),
        languages=("de", "en", "tr", "ar"),
        demand=0.6,
    ),
    Offer(
        "ordnung",
        M,
        "environment",
        "Sauberkeits-Check im Quartier",
        "Bewerten Sie Straßen, Plätze und Papierkörbe in Ihrem Quartier nach einem einfachen Schema.",
        "Wo liegt regelmäßig Müll, welche Papierkörbe quellen über? Mit einem Bewertungsbogen "
        "gehen Sie eine Route in Ihrem Quartier ab. Die Stadtreinigung passt danach ihre "
        "Touren an.",
        "Sauberere Straßen bei gleichem Aufwand der Stadtreinigung.",
        "marktplatz",
        slots((-3, "17:00", 2), (25, "17:00", 2)),
        capacity=20,
        weekday="thu",
        desired=("surveying",),
        demand=0.4,
    ),
    Offer(
        "bibliothek",
        M,
        "culture",
        "Leserunde: Die Stadtbibliothek auf dem Prüfstand",
        "Sagen Sie uns, was an Öffnungszeiten, Beratung und Medienangebot gut ist und was fehlt.",
        "In einer moderierten Runde bewerten Leserinnen und Leser die Angebote der "
        "Stadtbibliothek. Wir stellen Zahlen vor und hören zu. Das Bibliotheksteam antwortet "
        "schriftlich auf jeden Vorschlag.",
        "Eine Bibliothek, die zu den Bedürfnissen ihrer Nutzerinnen und Nutzer passt.",
        "bibliothek",
        slots((-27, "18:00", 1.5), (35, "18:00", 1.5)),
        capacity=20,
        weekday="tue",
        demand=0.35,
    ),
    Offer(
        "ordnung",
        M,
        "safety",
        "Abendspaziergang: Angsträume erkennen",
        "Gehen Sie abends mit uns durch das Bahnhofsviertel und zeigen Sie, wo Sie sich unsicher fühlen.",
        "Dunkle Unterführungen, zugewachsene Wege, einsame Haltestellen: Bei einem "
        "Abendspaziergang zeigen Anwohnende, besonders Frauen, Ältere und Jugendliche, wo sie "
        "sich unwohl fühlen. Ordnungsamt und Stadtplanung notieren konkrete Verbesserungen.",
        "Weniger Angsträume; mehr Menschen sind abends zu Fuß unterwegs.",
        "jugendhaus",
        slots((-17, "20:00", 2), (26, "20:00", 2)),
        capacity=15,
        weekday="fri",
        desired=("surveying",),
        demand=0.7,
    ),
    Offer(
        "senioren",
        M,
        "elderly",
        "Gästerat Begegnungsstätte Sonnenhof",
        "Besucherinnen und Besucher bewerten Programm, Mittagstisch und Atmosphäre im Sonnenhof.",
        "Der Gästerat trifft sich vierteljährlich, wertet die Gästebefragung aus und spricht mit "
        "der Leitung über Veränderungen, vom Speiseplan bis zu den Öffnungszeiten.",
        "Die Begegnungsstätte bleibt ein Ort, an den Ältere gern kommen.",
        "sonnenhof",
        slots((-31, "14:30", 1.5), (31, "14:30", 1.5)),
        capacity=10,
        weekday="wed",
        demand=0.7,
    ),
    Offer(
        "umwelt",
        M,
        "environment",
        "Hitzekarte: Heiße und kühle Orte melden",
        "Melden Sie online, wo es im Sommer unerträglich heiß ist und wo Sie Abkühlung finden.",
        "Für den Hitzeschutzplan sammeln wir Erfahrungen aus dem Alltag: schattenlose "
        "Haltestellen, kühle Kirchen, Trinkbrunnen. Beim Online-Termin erklären wir die "
        "Karte und beantworten Fragen.",
        "Gezielte Verschattung und Begrünung dort, wo Menschen unter Hitze leiden.",
        None,
        slots(
            (8, "18:00", 1),
        ),
        capacity=60,
        weekday="mon",
        languages=("de", "en"),
        demand=0.3,
    ),
    Offer(
        "planung",
        M,
        "urban",
        "Haltestellen-Check mit Rollstuhl und Rollator",
        "Prüfen Sie Bushaltestellen auf Barrierefreiheit: Bordhöhe, Wege, Sitzplätze, Anzeigen.",
        "Bis 2028 sollen alle Haltestellen barrierefrei sein. Welche zuerst umgebaut werden, "
        "hängt auch von Ihren Bewertungen ab. In Zweierteams prüfen Sie Haltestellen nach einer "
        "Checkliste.",
        "Menschen mit Mobilitätseinschränkungen nutzen den Bus ohne Hilfe.",
        "marktplatz",
        slots(
            (17, "10:00", 3),
        ),
        capacity=16,
        weekday="wed",
        desired=("surveying",),
        demand=0.45,
    ),
    Offer(
        "sportverein",
        M,
        "health",
        "Sportstätten-Check",
        "Bewerten Sie Umkleiden, Duschen, Wege und Öffnungszeiten der städtischen Sportstätten.",
        "Gemeinsam mit dem Sportamt prüfen Vereinsmitglieder und Freizeitsportler die "
        "Sportstätten der Stadt. Die Ergebnisse helfen bei der Sanierungsplanung.",
        "Gepflegte, gut erreichbare Sportstätten, die mehr Menschen zum Sport bringen.",
        "sportpark",
        slots(
            (45, "10:00", 3),
        ),
        capacity=12,
        weekday="sat",
        status=OpportunityStatus.DRAFT,
        demand=0.0,
    ),
)
