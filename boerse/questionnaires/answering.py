"""Answering a questionnaire page by page: validation of a page, and its storage.

Every caller (a survey link, a standalone assessment, an account) answers through these
functions, so a question is checked the same way everywhere. A respondent is known only by a
`key` (a link's token, or `account_key` for account-based answering); the response keeps
the SHA-256 of "resume:"+key while it is in progress, so the same link resumes at the next
unsaved page, and forgets it on completion, so a finished response cannot be joined to an
invitation or an account. A page is stored in one transaction: nothing is half saved, and a
page already saved or out of order is refused."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from boerse.lib.db import CONSTRAINT_ERRORS, is_unique_violation, utcnow, write_transaction
from boerse.lib.forms import Form
from boerse.lib.i18n import gettext as _
from boerse.questionnaires.kinds import (
    DONT_KNOW,
    SHORT_TEXT_MAX_LENGTH,
    Option,
    QuestionKind,
    max_text_length,
)
from boerse.questionnaires.model import Page, QuestionRow, StopRow, VersionPlan
from boerse.questionnaires.tables import Response
from boerse.questionnaires.tally import NewAnswer, insert_answers

PLACE_TEXT_SUFFIX = "_text"
"""The text alternative of a place question is posted as `q<id>_text`."""
NUMBER_LIMIT = 1e12
"""Numbers beyond this are typing accidents, whatever the question's own bounds."""


def resume_hash(key: str) -> str:
    """What a response in progress keeps of its key: never the token's own hash (that is
    the invitation's), so the two tables share no value."""
    return hashlib.sha256(f"resume:{key}".encode()).hexdigest()


def account_key(user_id: int, scope: str) -> str:
    """The key of account-based answering: one response per account and scope (e.g.
    "assessment:12")."""
    return f"account:{user_id}:{scope}"


def place_text_field(question: QuestionRow) -> str:
    return question.field_name + PLACE_TEXT_SUFFIX


def place_options(question: QuestionRow, stops: Sequence[StopRow]) -> tuple[Option, ...]:
    """The places offered by a place question: the version's stops (key = the stop id), or,
    without stops, the officer's own list of places."""
    if stops:
        return tuple(Option(str(stop.id), stop.name) for stop in stops)
    return question.options


# --- validation -------------------------------------------------------------------------


def _raw(form: Form, name: str) -> str:
    """One field's value, trimmed; of a field posted twice (a tampered form) the first.
    NUL characters are dropped: PostgreSQL refuses them in text."""
    value = form.values.get(name)
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "").replace("\x00", "").strip()


def _missing(form: Form, question: QuestionRow) -> None:
    form.errors[question.field_name] = _("Bitte beantworten Sie diese Frage.")


def _not_offered(form: Form, question: QuestionRow) -> None:
    form.errors[question.field_name] = _("Bitte wählen Sie eine der angebotenen Antworten.")


def _parse_scale(form: Form, question: QuestionRow, stop_id: int | None) -> list[NewAnswer]:
    """Agreement, rating, checklist and single choice: one of the offered options."""
    raw = _raw(form, question.field_name)
    if not raw:
        if question.required:
            _missing(form, question)
        return []
    option = next((o for o in question.options if o.key == raw), None)
    if option is None:
        _not_offered(form, question)
        return []
    number = None if option.key == DONT_KNOW or option.value is None else float(option.value)
    return [NewAnswer(question.id, stop_id, choice=option.key, number=number)]


def _parse_multiple(form: Form, question: QuestionRow, stop_id: int | None) -> list[NewAnswer]:
    chosen = list(
        dict.fromkeys(item.replace("\x00", "") for item in form.many(question.field_name))
    )
    if not chosen:
        if question.required:
            form.errors[question.field_name] = _("Bitte wählen Sie mindestens eine Antwort.")
        return []
    offered = {option.key for option in question.options}
    if any(key not in offered for key in chosen):
        _not_offered(form, question)
        return []
    return [NewAnswer(question.id, stop_id, choice=key) for key in chosen]


