"""The built-in templates, as data, in German and English.

Each template is described once (kinds, pages, sections, required flags) with its words in
both languages; `ensure_builtin_templates` writes one template row per key and language
with version 1 and its questions. The words are stored, not translated at display time:
an officer copies a template and edits its wording, so it is content, not interface text.
Templates ask no stops: a walk audit's stops are added by the officer for each audit.

The inserts name their columns and use raw SQL, because the data migration of this issue
runs this function too: a column added to these tables by a later migration must not make
an earlier migration fail on a fresh database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from boerse.lib.db import utcnow, write_transaction
from boerse.questionnaires.kinds import QuestionKind
from boerse.questionnaires.model import dump_options
from boerse.questionnaires.tables import Questionnaire, QuestionnaireKind

LANGUAGES: tuple[str, ...] = ("de", "en")
SHORT_FEEDBACK = "short_feedback"
COPRODUCTION = "coproduction"
DEMENTIA_WALK = "dementia_walk"
YOUTH_CHECK = "youth_check"
BUILDING_ACCESS = "building_access"


@dataclass(frozen=True)
class Words:
    """One text in both languages of the catalogue."""

    de: str
    en: str

    def pick(self, language: str) -> str:
        return self.en if language == "en" else self.de


NO_WORDS = Words("", "")


@dataclass(frozen=True)
class TemplateQuestion:
    kind: QuestionKind
    text: Words
    help: Words = NO_WORDS
    required: bool = False
    page: int = 1
    section: Words = NO_WORDS
    """A heading shown above this question; set on the first question of a section only."""
    options: tuple[tuple[str, Words], ...] = ()
    """(key, label) of a choice question; keys are the same in both languages."""
    allow_dont_know: bool = False
    per_stop: bool = False
    min_value: float | None = None
    max_value: float | None = None


@dataclass(frozen=True)
class Template:
    key: str
    kind: QuestionnaireKind
    title: Words
    intro: Words
    questions: tuple[TemplateQuestion, ...] = field(default=())
    reminder_days: str = "3,10"


def _agreement(de: str, en: str, **extra: Any) -> TemplateQuestion:
    return TemplateQuestion(QuestionKind.AGREEMENT, Words(de, en), **extra)


def _criterion(de: str, en: str, help_de: str, help_en: str, **extra: Any) -> TemplateQuestion:
    """A yes / no / not applicable checklist item (walk audits, accessibility checks)."""
    return TemplateQuestion(
        QuestionKind.CHECKLIST, Words(de, en), Words(help_de, help_en), required=True, **extra
    )


SHORT_FEEDBACK_TEMPLATE = Template(
    SHORT_FEEDBACK,
    QuestionnaireKind.SURVEY,
    Words("Wie war es?", "How was it?"),
    Words(
        "Die Umfrage dauert etwa zwei Minuten. Ihre Antworten werden ohne Ihren Namen "
        "gespeichert; veröffentlicht werden nur zusammengefasste Ergebnisse.",
        "The survey takes about two minutes. Your answers are stored without your name; "
        "only summarised results are published.",
    ),
    (
        TemplateQuestion(
            QuestionKind.RATING,
            Words(
                "Wie bewerten Sie das Angebot insgesamt?",
                "How would you rate the opportunity overall?",
            ),
            required=True,
        ),
        _agreement(
            "Das Angebot war gut organisiert.",
            "The opportunity was well organised.",
            required=True,
            section=Words(
                "Wie sehr treffen diese Aussagen zu?",
                "How far do you agree with these statements?",
            ),
        ),
        _agreement(
            "Meine Mitwirkung hat etwas bewirkt.",
            "My involvement made a difference.",
            required=True,
        ),
        _agreement(
            "Ich würde anderen empfehlen mitzumachen.",
            "I would recommend others to take part.",
            required=True,
        ),
        TemplateQuestion(
            QuestionKind.LONG_TEXT,
            Words(
                "Möchten Sie uns noch etwas mitteilen?",
                "Is there anything else you would like to tell us?",
            ),
            Words(
                "Bitte nennen Sie keine Namen oder anderen persönlichen Angaben.",
                "Please do not include names or other personal details.",
            ),
        ),
    ),
)

# The eight statements of the seeds' questionnaire ("Ihre Meinung zu Koproduktion ist
# gefragt!", Governance International), quoted word for word, on its ++ / + / − / −− scale.
COPRODUCTION_TEMPLATE = Template(
    COPRODUCTION,
    QuestionnaireKind.SURVEY,
    Words("Ihre Meinung zu Koproduktion ist gefragt!", "Your view on co-production matters!"),
    Words(
        "Wie sehr treffen die folgenden Aussagen aus Ihrer Sicht zu? Ihre Antworten werden "
        "ohne Ihren Namen gespeichert.",
        "How far do the following statements hold true in your view? Your answers are stored "
        "without your name.",
    ),
    (
        _agreement(
            "Wenn Bürger beim Ressourceneinsatz mitsteuern, hilft das Rat und Verwaltung, die "
            "richtigen Prioritäten zu setzen.",
            "When citizens help steer how resources are used, it helps the council and the "
            "administration to set the right priorities.",
            section=Words("Was Koproduktion bewirken kann", "What co-production can achieve"),
        ),
        _agreement(
            "Wenn Bürger mit ihrem Erfahrungswissen einbezogen werden, können innovative "
            "Lösungen entstehen.",
            "When citizens are involved with the knowledge their experience gives them, "
            "innovative solutions can emerge.",
        ),
        _agreement(
            "Wenn Bürger als Koproduzenten eine wichtigere Rolle spielen, kann das den Haushalt "
            "schon kurzfristig entlasten.",
            "When citizens play a bigger role as co-producers, this can ease the budget even "
            "in the short term.",
        ),
        _agreement(
            "Die Bewertung öffentlicher Leistungen durch Bürger bringt Qualitätsverbesserungen, "
            "einschließlich gesellschaftlich gewünschter Wirkungen.",
            "Citizens' assessment of public services brings improvements in quality, including "
            "socially desired outcomes.",
        ),
        _agreement(
            "Verwaltungsmitarbeiter sind darauf bedacht, die aktive Mitarbeit von Bürgern zu "
            "fördern.",
            "Administrative staff are keen to encourage citizens' active involvement.",
            page=2,
            section=Words(
                "Verwaltung, Politik und Bürgerschaft", "Administration, politics and citizens"
            ),
        ),
        _agreement(
            "Bürger wollen sich meist nicht engagieren – es sind immer die „üblichen "
            "Verdächtigen“.",
            "Citizens mostly do not want to get involved – it is always the “usual suspects”.",
            page=2,
        ),
        _agreement(
            "Bürger vertrauen der Arbeit der von ihnen gewählten Politiker, denn diese wissen, "
            "was gut für die Bürger ist.",
            "Citizens trust the work of the politicians they elected, because they know what "
            "is good for citizens.",
            page=2,
        ),
        _agreement(
            "Führungskräfte verstehen bereits, wie die Verwaltung Hilfe zur Selbsthilfe leisten "
            "kann.",
            "Managers already understand how the administration can help people to help "
            "themselves.",
            page=2,
        ),
    ),
)

DEMENTIA_WALK_TEMPLATE = Template(
    DEMENTIA_WALK,
    QuestionnaireKind.WALK_AUDIT,
    Words(
        "Begehung: Wie demenzfreundlich ist unser Stadtteil?",
        "Walk audit: how dementia-friendly is our neighbourhood?",
    ),
    Words(
        "Wir gehen gemeinsam von Station zu Station. Prüfen Sie an jeder Station die Punkte "
        "mit „ja“, „nein“ oder „trifft hier nicht zu“. Jede Station wird gespeichert, sobald "
        "Sie sie absenden; Sie können später mit demselben Link weitermachen.",
        "We walk together from stop to stop. At each stop, check the points with “yes”, "
        "“no” or “not applicable here”. Each stop is saved as soon as you submit it; you can "
        "carry on later with the same link.",
    ),
    (
        _criterion(
            "Beschilderung: Sind Schilder und Wegweiser gut zu lesen und leicht zu verstehen?",
            "Signage: are signs and signposts easy to read and to understand?",
            "Große, kontrastreiche Schrift, klare Symbole, etwa in Augenhöhe; nicht zu viele "
            "Schilder auf einmal.",
            "Large lettering with strong contrast, clear symbols, at about eye level; not too "
            "many signs at once.",
            per_stop=True,
            section=Words("Prüfpunkte an dieser Station", "Checkpoints at this stop"),
        ),
        _criterion(
            "Sitzgelegenheiten: Kann man sich hier hinsetzen und ausruhen?",
            "Seating: can you sit down and rest here?",
            "Bänke oder Stühle in Sichtweite, möglichst mit Rücken- und Armlehnen.",
            "Benches or chairs within sight, ideally with back and arm rests.",
            per_stop=True,
        ),
        _criterion(
            "Toiletten: Ist eine öffentliche Toilette in der Nähe und gut zu finden?",
            "Toilets: is there a public toilet nearby that is easy to find?",
            "Ausgeschildert, ohne Hürden zugänglich, möglichst barrierefrei.",
            "Signposted, easy to get into, ideally accessible for wheelchairs.",
            per_stop=True,
        ),
        _criterion(
            "Beleuchtung: Ist es hell genug, ohne starke Schatten oder Blendung?",
            "Lighting: is it bright enough, without deep shadows or glare?",
            "Gleichmäßiges Licht; dunkle Flächen auf dem Boden können wie Löcher wirken.",
            "Even light; dark patches on the ground can look like holes.",
            per_stop=True,
        ),
        _criterion(
            "Überwege: Lässt sich die Straße hier sicher überqueren?",
            "Crossings: can you cross the road here safely?",
            "Ampel oder Zebrastreifen, genug Zeit zum Queren, abgesenkter Bordstein.",
            "Traffic lights or a zebra crossing, enough time to cross, a dropped kerb.",
            per_stop=True,
        ),
        _criterion(
            "Lärm: Ist es ruhig genug, um sich zu orientieren und zu unterhalten?",
            "Noise: is it quiet enough to find your way and to talk?",
            "Verkehrslärm, laute Musik oder Durchsagen können verwirren und belasten.",
            "Traffic noise, loud music or announcements can confuse and wear people out.",
            per_stop=True,
        ),
        _criterion(
            "Hilfe: Bekäme man hier Hilfe, wenn man sich nicht mehr zurechtfindet?",
            "Help: would you get help here if you lost your way?",
            "Freundliches Personal in Geschäften oder Einrichtungen, jemand zum Ansprechen, "
            "ein Schild mit einer Telefonnummer.",
            "Friendly staff in shops or services, someone to ask, a sign with a phone number.",
            per_stop=True,
        ),
        TemplateQuestion(
            QuestionKind.LONG_TEXT,
            Words("Notizen zu dieser Station", "Notes on this stop"),
            Words(
                "Was ist Ihnen hier aufgefallen, was sollte sich ändern? Bitte nennen Sie keine "
                "Namen.",
                "What did you notice here, what should change? Please do not name anyone.",
            ),
            per_stop=True,
        ),
        TemplateQuestion(
            QuestionKind.RATING,
            Words(
                "Wie demenzfreundlich ist der Weg insgesamt?",
                "How dementia-friendly is the route overall?",
            ),
            required=True,
            section=Words("Zum Schluss", "Finally"),
        ),
        TemplateQuestion(
            QuestionKind.LONG_TEXT,
            Words("Was sollte sich als Erstes ändern?", "What should change first?"),
        ),
    ),
)

_HOW_OFTEN = (
    ("weekly_more", Words("Mehrmals pro Woche", "Several times a week")),
    ("weekly", Words("Etwa einmal pro Woche", "About once a week")),
    ("monthly", Words("Ein- bis dreimal im Monat", "One to three times a month")),
    ("rarely", Words("Seltener", "Less often")),
    ("first_time", Words("Heute zum ersten Mal", "Today for the first time")),
)
_FREE_TIME = (
    ("home", Words("Zu Hause", "At home")),
    ("outside", Words("Draußen mit Freundinnen und Freunden", "Outside with friends")),
    ("youth_centre", Words("Im Jugendhaus", "At the youth centre")),
    ("club", Words("Im Sportverein oder einem anderen Verein", "At a sports club or other club")),
    ("online", Words("Online", "Online")),
)

YOUTH_CHECK_TEMPLATE = Template(
    YOUTH_CHECK,
    QuestionnaireKind.SURVEY,
    Words(
        "Jugend-Check: Wie gut ist unser Angebot für dich?",
        "Youth check: how good is our service for you?",
    ),
    Words(
        "Wir fragen regelmäßig, wie es dir mit unserem Angebot und in deinem Alltag geht. "
        "Deine Antworten werden ohne deinen Namen gespeichert und helfen uns, besser zu werden.",
        "We regularly ask how you find our service and how you are getting on day to day. "
        "Your answers are stored without your name and help us to improve.",
    ),
    (
        _agreement(
            "Ich fühle mich hier willkommen.",
            "I feel welcome here.",
            required=True,
            allow_dont_know=True,
            section=Words("Unser Angebot", "Our service"),
        ),
        _agreement(
            "Die Mitarbeiterinnen und Mitarbeiter nehmen mich ernst.",
            "The staff take me seriously.",
            required=True,
            allow_dont_know=True,
        ),
        _agreement(
            "Ich kann mitbestimmen, was hier passiert.",
            "I have a say in what happens here.",
            required=True,
            allow_dont_know=True,
        ),
        _agreement(
            "Die Öffnungszeiten passen zu meinem Alltag.",
            "The opening hours fit my day.",
            required=True,
            allow_dont_know=True,
        ),
        TemplateQuestion(
            QuestionKind.SINGLE_CHOICE,
            Words("Wie oft nutzt du das Angebot?", "How often do you use the service?"),
            required=True,
            options=_HOW_OFTEN,
        ),
        TemplateQuestion(
            QuestionKind.RATING,
            Words(
                "Wie bewertest du das Angebot insgesamt?", "How do you rate the service overall?"
            ),
            required=True,
        ),
        TemplateQuestion(
            QuestionKind.RATING,
            Words(
                "Wie zufrieden bist du gerade mit deinem Leben insgesamt?",
                "How satisfied are you with your life overall at the moment?",
            ),
            required=True,
            page=2,
            section=Words("Dein Alltag", "Your everyday life"),
        ),
        _agreement(
            "Ich habe Menschen, an die ich mich wenden kann, wenn es mir nicht gut geht.",
            "I have people I can turn to when I am not doing well.",
            page=2,
            allow_dont_know=True,
        ),
        _agreement(
            "Ich fühle mich in meinem Stadtteil sicher.",
            "I feel safe in my neighbourhood.",
            page=2,
            allow_dont_know=True,
        ),
        TemplateQuestion(
            QuestionKind.SINGLE_CHOICE,
            Words(
                "Wo verbringst du deine freie Zeit am liebsten?",
                "Where do you most like to spend your free time?",
            ),
            page=2,
            options=_FREE_TIME,
        ),
        TemplateQuestion(
            QuestionKind.LONG_TEXT,
            Words("Was sollten wir besser machen?", "What should we do better?"),
            Words("Bitte nenne keine Namen.", "Please do not name anyone."),
            page=2,
        ),
    ),
)

BUILDING_ACCESS_TEMPLATE = Template(
    BUILDING_ACCESS,
    QuestionnaireKind.SURVEY,
    Words("Barriere-Check: öffentliches Gebäude", "Accessibility check: public building"),
    Words(
        "Prüfen Sie das Gebäude vom Gehweg bis zum Schalter, am besten mit dem Hilfsmittel, "
        "das Sie im Alltag nutzen. Beantworten Sie jeden Punkt mit „ja“, „nein“ oder „trifft "
        "hier nicht zu“.",
        "Check the building from the pavement to the counter, ideally with the aid you use "
        "every day. Answer each point with “yes”, “no” or “not applicable here”.",
    ),
    (
        _criterion(
            "Eingang: Ist der Eingang gut zu finden und ohne Stufen erreichbar?",
            "Entrance: is the entrance easy to find and reachable without steps?",
            "Vom Gehweg aus ausgeschildert; bei mehreren Eingängen ist der stufenlose "
            "gekennzeichnet.",
            "Signposted from the pavement; where there are several entrances, the step-free "
            "one is marked.",
            section=Words("Ankommen", "Arriving"),
        ),
        _criterion(
            "Stufen und Rampen: Gibt es zu jeder Stufe eine Rampe oder einen Aufzug, mit Handlauf?",
            "Steps and ramps: is there a ramp or a lift for every step, with a handrail?",
            "Rampen mit höchstens 6 % Steigung, Handläufe auf beiden Seiten, Stufenkanten "
            "deutlich markiert.",
            "Ramps no steeper than 6 %, handrails on both sides, step edges clearly marked.",
        ),
        _criterion(
            "Türen: Lassen sich die Türen leicht öffnen und sind sie breit genug?",
            "Doors: are the doors easy to open and wide enough?",
            "Mindestens 90 cm breit, automatisch oder mit wenig Kraft zu öffnen, Glastüren "
            "markiert.",
            "At least 90 cm wide, automatic or easy to push, glass doors marked.",
        ),
        _criterion(
            "Aufzug: Erreicht ein Aufzug alle öffentlichen Etagen?",
            "Lift: does a lift reach every public floor?",
            "Tasten in Greifhöhe und tastbar, Ansage der Etage, Platz für einen Rollstuhl mit "
            "Begleitung.",
            "Buttons within reach and tactile, floors announced, room for a wheelchair and a "
            "companion.",
            page=2,
            section=Words("Im Gebäude", "Inside the building"),
        ),
        _criterion(
            "Barrierefreies WC: Gibt es ein barrierefreies WC, das offen und gut erreichbar ist?",
            "Accessible toilet: is there an accessible toilet that is open and easy to reach?",
            "Ausgeschildert, nicht als Abstellraum genutzt, Notruf vom Boden aus erreichbar.",
            "Signposted, not used as a store room, emergency cord reachable from the floor.",
            page=2,
        ),
        _criterion(
            "Beschilderung und Kontraste: Sind Wegweiser gut lesbar und heben sich Türen, "
            "Stufen und Glasflächen deutlich ab?",
            "Signage and contrast: are signs easy to read, and do doors, steps and glass stand "
            "out clearly?",
            "Große Schrift, starke Kontraste, Symbole, tastbare Beschriftung an wichtigen Stellen.",
            "Large lettering, strong contrast, symbols, tactile labels at important points.",
            page=2,
        ),
        _criterion(
            "Höranlage: Gibt es an Schaltern und in Sälen eine Induktionsschleife?",
            "Hearing loop: is there an induction loop at counters and in meeting rooms?",
            "Mit dem Ohr-Symbol gekennzeichnet und eingeschaltet.",
            "Marked with the ear symbol and switched on.",
            page=3,
            section=Words("Hören und Hilfe", "Hearing and help"),
        ),
        _criterion(
            "Hilfe durch das Personal: Bekommen Sie Hilfe, wenn Sie sie brauchen?",
            "Help from staff: do you get help when you need it?",
            "Am Eingang ansprechbar oder per Klingel erreichbar, geduldig, auf Wunsch in "
            "Leichter Sprache.",
            "Available at the entrance or by a bell, patient, in plain language on request.",
            page=3,
        ),
        TemplateQuestion(
            QuestionKind.RATING,
            Words(
                "Wie gut ist das Gebäude insgesamt ohne fremde Hilfe nutzbar?",
                "How well can the building be used without help overall?",
            ),
            required=True,
            page=4,
            section=Words("Zum Schluss", "Finally"),
        ),
        TemplateQuestion(
            QuestionKind.LONG_TEXT,
            Words("Was muss sich zuerst ändern?", "What needs to change first?"),
            Words(
                "Beschreiben Sie die Stelle so, dass man sie wiederfindet.",
                "Describe the spot so that it can be found again.",
            ),
            page=4,
        ),
    ),
)

TEMPLATES: tuple[Template, ...] = (
    SHORT_FEEDBACK_TEMPLATE,
    COPRODUCTION_TEMPLATE,
    DEMENTIA_WALK_TEMPLATE,
    YOUTH_CHECK_TEMPLATE,
    BUILDING_ACCESS_TEMPLATE,
)
TEMPLATE_KEYS: tuple[str, ...] = tuple(template.key for template in TEMPLATES)


def template(key: str) -> Template:
    return next(t for t in TEMPLATES if t.key == key)


async def builtin_template_id(key: str, language: str = "de") -> int | None:
    """The row of a built-in template (as `ensure_builtin_templates` wrote it)."""
    row = (
        await Questionnaire.select(Questionnaire.id)
        .where(
            (Questionnaire.template_key == key)
            & (Questionnaire.language == language)
            & (Questionnaire.is_template == True)  # noqa: E712 - SQL, not Python
        )
        .first()
    )
    return row["id"] if row else None


async def ensure_builtin_templates() -> None:
    """Write the built-in templates that are missing, in their own write transaction (or the
    caller's). Costs one query when all exist, five when any is missing."""
    rows = await Questionnaire.raw(
        "SELECT template_key, language FROM questionnaire "
        "WHERE template_key IS NOT NULL AND is_template = {}",
        True,
    )
    present = {(row["template_key"], row["language"]) for row in rows}
    missing = [
        (template, language)
        for template in TEMPLATES
        for language in LANGUAGES
        if (template.key, language) not in present
    ]
    if not missing:
        return
    async with write_transaction():
        await _write_templates(missing)


QUESTIONNAIRE_COLUMNS = (
    "organisation",
    "kind",
    "title",
    "intro",
    "language",
    "is_template",
    "template_key",
    "reminder_days",
    "created_at",
    "updated_at",
)
QUESTION_COLUMNS = (
    "version",
    "position",
    "page",
    "section",
    "kind",
    "text",
    "help",
    "required",
    "options",
    "allow_dont_know",
    "per_stop",
    "min_value",
    "max_value",
)


async def _insert(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """One multi-row INSERT naming its columns; every value is a parameter."""
    names = ", ".join(f'"{name}"' for name in columns)
    one_row = "(" + ", ".join("{}" for _ in columns) + ")"
    sql = f'INSERT INTO "{table}" ({names}) VALUES ' + ", ".join(one_row for _ in rows)  # noqa: S608
    await Questionnaire.raw(sql, *(value for row in rows for value in row))


async def _write_templates(missing: list[tuple[Template, str]]) -> None:
    """Questionnaires, their versions 1 and the questions: one INSERT each, with the new ids
    read back by their unique keys (the order of a multi-row RETURNING is not guaranteed)."""
    now = utcnow()
    await _insert(
        "questionnaire",
        QUESTIONNAIRE_COLUMNS,
        [
            (
                None,
                t.kind.value,
                t.title.pick(language),
                t.intro.pick(language),
                language,
                True,
                t.key,
                t.reminder_days,
                now,
                now,
            )
            for t, language in missing
        ],
    )
    keys = {(t.key, language) for t, language in missing}
    written = await Questionnaire.raw(
        "SELECT id, template_key, language FROM questionnaire "
        "WHERE template_key IS NOT NULL AND is_template = {}",
        True,
    )
    ids = {
        (row["template_key"], row["language"]): row["id"]
        for row in written
        if (row["template_key"], row["language"]) in keys
    }
    await _insert(
        "questionnaire_version",
        ("questionnaire", "number", "created_at"),
        [(ids[(t.key, language)], 1, now) for t, language in missing],
    )
    placeholders = ", ".join("{}" for _ in ids)
    versions = await Questionnaire.raw(
        "SELECT id, questionnaire FROM questionnaire_version "  # noqa: S608 - placeholders only
        f"WHERE number = 1 AND questionnaire IN ({placeholders})",
        *ids.values(),
    )
    version_of = {row["questionnaire"]: row["id"] for row in versions}
    await _insert(
        "question",
        QUESTION_COLUMNS,
        [
            _question_values(version_of[ids[(t.key, language)]], position, question, language)
            for t, language in missing
            for position, question in enumerate(t.questions)
        ],
    )


def _question_values(
    version_id: int, position: int, question: TemplateQuestion, language: str
) -> tuple[Any, ...]:
    return (
        version_id,
        position,
        question.page,
        question.section.pick(language),
        question.kind.value,
        question.text.pick(language),
        question.help.pick(language),
        question.required,
        dump_options([(key, label.pick(language)) for key, label in question.options]),
        question.allow_dont_know,
        question.per_stop,
        question.min_value,
        question.max_value,
    )
