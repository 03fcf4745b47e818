"""The demo's questionnaires and their answers, so every feature of co-assessment has
something to show on first start.

Most opportunities with answers use a copy of the built-in short feedback, the
co-commission ones a copy of a town-wide template the administrator made (the default for
that mode). Three are showcases: the dementia-friendliness walk audit with three stops in
the town's west, the youth check copied from the catalogue, and a questionnaire the
environment office built itself (place, number and choice questions), edited after the
first answers, so a second version exists. Each answered survey of the plan becomes one
completed response; its planned ratings and comment fill the questions they fit (the first
rating, the first three agreements, the closing free text) and a seeded generator answers
the rest in the same mood. Answers are stored and tallied with `tally.insert_answers`."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from boerse.demo.bulk import insert_batched
from boerse.lib.db import utcnow
from boerse.opportunities.tables import Mode
from boerse.questionnaires.catalog import (
    DEMENTIA_WALK,
    SHORT_FEEDBACK,
    YOUTH_CHECK,
    builtin_template_id,
    ensure_builtin_templates,
)
from boerse.questionnaires.kinds import (
    CHECKLIST_NO,
    CHECKLIST_NOT_APPLICABLE,
    CHECKLIST_YES,
    DONT_KNOW,
    QuestionKind,
)
from boerse.questionnaires.model import (
    QuestionRow,
    VersionPlan,
    copy_questionnaire,
    dump_options,
    latest_version_id,
    load_plan,
    new_version,
)
from boerse.questionnaires.tables import (
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Stop,
)
from boerse.questionnaires.tally import NewAnswer, insert_answers

SEED = 2027
WALK_AUDIT_OFFER = "Demenzfreundlicher Stadtteil: Begehung mit Checkliste"
WALK_AUDIT_TITLE = "Begehung: Demenzfreundliches {town}"
YOUTH_OFFER = "Jugend-Check: Wie gut sind unsere Freizeitangebote?"
OFFICER_BUILT_OFFER = "Baumpatenschaft: Junge Stadtbäume pflegen"
SECOND_VERSION_SHARE = 0.4
"""The latest answers of the officer-built questionnaire answer its edited second version."""


@dataclass(frozen=True)
class AnsweredSurvey:
    """One answered follow-up survey of the plan (no link to the person)."""

    opportunity_id: int
    answered_at: dt.datetime
    ratings: tuple[int, int, int, int]
    comment: str


@dataclass(frozen=True)
class DemoOpportunity:
    id: int
    title: str
    """The catalogue's title, before `{town}` is replaced."""
    mode: str
    organisation_id: int
    officer_id: int


@dataclass(frozen=True)
class Ask:
    """A question the demo's officers or administrator wrote themselves."""

    kind: QuestionKind
    text: str
    help: str = ""
    required: bool = False
    page: int = 1
    section: str = ""
    options: tuple[tuple[str, str], ...] = ()
    min_value: float | None = None
    max_value: float | None = None

    def row(self, version_id: int, position: int) -> Question:
        return Question(
            version=version_id,
            position=position,
            page=self.page,
            section=self.section,
            kind=self.kind.value,
            text=self.text,
            help=self.help,
            required=self.required,
            options=dump_options(list(self.options)),
            min_value=self.min_value,
            max_value=self.max_value,
        )


@dataclass(frozen=True)
class DemoStop:
    name: str
    address: str
    latitude: float
    longitude: float
    yes_share: dict[str, float]
    """How often assessors tick "ja" per criterion (the word before the colon)."""
    notes: tuple[str, ...]


TOWN_TEMPLATE_TITLE = "Rückmeldung aus Beiräten und Kommissionen"
TOWN_TEMPLATE: tuple[Ask, ...] = (
    Ask(QuestionKind.RATING, "Wie bewerten Sie die Sitzung insgesamt?", required=True),
    Ask(
        QuestionKind.AGREEMENT,
        "Ich konnte meine Sicht einbringen.",
        required=True,
        section="Wie sehr treffen diese Aussagen zu?",
    ),
    Ask(
        QuestionKind.AGREEMENT,
        "Die Unterlagen waren verständlich und kamen rechtzeitig.",
        required=True,
    ),
    Ask(QuestionKind.AGREEMENT, "Ich weiß, was mit unseren Empfehlungen geschieht.", required=True),
    Ask(
        QuestionKind.LONG_TEXT,
        "Was sollten wir bei der nächsten Sitzung anders machen?",
        "Bitte nennen Sie keine Namen oder anderen persönlichen Angaben.",
    ),
)

