"""Mit-Entwickeln: residents and the administration design services together."""

from __future__ import annotations

from boerse.demo.model import Offer, slots
from boerse.opportunities.tables import Mode, OpportunityStatus

M = Mode.CO_DESIGN

OFFERS: tuple[Offer, ...] = (
    Offer(
        "soziales",
        M,
        "social",
        "Neue Website des Sozialamts: Testen Sie mit uns",
        "Wer Hilfe sucht, soll sie auf der Website schnell finden. Gestalten Sie die neue Seite mit.",
        "Viele Anrufe im Sozialamt entstehen, weil Informationen im Netz schwer zu finden sind. "
        "Bevor wir die Website neu bauen, lassen wir sie von den Menschen prüfen, die sie "
        "brauchen: Sie lösen typische Aufgaben auf der alten Seite und erzählen uns, wo Sie "
        "hängen bleiben. Danach entwerfen wir gemeinsam Seiten und testen sie erneut. "
        "Erfahrung mit Anträgen beim Sozialamt ist ausdrücklich erwünscht, Computerkenntnisse "
        "sind nicht nötig.",
        "Weniger Weiterleitungen am Telefon und mehr Menschen, die ihre Anliegen selbst online "
        "erledigen können.",
        "buergerhaus",
        slots((-24, "10:00", 2), (-10, "10:00", 2), (12, "10:00", 2)),
        capacity=12,
        weekday="thu",
        desired=("it", "writing"),
        languages=("de", "ru", "ar"),
        demand=0.8,
    ),
    Offer(
        "sozialwerk",
        M,
        "integration",
        "Willkommensnetz: Hilfe für Geflüchtete koordinieren",
        "Bauen Sie mit uns eine Plattform auf, die Hilfsangebote und Bedarfe zusammenbringt.",
        "Viele Menschen in {town} wollen Geflüchteten helfen, doch Angebote und Bedarfe finden "
        "oft nicht zueinander. Gemeinsam mit Geflüchteten, Initiativen und dem Amt für Soziales "
        "entwickeln wir eine Übersicht der Hilfsangebote, einen Kanal für Rückmeldungen von "
        "Geflüchteten und feste Ansprechpersonen. Gesucht sind Menschen, die organisieren, "
        "übersetzen oder Öffentlichkeitsarbeit machen.",
        "Geflüchtete finden schnell passende Unterstützung; Initiativen und Verwaltung arbeiten "
        "abgestimmt.",
        "sozialwerk",
        slots((5, "18:00", 2), (26, "18:00", 2)),
        capacity=20,
        weekday="tue",
        required=("organising",),
        desired=("languages", "social-media"),
        languages=("de", "ar", "uk", "fa", "en"),
        demand=0.7,
    ),
    Offer(
        "jugend",
        M,
        "youth",
        "Jugend-Infokanal: Was Jugendliche wirklich wissen wollen",
        "Entwickeln Sie mit dem Jugendamt einen Infokanal von Jugendlichen für Jugendliche.",
        "Flyer erreichen kaum noch jemanden. Jugendliche gestalten mit uns einen Kanal mit "
        "Infos zu Freizeit, Ausbildung, Beratung und Rechten: Welche Themen, welcher Ton, "
        "welche Plattform? Wir treffen uns online und arbeiten an echten Beiträgen.",
        "Jugendliche kennen die Angebote, die ihnen helfen, und nutzen sie früher.",
        None,
        slots((7, "18:00", 1.5), (21, "18:00", 1.5)),
        capacity=15,
        weekday="thu",
        desired=("social-media", "photography", "writing"),
        min_age=14,
        demand=0.45,
    ),
    Offer(
        "jugend",
        M,
        "social",
        "Familienlotsen: Ein Unterstützungsangebot mit Familien entwickeln",
        "Familien in schwierigen Lagen entwickeln mit uns ein Lotsenangebot, das wirklich hilft.",
        "Familien, die gleichzeitig mit Geldsorgen, Schulproblemen und Behördenpost kämpfen, "
        "bekommen oft von vielen Stellen ein bisschen Hilfe. Wir wollen es umgekehrt machen: "
        "Eine Lotsin oder ein Lotse begleitet die Familie, die Familie setzt sich selbst Ziele. "
        "In Werkstätten mit Eltern und ehemaligen Klientinnen planen wir, wie das in {town} "
        "aussehen soll.",
        "Kinder besuchen regelmäßig die Schule; Familien bewältigen Krisen aus eigener Kraft.",
        "familienzentrum",
        slots((-15, "09:30", 2.5), (17, "09:30", 2.5)),
        capacity=12,
        weekday="fri",
        desired=("care", "moderation"),
        languages=("de", "tr", "ar"),
        accessibility="Kinderbetreuung während der Werkstatt.",
        demand=0.6,
    ),
    Offer(
        "planung",
        M,
        "urban",
        "Spielplatz Lindenplatz: Planungswerkstatt mit Kindern",
        "Kinder planen ihren Spielplatz, Erwachsene helfen beim Bauen von Modellen.",
        "Der Spielplatz am Lindenplatz wird erneuert. Bevor die Landschaftsarchitektin zeichnet, "
        "bauen Kinder mit Knete, Pappe und Stöcken Modelle ihres Traumspielplatzes. Wir suchen "
        "Erwachsene, die basteln, fotografieren und Ideen aufschreiben.",
        "Ein Spielplatz, den Kinder aller Altersgruppen gern und oft nutzen.",
        "grundschule",
        slots(
            (10, "15:00", 2),
        ),
        capacity=10,
        weekday="wed",
        desired=("art", "photography"),
        demand=0.9,
    ),
    Offer(
        "buergerservice",
        M,
        "social",
        "Formulare verständlich machen: Testlesen in Leichter Sprache",
        "Lesen Sie Bescheide und Formulare der Stadt zur Probe und sagen Sie uns, was unklar ist.",
        "Viele Schreiben der Verwaltung sind schwer zu verstehen. Wir überarbeiten die zehn "
        "häufigsten Formulare. Testleserinnen und Testleser, auch mit Lernschwierigkeiten oder "
        "wenig Deutschkenntnissen, prüfen Entwürfe in kleinen Gruppen. Es gibt keine falschen "
        "Antworten.",
        "Mehr Menschen stellen Anträge richtig und vollständig beim ersten Versuch.",
        "rathaus",
        slots(
            (19, "10:00", 2),
        ),
        capacity=10,
        weekday="fri",
        languages=("de", "ls"),
        demand=0.5,
    ),
    Offer(
        "senioren",
        M,
        "health",
        "Wegweiser-App für Menschen mit Demenz mitentwickeln",
        "Menschen mit Demenz und Angehörige gestalten eine einfache App für den Alltag in {town}.",
        "Wo ist die nächste Toilette, welcher Bus fährt zur Tagespflege, wer hilft, wenn ich mich "
        "verlaufen habe? Menschen mit beginnender Demenz wissen am besten, was eine solche App "
        "können muss. Gemeinsam mit einer Entwicklerfirma testen wir Entwürfe auf dem Tablet, "
        "in Ruhe und mit Pausen.",
        "Menschen mit Demenz bewegen sich länger sicher und selbstständig in der Stadt.",
        "sonnenhof",
        slots((-12, "10:00", 1.5), (16, "10:00", 1.5)),
        capacity=8,
        weekday="tue",
        desired=("dementia", "it"),
        accessibility="Ruhiger Raum, kurze Einheiten mit Pausen, Angehörige sind willkommen.",
        demand=0.6,
    ),
    Offer(
        "planung",
        M,
        "urban",
        "Zukunftswerkstatt Marktplatz",
        "Wie soll der Marktplatz in zehn Jahren aussehen? Entwickeln Sie Varianten mit.",
        "Der Marktplatz ist heute vor allem Parkplatz. In einer ganztägigen Zukunftswerkstatt "
        "entwickeln Anwohnende, Händlerinnen, Marktbeschicker und Verwaltung Varianten für "
        "Aufenthalt, Markt, Grün und Verkehr. Die besten Ideen gehen in den Wettbewerb für "
        "Planungsbüros.",
        "Ein belebter Marktplatz, der zum Verweilen einlädt und den Handel stärkt.",
        "rathaus",
        slots(
            (29, "10:00", 6),
        ),
        capacity=40,
        weekday="sat",
        desired=("planning", "moderation"),
        demand=0.65,
    ),
    Offer(
        "soziales",
        M,
        "social",
        "Treffpunkt für Menschen mit Sehbehinderung gestalten",
        "Menschen mit Sehbehinderung entwickeln einen Treffpunkt nach ihren Wünschen.",
        "Hilfsmittel und Informationen sind wichtig, doch viele Menschen mit Sehbehinderung "
        "wünschen sich vor allem Begegnung und jemanden zum Reden. Wir planen gemeinsam einen "
        "regelmäßigen Treffpunkt: Ort, Zeiten, Programm und Wegbegleitung.",
        "Weniger Einsamkeit und mehr Kontakte für Menschen mit Sehbehinderung.",
        "sonnenhof",
        slots(
            (23, "14:00", 2),
        ),
        capacity=12,
        weekday="wed",
        accessibility="Abholung an der Haltestelle Mühlenweg möglich; Unterlagen in Großdruck und als Audio.",
        demand=0.4,
    ),
    Offer(
        "umwelt",
        M,
        "environment",
        "Mehrgenerationengarten planen",
        "Jung und Alt planen einen Gemeinschaftsgarten auf der Brache an der Gartenstraße.",
        "Die Stadt stellt eine Fläche von 1.200 Quadratmetern zur Verfügung. Was soll dort "
        "wachsen, wer gießt im Sommer, braucht es einen Lehmofen? In zwei Planungstreffen "
        "entwerfen wir Beete, Regeln und Zuständigkeiten, damit der Garten im Frühjahr starten "
        "kann.",
        "Mehr Grün und Begegnung im Quartier, weniger versiegelte Fläche.",
        "familienzentrum",
        slots((-30, "16:00", 2), (25, "16:00", 2)),
        capacity=18,
        weekday="wed",
        desired=("gardening", "planning"),
        demand=0.8,
    ),
    Offer(
        "bibliothek",
        M,
        "environment",
        "Bibliothek der Dinge aufbauen",
        "Bohrmaschine, Nähmaschine, Beamer: Entwickeln Sie mit uns eine Leihstation für Gegenstände.",
        "Die meisten Bohrmaschinen werden nur wenige Minuten im Jahr benutzt. In der "
        "Stadtbibliothek soll man deshalb bald Dinge ausleihen können. Wir klären gemeinsam, "
        "welche Gegenstände gefragt sind, wie Ausleihe und Prüfung funktionieren und wer "
        "Reparaturen übernimmt.",
        "Weniger Neukäufe und Abfall; Werkzeug und Geräte stehen allen offen.",
        "bibliothek",
        slots(
            (14, "18:00", 2),
        ),
        capacity=15,
        weekday="thu",
        desired=("crafts", "organising"),
        demand=0.55,
    ),
    Offer(
        "planung",
        M,
        "elderly",
        "Quartiersbus: Fahrplan mit Älteren entwickeln",
        "Ältere Menschen planen mit, wann und wohin der neue Quartiersbus fährt.",
        "Im nächsten Jahr fährt ein kleiner Bus durch die Wohngebiete ohne Straßenbahn. Damit er "
        "dorthin fährt, wo er gebraucht wird, planen wir Route und Takt mit künftigen "
        "Fahrgästen: Arztpraxen, Einkauf, Friedhof, Begegnungsstätten.",
        "Ältere Menschen erreichen Einkauf, Arzt und Treffpunkte ohne Auto.",
        "sonnenhof",
        slots(
            (9, "10:00", 2),
        ),
        capacity=20,
        weekday="mon",
        demand=1.25,
    ),
    Offer(
        "ordnung",
        M,
        "safety",
        "Mängelmelder: Ein Online-Formular, das alle verstehen",
        "Gestalten Sie mit uns den neuen Online-Mängelmelder für Schlaglöcher, Müll und defekte Lampen.",
        "Der neue Mängelmelder soll auf dem Handy in einer Minute ausgefüllt sein und melden, "
        "was aus der Meldung geworden ist. In zwei Online-Sitzungen testen Sie Entwürfe und "
        "sagen uns, was Sie zum Weitermelden bewegt.",
        "Mängel werden schneller gemeldet und behoben; Meldende erfahren, was passiert ist.",
        None,
        slots((4, "19:00", 1.5), (18, "19:00", 1.5)),
        capacity=20,
        weekday="tue",
        desired=("it",),
        demand=0.3,
    ),
    Offer(
        "jugend",
        M,
        "youth",
        "Ferienprogramm 2027 mit Jugendlichen planen",
        "Jugendliche planen das Sommerferienprogramm und bringen ihre eigenen Ideen ein.",
        "Das Ferienprogramm wurde bisher von Erwachsenen geplant. 2027 planen Jugendliche mit: "
        "Ausflüge, Workshops, Sportturniere. Sie bekommen ein Budget und Unterstützung bei der "
        "Organisation.",
        "Mehr Jugendliche nehmen am Ferienprogramm teil, besonders aus Familien mit wenig Geld.",
        "jugendhaus",
        slots(
            (60, "16:00", 2),
        ),
        capacity=15,
        weekday="fri",
        min_age=12,
        status=OpportunityStatus.DRAFT,
        demand=0.0,
    ),
    Offer(
        "umwelt",
        M,
        "health",
        "Hitzeschutzplan: Kühle Orte und Hilfe für Ältere",
        "Entwickeln Sie mit Umweltamt und Seniorenbüro einen Plan für heiße Sommertage.",
        "Hitzewellen sind für ältere und kranke Menschen gefährlich. Wir planen gemeinsam: "
        "Welche Räume können als kühle Orte öffnen, wie erreichen wir Alleinlebende, wer ruft "
        "an oder schaut vorbei? Pflegekräfte, Nachbarschaftshelfer und Betroffene sind "
        "besonders gefragt.",
        "Weniger hitzebedingte Notfälle bei älteren Menschen.",
        "rathaus",
        slots(
            (33, "15:00", 2.5),
        ),
        capacity=20,
        weekday="thu",
        desired=("care", "first-aid"),
        demand=0.4,
    ),
)