def _number_problem(question: QuestionRow, value: float) -> str | None:
    low, high = question.min_value, question.max_value
    if (low is not None and value < low) or (high is not None and value > high):
        return _("Bitte eine Zahl von {low} bis {high} eingeben.").format(
            low=_format_bound(low), high=_format_bound(high)
        )
    if abs(value) > NUMBER_LIMIT:
        return _("Bitte geben Sie eine kleinere Zahl ein.")
    return None


def _format_bound(bound: float | None) -> str:
    if bound is None:
        return "…"
    return f"{bound:g}".replace(".", ",")


def _parse_number(form: Form, question: QuestionRow, stop_id: int | None) -> list[NewAnswer]:
    raw = _raw(form, question.field_name).replace(",", ".")
    if not raw:
        if question.required:
            form.errors[question.field_name] = _("Bitte geben Sie eine Zahl ein.")
        return []
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if value != value or value in (float("inf"), float("-inf")):
        form.errors[question.field_name] = _("Bitte geben Sie eine Zahl ein, z. B. 2,5.")
        return []
    if problem := _number_problem(question, value):
        form.errors[question.field_name] = problem
        return []
    return [NewAnswer(question.id, stop_id, number=value)]


def _parse_text(form: Form, question: QuestionRow, stop_id: int | None) -> list[NewAnswer]:
    limit = max_text_length(question.kind)
    text = _raw(form, question.field_name)
    if not text:
        if question.required:
            form.errors[question.field_name] = _("Bitte füllen Sie dieses Feld aus.")
        return []
    if len(text) > limit:
        form.errors[question.field_name] = _("Bitte höchstens {n} Zeichen eingeben.").format(
            n=limit
        )
        return []
    return [NewAnswer(question.id, stop_id, text=text)]


def _parse_place(
    form: Form, question: QuestionRow, stop_id: int | None, stops: Sequence[StopRow]
) -> list[NewAnswer]:
    """A place from the list (a stop carries its point along) and/or a description."""
    raw = _raw(form, question.field_name)
    text = _raw(form, place_text_field(question))
    if not raw and not text:
        if question.required:
            form.errors[question.field_name] = _(
                "Bitte wählen Sie einen Ort aus der Liste oder beschreiben Sie ihn."
            )
        return []
    if len(text) > SHORT_TEXT_MAX_LENGTH:
        form.errors[question.field_name] = _("Bitte höchstens {n} Zeichen eingeben.").format(
            n=SHORT_TEXT_MAX_LENGTH
        )
        return []
    latitude = longitude = None
    if raw:
        if raw not in {option.key for option in place_options(question, stops)}:
            _not_offered(form, question)
            return []
        chosen = next((stop for stop in stops if str(stop.id) == raw), None)
        if chosen is not None:
            latitude, longitude = chosen.latitude, chosen.longitude
    return [
        NewAnswer(
            question.id,
            stop_id,
            choice=raw or None,
            text=text or None,
            latitude=latitude,
            longitude=longitude,
        )
    ]


def _parse_question(
    form: Form, question: QuestionRow, stop_id: int | None, stops: Sequence[StopRow]
) -> list[NewAnswer]:
    kind = question.kind
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return _parse_multiple(form, question, stop_id)
    if kind == QuestionKind.NUMBER:
        return _parse_number(form, question, stop_id)
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        return _parse_text(form, question, stop_id)
    if kind == QuestionKind.PLACE:
        return _parse_place(form, question, stop_id, stops)
    return _parse_scale(form, question, stop_id)


def parse_page(plan: VersionPlan, page: Page, form: Form) -> list[NewAnswer] | None:
    """Validate every question of the page at once (so the form lists every problem);
    None when any failed. The answers of a walk-audit stop carry that stop."""
    stop_id = page.stop.id if page.stop is not None else None
    answers: list[NewAnswer] = []
    for question in page.questions:
        answers.extend(_parse_question(form, question, stop_id, plan.stops))
        form.labels.setdefault(question.field_name, question.text)
    if not form.ok:
        return None
    return answers