TREE_PLACES = (
    ("parkstrasse", "Parkstraße, am Eingang zum Stadtpark"),
    ("lindenallee", "Lindenallee vor dem Bürgerhaus West"),
    ("teich", "Stadtpark, Weg am Teich"),
    ("schulstrasse", "Schulstraße an der Stadtbibliothek"),
    ("muehlenweg", "Mühlenweg beim Sonnenhof"),
)
OFFICER_BUILT_TITLE = "Rückmeldung der Baumpatinnen und Baumpaten"
OFFICER_BUILT: tuple[Ask, ...] = (
    Ask(
        QuestionKind.PLACE,
        "Welchen Baum betreuen Sie?",
        "Wählen Sie den Standort aus der Liste oder beschreiben Sie ihn mit eigenen Worten.",
        required=True,
        section="Ihr Baum",
        options=TREE_PLACES,
    ),
    Ask(
        QuestionKind.NUMBER,
        "Wie oft haben Sie in den letzten vier Wochen gegossen?",
        "Eine ungefähre Zahl genügt.",
        required=True,
        min_value=0,
        max_value=60,
    ),
    Ask(
        QuestionKind.SINGLE_CHOICE,
        "Wie geht es Ihrem Baum?",
        required=True,
        options=(
            ("good", "Gut, er treibt kräftig aus"),
            ("wilting", "Die Blätter welken"),
            ("damaged", "Rinde oder Äste sind beschädigt"),
            ("unsure", "Kann ich nicht beurteilen"),
        ),
    ),
    Ask(
        QuestionKind.MULTIPLE_CHOICE,
        "Was würde Ihnen die Pflege erleichtern?",
        "Sie können mehrere Antworten wählen.",
        page=2,
        section="Unterstützung",
        options=(
            ("water", "Eine Wasserstelle in der Nähe"),
            ("bag", "Ein Gießsack am Baum"),
            ("reminder", "Eine Erinnerung bei Hitze"),
            ("meeting", "Treffen mit anderen Patinnen und Paten"),
        ),
    ),
    Ask(
        QuestionKind.RATING,
        "Wie zufrieden sind Sie mit der Unterstützung durch das Umweltamt?",
        required=True,
        page=2,
    ),
    Ask(QuestionKind.LONG_TEXT, "Was möchten Sie uns noch sagen?", page=2),
)
REWORDED = (
    1,
    "An wie vielen Tagen haben Sie in den letzten vier Wochen gegossen?",
)
"""The edit after the first answers: a clearer wording of the number question …"""
ADDED = Ask(
    QuestionKind.AGREEMENT,
    "Ich möchte die Patenschaft im nächsten Jahr fortsetzen.",
    required=True,
    page=2,
)
"""… and a new question; both only in version 2."""

WALK_STOPS: tuple[DemoStop, ...] = (
    DemoStop(
        "Bushaltestelle Mühlenweg",
        "Mühlenweg 20, 04178 {town}",
        51.3322,
        12.3268,
        {
            "Beschilderung": 0.5,
            "Sitzgelegenheiten": 0.85,
            "Toiletten": 0.05,
            "Beleuchtung": 0.45,
            "Überwege": 0.3,
            "Lärm": 0.25,
            "Hilfe": 0.2,
        },
        (
            "Der Fahrplan hängt zu hoch und ist sehr klein gedruckt.",
            "Die Bank im Wartehäuschen ist gut, aber ohne Armlehnen.",
            "Zum Überqueren der Straße fehlt eine Ampel, die Autos fahren schnell.",
            "Abends ist die Haltestelle dunkel.",
        ),
    ),
    DemoStop(
        "Bürgerhaus West, Eingang Lindenallee",
        "Lindenallee 44, 04177 {town}",
        51.3365,
        12.3241,
        {
            "Beschilderung": 0.7,
            "Sitzgelegenheiten": 0.9,
            "Toiletten": 0.9,
            "Beleuchtung": 0.85,
            "Überwege": 0.75,
            "Lärm": 0.8,
            "Hilfe": 0.9,
        },
        (
            "Am Empfang wurde uns freundlich und geduldig geholfen.",
            "Die Glastür ist schwer zu erkennen, ein Streifen wäre gut.",
            "Die Toilette ist gut ausgeschildert.",
        ),
    ),
    DemoStop(
        "Marktplatz am Brunnen",
        "Marktplatz, 04177 {town}",
        51.3395,
        12.3322,
        {
            "Beschilderung": 0.35,
            "Sitzgelegenheiten": 0.75,
            "Toiletten": 0.45,
            "Beleuchtung": 0.7,
            "Überwege": 0.55,
            "Lärm": 0.3,
            "Hilfe": 0.6,
        },
        (
            "Am Markttag ist es sehr laut und unübersichtlich.",
            "Zu viele Schilder auf einmal, der Weg zum Rathaus ist nicht zu finden.",
            "Das Kopfsteinpflaster ist mit dem Rollator schwierig.",
            "Die Toilette im Rathaus ist nur zu den Öffnungszeiten offen.",
        ),
    ),
)

