"""Mit-Umsetzen: residents deliver services alongside the town and its partners."""

from __future__ import annotations

from boerse.demo.model import Offer, slots
from boerse.opportunities.tables import Mode, OpportunityStatus

M = Mode.CO_DELIVER

OFFERS: tuple[Offer, ...] = (
    Offer(
        "bibliothek",
        M,
        "education",
        "Lesestart: Eltern lesen mit ihren Kindern",
        "Eltern lernen, wie Vorlesen und Erzählen Kinder sprachlich stark machen, und geben es weiter.",
        "Kinder, denen regelmäßig vorgelesen wird, starten besser in die Schule. In kurzen "
        "Trainings zeigen wir Eltern, wie sie beim Vorlesen Fragen stellen und ins Gespräch "
        "kommen, auch in ihrer Herkunftssprache. Jede Familie erhält einen Lesekoffer mit "
        "Büchern für Kinder von 3 bis 6 Jahren. Erfahrene Eltern sind als Patinnen und Paten "
        "willkommen.",
        "Mehr Kinder kommen mit altersgerechten Sprachkenntnissen in die Schule.",
        "bibliothek",
        slots((-21, "16:00", 2), (-7, "16:00", 2), (7, "16:00", 2), (21, "16:00", 2)),
        capacity=14,
        weekday="wed",
        desired=("reading-aloud", "languages"),
        languages=("de", "tr", "ar", "ru"),
        demand=1.2,
    ),
    Offer(
        "senioren",
        M,
        "elderly",
        "Radeln ohne Alter: Rikschafahrten mit Seniorinnen und Senioren",
        "Fahren Sie ältere Menschen mit der E-Rikscha durch die Stadt. Den Weg bestimmen die Fahrgäste.",
        "Die Stadt hat zwei E-Rikschas angeschafft, die an Pflegeheimen stationiert sind. "
        "Ehrenamtliche Pilotinnen und Piloten fahren Bewohnerinnen und Bewohner an den Fluss, "
        "zum Markt oder in ihre alte Straße. Nach einer Einweisung buchen Sie Fahrten online. "
        "Sie brauchen keine besondere Fitness: Der Elektromotor hilft.",
        "Ältere Menschen kommen wieder ins Freie, erleben Gemeinschaft und bleiben länger "
        "gesund; Jung und Alt begegnen sich.",
        "sonnenhof",
        slots(
            (-18, "14:00", 2, "Treffpunkt: Haupteingang Sonnenhof"),
            (-4, "14:00", 2),
            (3, "14:00", 2),
            (17, "14:00", 2),
        ),
        capacity=8,
        weekday="fri",
        required=("cycling",),
        desired=("care",),
        accessibility="Die Rikschas haben Sicherheitsgurte, Decken und Regenverdeck.",
        demand=1.3,
    ),
    Offer(
        "ordnung",
        M,
        "safety",
        "Aus eigener Erfahrung: Verkehrssicherheit in Fahrschulen",
        "Junge Menschen, die einen schweren Unfall überlebt haben, erzählen Fahrschülerinnen und Fahrschülern davon.",
        "Statistik beeindruckt Fahranfänger wenig, eine echte Geschichte schon. Wir suchen "
        "junge Erwachsene, die einen Verkehrsunfall erlebt haben und bereit sind, im "
        "Theorieunterricht davon zu berichten. Das Ordnungsamt und eine Psychologin bereiten "
        "Sie vor und begleiten Sie. Auch Angehörige und Rettungskräfte sind willkommen.",
        "Weniger schwere Unfälle mit Fahranfängerinnen und Fahranfängern.",
        "fahrschule",
        slots((-16, "18:00", 1.5), (12, "18:00", 1.5)),
        capacity=6,
        weekday="tue",
        min_age=18,
        demand=0.5,
    ),
    Offer(
        "umwelt",
        M,
        "environment",
        "Baumpatenschaft: Junge Stadtbäume pflegen",
        "Übernehmen Sie die Pflege eines Straßenbaums in Ihrer Nähe. Wir zeigen, worauf es ankommt.",
        "Junge Straßenbäume leiden unter Trockenheit, verdichtetem Boden und Müll auf der "
        "Baumscheibe. Als Patin oder Pate gießen Sie Ihren Baum in trockenen Wochen, halten die "
        "Baumscheibe frei und melden Schäden. Bei den Treffen gibt es Gießsäcke, eine Einführung "
        "durch das Grünflächenteam und eine Karte der Bäume, die noch Paten suchen.",
        "Mehr Straßenbäume überleben ihre ersten fünf Jahre; die Stadt bleibt im Sommer kühler.",
        "stadtpark",
        slots((-26, "10:00", 2), (-5, "10:00", 2), (15, "10:00", 2)),
        capacity=20,
        weekday="sat",
        desired=("gardening",),
        demand=0.7,
    ),
    Offer(
        "umwelt",
        M,
        "environment",
        "Repair-Café im Bürgerhaus",
        "Reparieren statt wegwerfen: Helfen Sie Nachbarinnen und Nachbarn, Geräte wieder flottzumachen.",
        "Jeden Monat bringen Menschen kaputte Toaster, Fahrräder und Kleidung ins Bürgerhaus. "
        "Ehrenamtliche Reparateure schauen gemeinsam mit ihnen nach dem Fehler. Wir suchen "
        "Menschen, die löten, nähen, schrauben oder einfach Kaffee kochen und Wartende "
        "empfangen.",
        "Weniger Elektroschrott und Abfall; Menschen lernen, selbst zu reparieren.",
        "buergerhaus",
        slots((-33, "14:00", 3), (-5, "14:00", 3), (23, "14:00", 3)),
        capacity=10,
        weekday="sat",
        required=("crafts",),
        desired=("cooking",),
        demand=1.2,
    ),
    Offer(
        "jugend",
        M,
        "education",
        "Hausaufgabenhilfe im Jugendhaus",
        "Unterstützen Sie Schülerinnen und Schüler der Klassen 5 bis 8 einmal pro Woche bei den Hausaufgaben.",
        "Im Jugendhaus Kompass machen jeden Nachmittag Jugendliche ihre Hausaufgaben. Viele "
        "haben zu Hause niemanden, der helfen kann. Sie erklären Mathe, lesen Aufsätze gegen "
        "oder üben Vokabeln. Eine pädagogische Fachkraft ist immer dabei.",
        "Weniger Jugendliche wiederholen eine Klasse oder verlassen die Schule ohne Abschluss.",
        "jugendhaus",
        slots((2, "15:00", 2), (9, "15:00", 2), (16, "15:00", 2)),
        capacity=6,
        weekday="mon",
        required=("tutoring",),
        desired=("youth-work",),
        languages=("de", "en", "ar"),
        demand=0.9,
    ),
    Offer(
        "soziales",
        M,
        "integration",
        "Sprachcafé: Deutsch sprechen bei Kaffee und Kuchen",
        "Unterhalten Sie sich mit Neuzugewanderten, die ihr Deutsch im Alltag üben wollen.",
        "Im Sprachcafé sitzen Menschen, die Deutsch lernen, mit Menschen zusammen, die es gut "
        "sprechen. Es gibt kein Lehrbuch: Sie reden über Alltag, Arbeit, Kochen und {town}. "
        "Sie brauchen keine Vorkenntnisse als Lehrkraft, nur Geduld und Freude am Gespräch.",
        "Neuzugewanderte sprechen sicherer Deutsch und knüpfen Kontakte in der Stadt.",
        "buergerhaus",
        slots((-23, "17:00", 2), (-9, "17:00", 2), (5, "17:00", 2), (19, "17:00", 2)),
        capacity=12,
        weekday="thu",
        desired=("languages",),
        languages=("de", "en", "ar", "uk", "fa"),
        demand=0.85,
    ),
    Offer(
        "sozialwerk",
        M,
        "elderly",
        "Besuchsdienst: Zeit schenken für Alleinlebende",
        "Besuchen Sie regelmäßig einen älteren Menschen, der allein lebt: zum Reden, Spazieren oder Spielen.",
        "Einsamkeit macht krank. Der Besuchsdienst vermittelt Ehrenamtliche an ältere Menschen, "
        "die sich über regelmäßigen Besuch freuen. Zum Einstieg besuchen Sie einen "
        "Schulungsabend; danach vereinbaren Sie Besuche selbst, etwa einmal pro Woche.",
        "Ältere Menschen fühlen sich weniger einsam und bleiben länger in ihrer Wohnung.",
        "sozialwerk",
        slots(
            (11, "18:00", 2, "Seminarraum 1. OG (Aufzug)"),
        ),
        capacity=12,
        weekday="mon",
        desired=("care", "dementia"),
        languages=("de", "ru", "pl"),
        demand=0.5,
    ),
    Offer(
        "umwelt",
        M,
        "environment",
        "Putztag im Stadtpark",
        "Gemeinsam sammeln wir Müll im Stadtpark und am Bachufer. Handschuhe und Zangen stellen wir.",
        "Zweimal im Jahr räumen Nachbarinnen, Vereine und Schulklassen gemeinsam den Stadtpark "
        "auf. Das Grünflächenteam holt die Säcke ab. Zum Abschluss gibt es Suppe am Parkcafé.",
        "Ein sauberer Park und weniger achtlos weggeworfener Müll.",
        "stadtpark",
        slots(
            (-40, "10:00", 3),
        ),
        capacity=40,
        weekday="sat",
        status=OpportunityStatus.CLOSED,
        demand=0.0,
    ),
    Offer(
        "sportverein",
        M,
        "health",
        "Bewegungstreff 60+ im Stadtpark",
        "Leiten Sie mit uns einen Bewegungstreff für Ältere an: Gymnastik, Gleichgewicht, Spaziergang.",
        "Jeden Dienstagvormittag treffen sich Ältere im Stadtpark zur Bewegung, bei schlechtem "
        "Wetter in der Begegnungsstätte Sonnenhof. Die Übungen "
        "sind einfach und für alle machbar. Wir suchen Übungsleitende und Helfende, die "
        "begleiten, Wasser reichen und bei Bedarf Erste Hilfe leisten.",
        "Ältere Menschen bleiben beweglich, stürzen seltener und treffen andere.",
        "stadtpark",
        slots((-22, "10:00", 1.5), (-8, "10:00", 1.5), (6, "10:00", 1.5), (20, "10:00", 1.5)),
        capacity=10,
        weekday="tue",
        required=("sports",),
        desired=("first-aid",),
        demand=0.6,
    ),
    Offer(
        "bibliothek",
        M,
        "education",
        "Lesekoffer-Ausleihe betreuen",
        "Betreuen Sie die Ausleihe der Lesekoffer im Familienzentrum, einmal im Monat.",
        "Die Lesekoffer mit Büchern in mehreren Sprachen werden im Familienzentrum verliehen. "
        "Sie geben Koffer aus, nehmen sie zurück, prüfen die Vollständigkeit und kommen mit "
        "Eltern ins Gespräch über Lieblingsbücher.",
        "Familien lesen zu Hause regelmäßig mit ihren Kindern.",
        "familienzentrum",
        slots((13, "15:00", 2), (41, "15:00", 2)),
        capacity=3,
        weekday="wed",
        desired=("organising", "reading-aloud"),
        demand=1.0,
    ),
    Offer(
        "senioren",
        M,
        "elderly",
        "Digitalpaten: Ältere entdecken ihr Smartphone",
        "Zeigen Sie älteren Menschen in Ruhe, wie Videotelefonie, Fahrplan-App und Online-Termine funktionieren.",
        "In der offenen Sprechstunde bringen Ältere ihr Handy oder Tablet mit und stellen ihre "
        "Fragen. Sie erklären geduldig, ohne selbst zu tippen, damit die Handgriffe bleiben. "
        "Eine kurze Einführung in gute Erklärtechniken gibt es beim ersten Termin.",
        "Ältere Menschen nutzen digitale Angebote selbstständig und bleiben in Kontakt mit ihren Familien.",
        "sonnenhof",
        slots((1, "10:00", 2), (8, "10:00", 2), (15, "10:00", 2)),
        capacity=8,
        weekday="thu",
        required=("it",),
        languages=("de", "ru", "tr"),
        demand=0.75,
    ),
    Offer(
        "ordnung",
        M,
        "safety",
        "Schulweghelfer an der Grundschule am Lindenplatz",
        "Helfen Sie Kindern morgens sicher über die Kreuzung Lindenallee/Schulstraße.",
        "Schulweghelferinnen und -helfer stehen morgens zwischen 7:15 und 8:00 Uhr an der "
        "Kreuzung. Die Verkehrswacht schult Sie und stellt Warnweste und Kelle. Sie wählen "
        "selbst, an welchen Tagen Sie helfen.",
        "Kein Kind verunglückt auf dem Schulweg; mehr Kinder gehen zu Fuß zur Schule.",
        "grundschule",
        slots(
            (4, "07:00", 1.25, "Treffpunkt: Kreuzung Lindenallee/Schulstraße"), (11, "07:00", 1.25)
        ),
        capacity=6,
        weekday="mon",
        min_age=16,
        demand=0.4,
    ),
    Offer(
        "sportverein",
        M,
        "youth",
        "Trainerassistenz im Kinderfußball",
        "Unterstützen Sie unser Trainerteam bei den Bambini und der F-Jugend.",
        "Über 60 Kinder zwischen vier und acht Jahren kicken bei uns, die Warteliste wird "
        "länger. Mit Ihrer Hilfe können wir eine weitere Gruppe öffnen. Sie bauen Übungen auf, "
        "betreuen eine Kleingruppe und fahren gelegentlich zu Turnieren mit.",
        "Mehr Kinder bewegen sich regelmäßig und lernen Teamgeist, unabhängig vom Geldbeutel der Eltern.",
        "sportpark",
        slots(
            (3, "16:30", 1.5),
            (10, "16:30", 1.5),
            (24, "10:00", 4, "Dreifeldhalle am Sportpark", "sat"),
        ),
        capacity=5,
        weekday="wed",
        required=("sports",),
        desired=("youth-work", "first-aid"),
        min_age=16,
        demand=0.6,
    ),
    Offer(
        "sozialwerk",
        M,
        "social",
        "Lebensmittelausgabe: Sortieren und ausgeben",
        "Helfen Sie bei der wöchentlichen Lebensmittelausgabe des Sozialwerks.",
        "Jeden Freitag geben wir gespendete Lebensmittel an rund 180 Haushalte aus. Sie holen "
        "Ware bei Supermärkten ab, sortieren oder geben aus. Freundlichkeit ist wichtiger als "
        "Tempo. Für das Abholen brauchen wir Menschen mit Führerschein.",
        "Haushalte mit wenig Geld ernähren sich ausreichend und gesund; weniger Lebensmittel "
        "landen im Müll.",
        "sozialwerk",
        slots((5, "09:00", 4), (12, "09:00", 4), (19, "09:00", 4)),
        capacity=8,
        weekday="fri",
        desired=("driving", "organising"),
        languages=("de", "ar", "uk"),
        demand=0.8,
    ),
)