# --- storage ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseProgress:
    response_id: int
    version_id: int
    progress: int
    """Pages saved so far: the next page to show is `progress + 1`."""
    completed: bool


class SaveOutcome(StrEnum):
    SAVED = "saved"
    """The page is stored; more pages follow."""
    COMPLETED = "completed"
    """The last page is stored; the response is complete and forgets its key."""
    REFUSED = "refused"
    """Already saved, out of order, or another version: nothing stored."""
    VETOED = "vetoed"
    """`on_complete` said no (e.g. the link was used meanwhile): nothing stored."""

    @property
    def stored(self) -> bool:
        return self in (SaveOutcome.SAVED, SaveOutcome.COMPLETED)


async def response_progress(key: str) -> ResponseProgress | None:
    """The response in progress for a key, or None (not started, or already complete)."""
    row = (
        await Response.select(Response.id, Response.version, Response.progress, Response.completed)
        .where(Response.resume_hash == resume_hash(key))
        .first()
    )
    if row is None:
        return None
    return ResponseProgress(row["id"], row["version"], row["progress"], row["completed"])


def _day_of(moment: dt.datetime) -> dt.datetime:
    """Kept to the day: an exact time on both the response and an invitation would join them."""
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


class _RefusedError(Exception):
    """Rolls the page's transaction back."""

    def __init__(self, outcome: SaveOutcome) -> None:
        super().__init__(outcome.value)
        self.outcome = outcome


async def _claim_page(
    key: str, plan: VersionPlan, page_number: int, opportunity_id: int | None
) -> int:
    """The response the page belongs to, its progress moved on to `page_number`; creates it
    on the first page. The conditional UPDATE makes two submits of one page store once."""
    hashed = resume_hash(key)
    if page_number == 1:
        existing = await Response.exists().where(Response.resume_hash == hashed)
        if existing:
            raise _RefusedError(SaveOutcome.REFUSED)
        inserted = await Response.insert(
            Response(
                questionnaire=plan.questionnaire_id,
                version=plan.version_id,
                opportunity=opportunity_id,
                progress=1,
                completed=False,
                resume_hash=hashed,
                submitted_at=_day_of(utcnow()),
            )
        ).returning(Response.id)
        return inserted[0]["id"]
    moved = (
        await Response.update({Response.progress: page_number})
        .where(
            Response.resume_hash == hashed,
            Response.version == plan.version_id,
            Response.progress == page_number - 1,
            Response.completed.eq(False),
        )
        .returning(Response.id)
    )
    if not moved:
        raise _RefusedError(SaveOutcome.REFUSED)
    return moved[0]["id"]


async def save_page(
    *,
    key: str,
    plan: VersionPlan,
    page_number: int,
    answers: list[NewAnswer],
    opportunity_id: int | None,
    on_complete: Callable[[], Awaitable[bool]] | None = None,
) -> SaveOutcome:
    """Store one validated page in one write transaction. On the last page the response is
    completed, forgets its key, and `on_complete()` runs in the same transaction; when it
    returns False everything of this page rolls back."""
    if not 1 <= page_number <= len(plan.pages):
        return SaveOutcome.REFUSED
    last = page_number == len(plan.pages)
    try:
        async with write_transaction():
            response_id = await _claim_page(key, plan, page_number, opportunity_id)
            await insert_answers(response_id, answers)
            if not last:
                return SaveOutcome.SAVED
            await Response.update(
                {
                    Response.completed: True,
                    Response.resume_hash: None,
                    Response.submitted_at: _day_of(utcnow()),
                }
            ).where(Response.id == response_id)
            if on_complete is not None and not await on_complete():
                raise _RefusedError(SaveOutcome.VETOED)
            return SaveOutcome.COMPLETED
    except _RefusedError as refused:
        return refused.outcome
    except CONSTRAINT_ERRORS as error:
        # Two first pages at once on PostgreSQL: the unique resume_hash lets one through.
        if is_unique_violation(error):
            return SaveOutcome.REFUSED
        raise