STOP_FREE_TEXTS = (
    "Mehr Bänke entlang des Weges, vor allem zwischen Haltestelle und Markt.",
    "Eine Ampel am Mühlenweg.",
    "Große, einfache Schilder mit Bildern.",
    "Eine öffentliche Toilette, die immer offen ist.",
)
OTHER_TEXTS = (
    "Die Patenschaft macht Freude, aber im Sommer reicht das Wasser nicht.",
    "Ein zweiter Gießsack wäre hilfreich.",
    "Schön wäre ein Treffen mit den anderen Patinnen und Paten.",
    "Mehr Angebote am Wochenende, bitte.",
    "Das WLAN im Jugendhaus ist zu langsam.",
)


@dataclass
class _Assignment:
    """Which questionnaire and version the answers of each opportunity go to."""

    versions: dict[int, list[int]] = field(default_factory=dict)
    """Opportunity → its versions, oldest first."""
    questionnaires: dict[int, int] = field(default_factory=dict)


async def write_questionnaires(
    opportunities: list[DemoOpportunity],
    surveys: list[AnsweredSurvey],
    *,
    invited: set[int],
    town: str,
    admin_id: int,
) -> dict[int, int]:
    """The town-wide template, a questionnaire for every opportunity that sent survey
    invitations, and the answers; inside the loader's write transaction. Returns each such
    opportunity's questionnaire, which its invitations answer."""
    await ensure_builtin_templates()
    sources = {
        key: await builtin_template_id(key) for key in (SHORT_FEEDBACK, DEMENTIA_WALK, YOUTH_CHECK)
    }
    sources[TOWN_TEMPLATE_TITLE] = await _town_template(admin_id)
    assignment = _Assignment()
    for opportunity in opportunities:
        if opportunity.id in invited:
            await _questionnaire_for(opportunity, sources, town, assignment)
    await _responses(surveys, assignment)
    return assignment.questionnaires


async def _new_questionnaire(
    title: str, asks: tuple[Ask, ...], *, created_by: int, **columns: object
) -> tuple[int, int]:
    """A questionnaire written by hand (not copied): its id and its version 1."""
    now = utcnow()
    questionnaire = Questionnaire(
        title=title, created_by=created_by, created_at=now, updated_at=now, **columns
    )
    await Questionnaire.insert(questionnaire)
    version = QuestionnaireVersion(questionnaire=questionnaire.id, number=1, created_at=now)
    await QuestionnaireVersion.insert(version)
    await insert_batched(Question, [ask.row(version.id, index) for index, ask in enumerate(asks)])
    return questionnaire.id, version.id


async def _town_template(admin_id: int) -> int:
    questionnaire_id, _ = await _new_questionnaire(
        TOWN_TEMPLATE_TITLE,
        TOWN_TEMPLATE,
        created_by=admin_id,
        is_template=True,
        default_for_mode=Mode.CO_COMMISSION.value,
        intro="Ihre Rückmeldung hilft, die Arbeit der Gremien zu verbessern. Die Antworten "
        "werden ohne Ihren Namen gespeichert.",
    )
    return questionnaire_id


