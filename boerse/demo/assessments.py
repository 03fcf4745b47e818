"""The demo town's standalone assessments (Mit-Bewerten campaigns), with answers.

"Zeig uns deinen Lieblingsplatz" (Stadtplanungsamt, open to every verified account, a place
question first) has answers from residents, so its results page has something to show; the
youth centre check (Jugendamt, single-use links, a copy of the built-in youth check) has
links of which some were answered. The demo resident login has not answered yet, so the
public link can be tried with it. No mail is queued: the links' tokens are not kept."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from boerse.accounts.tables import Organisation, Role, User
from boerse.assessments.services import new_slug
from boerse.assessments.tables import (
    Assessment,
    AssessmentAccess,
    AssessmentLink,
    AssessmentParticipant,
    LinkStatus,
)
from boerse.lib.db import write_transaction
from boerse.lib.security import new_token
from boerse.questionnaires.catalog import YOUTH_CHECK, builtin_template_id, ensure_builtin_templates
from boerse.questionnaires.kinds import DONT_KNOW, QuestionKind
from boerse.questionnaires.model import (
    QuestionRow,
    VersionPlan,
    copy_questionnaire,
    dump_options,
    insert_questionnaire,
    latest_version_id,
    load_plan,
)
from boerse.questionnaires.tables import Question, Questionnaire, Response
from boerse.questionnaires.tally import NewAnswer, insert_answers

SEED = 2609
FAVOURITE_PLACE_TITLE = "Zeig uns deinen Lieblingsplatz"
YOUTH_CENTRE_TITLE = "Wie gut ist unser Jugendzentrum „Alte Weberei“?"
FAVOURITE_PLACE_ANSWERS = 42
YOUTH_LINKS_SENT = 14
YOUTH_LINKS_ANSWERED = 6
SKIPPED_RESIDENTS = ("anna.weber@post.example",)
"""The demo resident login: left to try the public link with."""

PLACES = (
    ("marktplatz", "Marktplatz"),
    ("stadtpark", "Stadtpark am Teich"),
    ("auwald", "Auwald am Flussufer"),
    ("hafen", "Lindenauer Hafen"),
    ("bibliothek", "Stadtbibliothek"),
    ("spielplatz", "Abenteuerspielplatz Nord"),
)
ACTIVITIES = (
    ("ausruhen", "Ausruhen"),
    ("treffen", "Leute treffen"),
    ("spielen", "Mit Kindern spielen"),
    ("sport", "Sport und Bewegung"),
    ("natur", "Natur beobachten"),
)
COMMENTS = (
    "Die alten Bäume und der Blick aufs Wasser.",
    "Hier ist immer etwas los, und trotzdem ist es entspannt.",
    "Mehr Bänke im Schatten wären schön.",
    "Abends fehlt Beleuchtung auf dem Weg dorthin.",
    "Ruhig, grün und mit dem Rad gut zu erreichen.",
    "Eine Toilette in der Nähe würde helfen.",
)


def _favourite_place_questions(version_id: int) -> list[Question]:
    rows = [
        (
            1,
            QuestionKind.PLACE,
            "Wo ist Ihr Lieblingsplatz in Lindenau?",
            "Wählen Sie einen Ort aus der Liste oder beschreiben Sie ihn mit eigenen Worten.",
            True,
            PLACES,
            False,
        ),
        (
            1,
            QuestionKind.MULTIPLE_CHOICE,
            "Was machen Sie dort am liebsten?",
            "",
            False,
            ACTIVITIES,
            False,
        ),
        (1, QuestionKind.RATING, "Wie wohl fühlen Sie sich dort?", "", True, (), False),
        (
            2,
            QuestionKind.AGREEMENT,
            "Der Ort ist gut zu erreichen, auch mit Rollstuhl oder Kinderwagen.",
            "",
            False,
            (),
            True,
        ),
        (2, QuestionKind.LONG_TEXT, "Was macht den Ort für Sie besonders?", "", False, (), False),
    ]
    return [
        Question(
            version=version_id,
            position=position,
            page=page,
            kind=kind.value,
            text=text,
            help=help_text,
            required=required,
            options=dump_options(list(options)) if options else "[]",
            allow_dont_know=dont_know,
        )
        for position, (page, kind, text, help_text, required, options, dont_know) in enumerate(rows)
    ]


def random_answers(plan: VersionPlan, rng: random.Random) -> list[NewAnswer]:
    """A plausible, valid answer to every page, as the answer form would store it."""
    answers: list[NewAnswer] = []
    for page in plan.pages:
        stop_id = page.stop.id if page.stop else None
        for question in page.questions:
            if not question.required and rng.random() < 0.2:
                continue
            answers.extend(_answer(question, stop_id, rng))
    return answers


def _answer(question: QuestionRow, stop_id: int | None, rng: random.Random) -> list[NewAnswer]:
    kind = question.kind
    if kind == QuestionKind.MULTIPLE_CHOICE:
        chosen = rng.sample(question.options, k=min(len(question.options), rng.randint(1, 2)))
        return [NewAnswer(question.id, stop_id, choice=option.key) for option in chosen]
    if kind == QuestionKind.NUMBER:
        low = question.min_value if question.min_value is not None else 0
        high = question.max_value if question.max_value is not None else 10
        return [NewAnswer(question.id, stop_id, number=float(rng.randint(int(low), int(high))))]
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        return [NewAnswer(question.id, stop_id, text=rng.choice(COMMENTS))]
    if not question.options:
        return []
    # Options come in order from best to worst; residents lean to the good end.
    weights = [len(question.options) - index + 1 for index in range(len(question.options))]
    option = rng.choices(question.options, weights=weights)[0]
    number = None if option.key == DONT_KNOW or option.value is None else float(option.value)
    if kind == QuestionKind.PLACE:
        return [NewAnswer(question.id, stop_id, choice=option.key)]
    return [NewAnswer(question.id, stop_id, choice=option.key, number=number)]


async def _respond(
    plan: VersionPlan, count: int, rng: random.Random, days: int, now: dt.datetime
) -> None:
    """`count` complete anonymous responses, each dated to a day of the last `days`."""
    for _ in range(count):
        day = (now - dt.timedelta(days=rng.randint(0, max(days - 1, 0)))).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        inserted = await Response.insert(
            Response(
                questionnaire=plan.questionnaire_id,
                version=plan.version_id,
                progress=len(plan.pages),
                completed=True,
                resume_hash=None,
                submitted_at=day,
            )
        ).returning(Response.id)
        await insert_answers(inserted[0]["id"], random_answers(plan, rng))


async def _organisation_and_officer(name: str) -> tuple[int, int | None]:
    organisation = (
        await Organisation.select(Organisation.id).where(Organisation.name == name).first()
    )
    officer = (
        await User.select(User.id)
        .where(User.organisation == organisation["id"], User.role == Role.OFFICER.value)
        .order_by(User.id)
        .first()
    )
    return organisation["id"], officer["id"] if officer else None


async def _residents(count: int) -> Sequence[int]:
    rows = (
        await User.select(User.id)
        .where(
            User.role == Role.RESIDENT.value,
            User.email_verified_at.is_not_null(),
            User.email.not_in(list(SKIPPED_RESIDENTS)),
        )
        .order_by(User.id)
        .limit(count)
    )
    return [row["id"] for row in rows]


async def _assessment(
    questionnaire_id: int,
    organisation_id: int,
    officer_id: int | None,
    title: str,
    description: str,
    access: AssessmentAccess,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
) -> int:
    inserted = await Assessment.insert(
        Assessment(
            questionnaire=questionnaire_id,
            organisation=organisation_id,
            title=title,
            description=description,
            slug=new_slug(),
            access=access.value,
            opens_at=opens_at,
            closes_at=closes_at,
            created_by=officer_id,
            created_at=opens_at - dt.timedelta(days=2),
        )
    ).returning(Assessment.id)
    return inserted[0]["id"]


async def favourite_place(now: dt.datetime, rng: random.Random) -> None:
    organisation_id, officer_id = await _organisation_and_officer("Stadtplanungsamt")
    opens_at = now - dt.timedelta(days=12)
    questionnaire_id = await insert_questionnaire(
        organisation=organisation_id,
        title=FAVOURITE_PLACE_TITLE,
        intro="Danke, dass Sie mitmachen! Es dauert etwa zwei Minuten.",
        reminder_days="",
        created_by=officer_id,
        created_at=opens_at,
    )
    version_id = await latest_version_id(questionnaire_id)
    await Question.insert(*_favourite_place_questions(version_id))
    assessment_id = await _assessment(
        questionnaire_id,
        organisation_id,
        officer_id,
        FAVOURITE_PLACE_TITLE,
        "Welcher Ort in Lindenau ist Ihnen der liebste, und warum? Die Stadtplanung sammelt "
        "Lieblingsplätze für den neuen Freiraumplan: Was gut ist, soll bleiben, und was "
        "fehlt, kommt auf die Liste. Die Ergebnisse stellen wir im Frühjahr öffentlich vor.",
        AssessmentAccess.ACCOUNT,
        opens_at,
        now + dt.timedelta(days=30),
    )
    plan = await load_plan(version_id)
    residents = await _residents(FAVOURITE_PLACE_ANSWERS)
    await _respond(plan, len(residents), rng, days=12, now=now)
    await AssessmentParticipant.insert(
        *(
            AssessmentParticipant(assessment=assessment_id, user=user_id, completed=True)
            for user_id in residents
        )
    )


async def youth_centre(now: dt.datetime, rng: random.Random) -> None:
    organisation_id, officer_id = await _organisation_and_officer("Jugendamt")
    template_id = await builtin_template_id(YOUTH_CHECK, "de")
    if template_id is None:
        return
    questionnaire_id = await copy_questionnaire(
        template_id,
        organisation_id=organisation_id,
        created_by=officer_id,
        title=YOUTH_CENTRE_TITLE,
    )
    await Questionnaire.update({Questionnaire.reminder_days: ""}).where(
        Questionnaire.id == questionnaire_id
    )
    opens_at = now - dt.timedelta(days=5)
    assessment_id = await _assessment(
        questionnaire_id,
        organisation_id,
        officer_id,
        YOUTH_CENTRE_TITLE,
        "Einmal im Jahr fragen wir die Besucherinnen und Besucher der Alten Weberei, wie es "
        "ihnen bei uns geht: Was läuft gut, was fehlt, fühlst du dich sicher und ernst "
        "genommen? Jede und jeder bekommt einen persönlichen Link per E-Mail.",
        AssessmentAccess.LINK,
        opens_at,
        now + dt.timedelta(days=23),
    )
    await AssessmentLink.insert(
        *(
            AssessmentLink(
                assessment=assessment_id,
                token_hash=new_token()[1],
                status=(
                    LinkStatus.ANSWERED if index < YOUTH_LINKS_ANSWERED else LinkStatus.SENT
                ).value,
                created_at=opens_at,
            )
            for index in range(YOUTH_LINKS_SENT)
        )
    )
    plan = await load_plan(await latest_version_id(questionnaire_id))
    await _respond(plan, YOUTH_LINKS_ANSWERED, rng, days=5, now=now)


async def demo_assessments(now: dt.datetime) -> None:
    """Both campaigns with their answers, in one transaction; the organisations and
    residents of the demo town must exist."""
    await ensure_builtin_templates()
    rng = random.Random(SEED)
    async with write_transaction():
        await favourite_place(now, rng)
        await youth_centre(now, rng)
