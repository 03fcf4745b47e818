"""Rows for survey and dashboard tests: past sessions, sign-ups, invitations and answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from boerse.lib.db import utcnow, write_transaction
from boerse.lib.security import new_token
from boerse.opportunities.tables import Opportunity, OpportunitySession, SignUp, SignUpStatus
from boerse.questionnaires.assignment import questionnaire_for_opportunity
from boerse.questionnaires.model import VersionPlan, dump_options, latest_version_id, load_plan
from boerse.questionnaires.tables import Question, Questionnaire, QuestionnaireVersion, Stop
from boerse.surveys.tables import InvitationStatus, SurveyInvitation
from tests.support.factories import make_session, make_user


async def past_session(
    opportunity: Opportunity, ended_ago: dt.timedelta = dt.timedelta(hours=1)
) -> OpportunitySession:
    """A two-hour session that ended `ended_ago` before now."""
    duration = dt.timedelta(hours=2)
    return await make_session(opportunity, starts_in=-(ended_ago + duration), duration=duration)


async def make_signup(
    session: OpportunitySession,
    status: SignUpStatus = SignUpStatus.CONFIRMED,
    attendance: str | None = None,
    hours: float | None = None,
    email: str | None = None,
) -> SignUp:
    user = await make_user(email=email)
    signup = SignUp(
        session=session.id, user=user.id, status=status.value, attendance=attendance, hours=hours
    )
    await signup.save()
    return signup


async def make_invitation(
    signup: SignUp,
    expires_in: dt.timedelta = dt.timedelta(days=14),
    status: InvitationStatus = InvitationStatus.SENT,
    questionnaire: int | None = None,
) -> str:
    """An invitation as the job would leave it; returns the token of its link."""
    session = (
        await OpportunitySession.objects().where(OpportunitySession.id == signup.session).first()
    )
    token, token_hash = new_token()
    await SurveyInvitation(
        sign_up=signup.id,
        opportunity=session.opportunity,
        token_hash=token_hash,
        status=status.value,
        expires_at=utcnow() + expires_in,
        questionnaire=questionnaire,
    ).save()
    return token


async def opportunity_plan(opportunity_id: int) -> VersionPlan:
    """The questionnaire version a survey link of this opportunity answers (created from
    the short-feedback template on first use, as the route does)."""
    async with write_transaction():
        questionnaire_id = await questionnaire_for_opportunity(opportunity_id)
    plan = await load_plan(await latest_version_id(questionnaire_id))
    assert plan is not None
    return plan


SHORT_FEEDBACK_ANSWERS = ("5", "4", "3", "4", "Gerne wieder!")
"""Overall rating, the three statements (4 = ++), the comment: as the survey form posts them."""


def answer_form(plan: VersionPlan, page: int = 1, **by_position: str) -> dict[str, str]:
    """A complete, valid answer to a short-feedback page; `a<position>=` overrides one
    answer ("" leaves it out)."""
    data = {"page": str(page)}
    for q in plan.pages[page - 1].questions:
        default = SHORT_FEEDBACK_ANSWERS[q.position] if q.position < 5 else ""
        value = by_position.get(f"a{q.position}", default)
        if value:
            data[q.field_name] = value
    return data


# --- questionnaires (the generic model the survey link answers) ---------------------------


def question(kind: str, text: str = "", **fields: Any) -> dict[str, Any]:
    """A question as `make_questionnaire` takes it: kind, text and any Question column."""
    return {"kind": kind, "text": text or f"Frage zu {kind}", **fields}


async def make_questionnaire(
    questions: list[dict[str, Any]],
    *,
    stops: list[dict[str, Any]] | None = None,
    kind: str = "survey",
    title: str = "Rückmeldung",
    opportunity: Opportunity | None = None,
    is_template: bool = False,
    template_key: str | None = None,
    default_for_mode: str | None = None,
    organisation: int | None = None,
    reminder_days: str = "3,10",
    language: str = "de",
) -> int:
    """A questionnaire with version 1, its questions (positions in list order) and stops;
    returns the questionnaire's id."""
    questionnaire = Questionnaire(
        kind=kind,
        title=title,
        opportunity=opportunity.id if opportunity else None,
        organisation=organisation,
        is_template=is_template,
        template_key=template_key,
        default_for_mode=default_for_mode,
        reminder_days=reminder_days,
        language=language,
    )
    await questionnaire.save()
    version = QuestionnaireVersion(questionnaire=questionnaire.id, number=1)
    await version.save()
    for position, fields in enumerate(questions):
        values = dict(fields)
        if isinstance(values.get("options"), list):
            values["options"] = dump_options(values["options"])
        await Question(version=version.id, position=position, **values).save()
    for position, fields in enumerate(stops or []):
        await Stop(version=version.id, position=position, **fields).save()
    return questionnaire.id


SHORT_FEEDBACK_QUESTIONS = [
    question("rating", "Wie bewerten Sie das Angebot insgesamt?", required=True),
    question("agreement", "Das Angebot war gut organisiert.", required=True),
    question("agreement", "Meine Mitwirkung hat etwas bewirkt.", required=True),
    question("agreement", "Ich würde anderen empfehlen mitzumachen.", required=True),
    question("long_text", "Möchten Sie uns noch etwas mitteilen?"),
]


async def ensure_short_feedback() -> int:
    """The built-in fallback template, made here unless the test database already has it."""
    row = (
        await Questionnaire.select(Questionnaire.id)
        .where(Questionnaire.template_key == "short_feedback", Questionnaire.language == "de")
        .first()
    )
    if row:
        return row["id"]
    return await make_questionnaire(
        SHORT_FEEDBACK_QUESTIONS,
        title="Kurze Rückmeldung",
        is_template=True,
        template_key="short_feedback",
    )


async def answer_short_feedback(opportunity_id: int, *answers: str) -> None:
    """One anonymous answer to the opportunity's questionnaire, stored through the answering
    engine as a link would store it (values as in `SHORT_FEEDBACK_ANSWERS`)."""
    from boerse.lib.forms import Form
    from boerse.questionnaires.answering import parse_page, save_page

    plan = await opportunity_plan(opportunity_id)
    overrides = {f"a{position}": value for position, value in enumerate(answers)}
    key, _hash = new_token()
    for page in plan.pages:
        form = Form(values=answer_form(plan, page.number, **overrides))
        parsed = parse_page(plan, page, form)
        assert parsed is not None, form.errors
        outcome = await save_page(
            key=key,
            plan=plan,
            page_number=page.number,
            answers=parsed,
            opportunity_id=opportunity_id,
        )
        assert outcome.stored