async def _questionnaire_for(
    opportunity: DemoOpportunity, sources: dict[str, int], town: str, assignment: _Assignment
) -> None:
    """Copies a template for the opportunity (the showcases' own or its mode's), or, for
    the tree sponsorship, writes the questionnaire its officer built."""
    if opportunity.title == OFFICER_BUILT_OFFER:
        questionnaire_id, first = await _new_questionnaire(
            OFFICER_BUILT_TITLE,
            OFFICER_BUILT,
            created_by=opportunity.officer_id,
            organisation=opportunity.organisation_id,
            opportunity=opportunity.id,
        )
        assignment.versions[opportunity.id] = [
            first,
            await _edited_version(questionnaire_id, first),
        ]
        assignment.questionnaires[opportunity.id] = questionnaire_id
        return
    if opportunity.title == WALK_AUDIT_OFFER:
        source, title = sources[DEMENTIA_WALK], WALK_AUDIT_TITLE.format(town=town)
    elif opportunity.title == YOUTH_OFFER:
        source, title = sources[YOUTH_CHECK], "Jugend-Check: Jugendhaus Kompass"
    elif opportunity.mode == Mode.CO_COMMISSION:
        source, title = sources[TOWN_TEMPLATE_TITLE], None
    else:
        source, title = sources[SHORT_FEEDBACK], None
    showcase = opportunity.title in (WALK_AUDIT_OFFER, YOUTH_OFFER)
    questionnaire_id = await copy_questionnaire(
        source,
        organisation_id=opportunity.organisation_id,
        opportunity_id=opportunity.id,
        created_by=opportunity.officer_id if showcase else None,
        title=title,
    )
    version_id = await latest_version_id(questionnaire_id)
    if opportunity.title == WALK_AUDIT_OFFER:
        await Stop.insert(
            *(
                Stop(
                    version=version_id,
                    position=index,
                    name=stop.name,
                    address=stop.address.format(town=town),
                    latitude=stop.latitude,
                    longitude=stop.longitude,
                )
                for index, stop in enumerate(WALK_STOPS)
            )
        )
    assignment.versions[opportunity.id] = [version_id]
    assignment.questionnaires[opportunity.id] = questionnaire_id


async def _edited_version(questionnaire_id: int, first: int) -> int:
    """Version 2, as the builder makes it once answers exist: a copy, then the edits."""
    second = await new_version(questionnaire_id, first)
    position, text = REWORDED
    await Question.update({Question.text: text}).where(
        (Question.version == second) & (Question.position == position)
    )
    await Question.insert(ADDED.row(second, len(OFFICER_BUILT)))
    return second


def _version_of(surveys: list[AnsweredSurvey], assignment: _Assignment) -> list[int]:
    """The version each survey answered: the later answers of a twice-versioned
    questionnaire answer its second version."""
    ordered = sorted(range(len(surveys)), key=lambda i: surveys[i].answered_at)
    seen: dict[int, int] = {}
    totals: dict[int, int] = {}
    for survey in surveys:
        totals[survey.opportunity_id] = totals.get(survey.opportunity_id, 0) + 1
    chosen = [0] * len(surveys)
    for index in ordered:
        opportunity_id = surveys[index].opportunity_id
        versions = assignment.versions[opportunity_id]
        rank = seen.get(opportunity_id, 0)
        seen[opportunity_id] = rank + 1
        later = rank >= totals[opportunity_id] * (1 - SECOND_VERSION_SHARE)
        chosen[index] = versions[-1] if later else versions[0]
    return chosen


async def _responses(surveys: list[AnsweredSurvey], assignment: _Assignment) -> None:
    versions = _version_of(surveys, assignment)
    plans: dict[int, VersionPlan] = {}
    for version_id in sorted(set(versions)):
        plan = await load_plan(version_id)
        assert plan is not None
        plans[version_id] = plan
    rng = random.Random(SEED)
    rows: list[tuple[Response, list[NewAnswer]]] = []
    for survey, version_id in zip(surveys, versions, strict=True):
        plan = plans[version_id]
        response = Response(
            questionnaire=plan.questionnaire_id,
            version=version_id,
            opportunity=survey.opportunity_id,
            progress=len(plan.pages),
            completed=True,
            resume_hash=None,
            submitted_at=survey.answered_at.replace(hour=0, minute=0, second=0, microsecond=0),
        )
        rows.append((response, _answers(plan, survey, rng)))
    # Insertion order would mirror the invitations; shuffled, ids link no answer to a person.
    rng.shuffle(rows)
    await insert_batched(Response, [response for response, _ in rows])
    for response, answers in rows:
        await insert_answers(response.id, answers)


def _answers(plan: VersionPlan, survey: AnsweredSurvey, rng: random.Random) -> list[NewAnswer]:
    """One respondent's answers page by page: planned values where they fit, the rest in
    the mood of the planned overall rating."""
    planned = _Planned(survey)
    if plan.is_walk_audit:  # the closing question asks what should change along the route
        planned.comment = iter([rng.choice(STOP_FREE_TEXTS)] if rng.random() < 0.6 else [])
    answers: list[NewAnswer] = []
    for page in plan.pages:
        for question in page.questions:
            if page.stop is not None:
                stop = WALK_STOPS[page.stop.position]
                answers += _at_stop(question, page.stop.id, stop, rng)
            else:
                answers += _answer(question, planned, rng)
    return answers


class _Planned:
    """Hands out a planned survey's values to the questions they belong to, once each."""

    def __init__(self, survey: AnsweredSurvey) -> None:
        self.mood = survey.ratings[0]
        self.rating: Iterator[int] = iter(survey.ratings[:1])
        self.agreements: Iterator[int] = iter(survey.ratings[1:])
        self.comment: Iterator[str] = iter([survey.comment])


def _scale(question: QuestionRow, value: int) -> NewAnswer:
    return NewAnswer(question.id, choice=str(value), number=float(value))


def _answer(question: QuestionRow, planned: _Planned, rng: random.Random) -> list[NewAnswer]:
    kind = question.kind
    if kind == QuestionKind.RATING:
        value = next(planned.rating, None)
        return [_scale(question, value or _clamp(round(rng.gauss(planned.mood, 0.9)), 1, 5))]
    if kind == QuestionKind.AGREEMENT:
        value = next(planned.agreements, None)
        if value is None and question.allow_dont_know and rng.random() < 0.06:
            return [NewAnswer(question.id, choice=DONT_KNOW)]
        mean = 1 + (planned.mood - 1) * 3 / 4
        return [_scale(question, value or _clamp(round(rng.gauss(mean, 0.8)), 1, 4))]
    if kind in (QuestionKind.LONG_TEXT, QuestionKind.SHORT_TEXT):
        text = next(planned.comment, None)
        if text is None and rng.random() < 0.25:
            text = rng.choice(OTHER_TEXTS)
        return [NewAnswer(question.id, text=text)] if text else []
    if not question.required and rng.random() < 0.15:
        return []
    keys = [option.key for option in question.options]
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.CHECKLIST):
        weights = [len(keys) - index for index in range(len(keys))]  # first options likelier
        return [NewAnswer(question.id, choice=rng.choices(keys, weights)[0])]
    if kind == QuestionKind.MULTIPLE_CHOICE:
        chosen = [key for key in keys if rng.random() < 0.4] or [rng.choice(keys)]
        return [NewAnswer(question.id, choice=key) for key in chosen]
    if kind == QuestionKind.PLACE:
        return [NewAnswer(question.id, choice=rng.choice(keys))]
    if kind == QuestionKind.NUMBER:
        low = question.min_value or 0
        high = question.max_value if question.max_value is not None else low + 20
        return [
            NewAnswer(
                question.id, number=float(round(rng.triangular(low, high, low + (high - low) / 5)))
            )
        ]
    return []


def _at_stop(
    question: QuestionRow, stop_id: int, stop: DemoStop, rng: random.Random
) -> list[NewAnswer]:
    if question.kind == QuestionKind.CHECKLIST:
        criterion = question.text.split(":")[0]
        roll = rng.random()
        if roll < 0.04:
            choice = CHECKLIST_NOT_APPLICABLE
        else:
            choice = CHECKLIST_YES if roll < stop.yes_share.get(criterion, 0.5) else CHECKLIST_NO
        return [NewAnswer(question.id, stop_id, choice=choice)]
    if question.kind == QuestionKind.LONG_TEXT and rng.random() < 0.45:
        return [NewAnswer(question.id, stop_id, text=rng.choice(stop.notes))]
    return []


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))
