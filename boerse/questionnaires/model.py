"""Typed views of a questionnaire version, and the copies that templates and versioning make.

`load_plan` reads a version in three queries; the answer form, the builder's preview, the
results and the CSV export all work from the `VersionPlan` it returns, so a question is
rendered, validated and counted from one description."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from piccolo.columns.combination import WhereRaw

from boerse.lib.db import CachedSelect, utcnow
from boerse.questionnaires.kinds import CHOICE_KINDS, Option, QuestionKind, fixed_options
from boerse.questionnaires.tables import (
    Question,
    Questionnaire,
    QuestionnaireKind,
    QuestionnaireVersion,
    Response,
    Stop,
)


@dataclass(frozen=True)
class QuestionRow:
    id: int
    position: int
    page: int
    section: str
    kind: str
    text: str
    help: str
    required: bool
    options: tuple[Option, ...]
    """The answer options: the officer's for choice questions, the fixed scale otherwise."""
    allow_dont_know: bool
    per_stop: bool
    min_value: float | None
    max_value: float | None

    @property
    def field_name(self) -> str:
        """The form field of this question (per stop the stop id is appended)."""
        return f"q{self.id}"


@dataclass(frozen=True)
class StopRow:
    id: int
    position: int
    name: str
    address: str
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class Page:
    """One screen of the answer form: its questions, and the stop it is about (walk audits)."""

    number: int
    questions: tuple[QuestionRow, ...]
    stop: StopRow | None = None


@dataclass(frozen=True)
class VersionPlan:
    questionnaire_id: int
    version_id: int
    number: int
    kind: str
    title: str
    intro: str
    questions: tuple[QuestionRow, ...]
    stops: tuple[StopRow, ...] = ()
    pages: tuple[Page, ...] = field(default=())

    @property
    def is_walk_audit(self) -> bool:
        return self.kind == QuestionnaireKind.WALK_AUDIT

    @property
    def question_count(self) -> int:
        """Questions a respondent sees in all, for "Frage 3 von 8"."""
        return sum(len(page.questions) for page in self.pages)

    def question(self, question_id: int) -> QuestionRow | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def stop(self, stop_id: int) -> StopRow | None:
        return next((s for s in self.stops if s.id == stop_id), None)


def parse_options(kind: str, raw: str, allow_dont_know: bool) -> tuple[Option, ...]:
    if kind not in CHOICE_KINDS and kind != QuestionKind.PLACE:
        return fixed_options(kind, allow_dont_know)
    try:
        items = json.loads(raw or "[]")
    except ValueError:
        items = []
    return tuple(Option(str(item["key"]), str(item["label"])) for item in items)


def dump_options(options: list[tuple[str, str]]) -> str:
    """Choice options as stored: keys are short and stable so that answers survive relabelling."""
    return json.dumps([{"key": key, "label": label} for key, label in options], ensure_ascii=False)


def paginate(
    kind: str, questions: tuple[QuestionRow, ...], stops: tuple[StopRow, ...]
) -> tuple[Page, ...]:
    """Surveys: one page per page number. Walk audits: one page per stop with the per-stop
    questions, then the remaining questions by page number."""
    pages: list[Page] = []
    once = tuple(q for q in questions if not (kind == QuestionnaireKind.WALK_AUDIT and q.per_stop))
    if kind == QuestionnaireKind.WALK_AUDIT:
        at_stop = tuple(q for q in questions if q.per_stop)
        for stop in stops:
            pages.append(Page(len(pages) + 1, at_stop, stop))
    for number in sorted({q.page for q in once}):
        pages.append(Page(len(pages) + 1, tuple(q for q in once if q.page == number)))
    return tuple(pages)


def _question_row(row: dict[str, Any]) -> QuestionRow:
    return QuestionRow(
        id=row["id"],
        position=row["position"],
        page=row["page"],
        section=row["section"],
        kind=row["kind"],
        text=row["text"],
        help=row["help"],
        required=row["required"],
        options=parse_options(row["kind"], row["options"], row["allow_dont_know"]),
        allow_dont_know=row["allow_dont_know"],
        per_stop=row["per_stop"],
        min_value=row["min_value"],
        max_value=row["max_value"],
    )


_PLAN_HEAD = CachedSelect(
    lambda: (
        QuestionnaireVersion.select(
            QuestionnaireVersion.id,
            QuestionnaireVersion.number,
            QuestionnaireVersion.questionnaire.id.as_alias("questionnaire_id"),
            QuestionnaireVersion.questionnaire.kind.as_alias("kind"),
            QuestionnaireVersion.questionnaire.title.as_alias("title"),
            QuestionnaireVersion.questionnaire.intro.as_alias("intro"),
        )
        .where(WhereRaw("questionnaire_version.id = id__"))
        .limit(1)
    ),
    "id__",
)
_PLAN_QUESTIONS = CachedSelect(
    lambda: (
        Question.select()
        .where(WhereRaw("question.version = id__"))
        .order_by(Question.page)
        .order_by(Question.position)
        .order_by(Question.id)
    ),
    "id__",
)
_PLAN_STOPS = CachedSelect(
    lambda: (
        Stop.select()
        .where(WhereRaw("stop.version = id__"))
        .order_by(Stop.position)
        .order_by(Stop.id)
    ),
    "id__",
)


async def load_plan(version_id: int) -> VersionPlan | None:
    """A version with its questions and stops in order: three queries, their SQL written once
    per process (every results page and every survey page loads a plan)."""
    head = await _PLAN_HEAD.first(version_id)
    if head is None:
        return None
    question_rows = await _PLAN_QUESTIONS.rows(version_id)
    stop_rows = await _PLAN_STOPS.rows(version_id)
    questions = tuple(_question_row(row) for row in question_rows)
    stops = tuple(
        StopRow(
            id=row["id"],
            position=row["position"],
            name=row["name"],
            address=row["address"],
            latitude=row["latitude"],
            longitude=row["longitude"],
        )
        for row in stop_rows
    )
    return VersionPlan(
        questionnaire_id=head["questionnaire_id"],
        version_id=head["id"],
        number=head["number"],
        kind=head["kind"],
        title=head["title"],
        intro=head["intro"],
        questions=questions,
        stops=stops,
        pages=paginate(head["kind"], questions, stops),
    )


async def latest_version_id(questionnaire_id: int) -> int | None:
    row = (
        await QuestionnaireVersion.select(QuestionnaireVersion.id)
        .where(QuestionnaireVersion.questionnaire == questionnaire_id)
        .order_by(QuestionnaireVersion.number, ascending=False)
        .first()
    )
    return row["id"] if row else None


QUESTION_COPY_COLUMNS = (
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
STOP_COPY_COLUMNS = ("position", "name", "address", "latitude", "longitude")


async def copy_version_contents(source_version_id: int, target_version_id: int) -> None:
    """Copy questions and stops; call inside the caller's write transaction."""
    questions = await Question.select().where(Question.version == source_version_id)
    if questions:
        await Question.insert(
            *(
                Question(version=target_version_id, **{c: row[c] for c in QUESTION_COPY_COLUMNS})
                for row in questions
            )
        )
    stops = await Stop.select().where(Stop.version == source_version_id)
    if stops:
        await Stop.insert(
            *(
                Stop(version=target_version_id, **{c: row[c] for c in STOP_COPY_COLUMNS})
                for row in stops
            )
        )


async def new_version(questionnaire_id: int, copy_from: int | None) -> int:
    """Add the next version (a copy of `copy_from`'s questions and stops); inside a write
    transaction. Returns the new version's id."""
    latest = (
        await QuestionnaireVersion.select(QuestionnaireVersion.number)
        .where(QuestionnaireVersion.questionnaire == questionnaire_id)
        .order_by(QuestionnaireVersion.number, ascending=False)
        .first()
    )
    number = (latest["number"] if latest else 0) + 1
    inserted = await QuestionnaireVersion.insert(
        QuestionnaireVersion(questionnaire=questionnaire_id, number=number, created_at=utcnow())
    ).returning(QuestionnaireVersion.id)
    version_id = inserted[0]["id"]
    if copy_from is not None:
        await copy_version_contents(copy_from, version_id)
    return version_id


async def has_responses(version_id: int) -> bool:
    return await Response.exists().where(Response.version == version_id)


async def editable_version_id(questionnaire_id: int) -> int:
    """The version an edit may change: the latest, or, once someone answered it, a fresh
    copy of it, so that answers keep the wording they answered. Inside a write transaction."""
    latest = await latest_version_id(questionnaire_id)
    if latest is None:
        return await new_version(questionnaire_id, None)
    if await has_responses(latest):
        return await new_version(questionnaire_id, latest)
    return latest


async def insert_questionnaire(
    *, copy_from: int | None = None, created_at: dt.datetime | None = None, **fields: Any
) -> int:
    """A new questionnaire row (`fields` are its columns) with version 1, empty or a copy of
    version `copy_from`'s questions and stops. Inside the caller's write transaction."""
    now = created_at or utcnow()
    inserted = await Questionnaire.insert(
        Questionnaire(created_at=now, updated_at=now, **fields)
    ).returning(Questionnaire.id)
    questionnaire_id = inserted[0]["id"]
    await new_version(questionnaire_id, copy_from)
    return questionnaire_id


COPIED_QUESTIONNAIRE_COLUMNS = ("kind", "title", "intro", "language", "reminder_days")


async def copy_questionnaire(
    source_id: int,
    *,
    organisation_id: int | None,
    opportunity_id: int | None = None,
    created_by: int | None = None,
    is_template: bool = False,
    title: str | None = None,
) -> int:
    """A new questionnaire with version 1 copied from the source's latest version (copying a
    template, instantiating a mode's default for an opportunity). Inside a write transaction."""
    source = await Questionnaire.select().where(Questionnaire.id == source_id).first()
    if source is None:
        raise LookupError(f"questionnaire {source_id} does not exist")
    values = {c: source[c] for c in COPIED_QUESTIONNAIRE_COLUMNS}
    if title:
        values["title"] = title
    return await insert_questionnaire(
        copy_from=await latest_version_id(source_id),
        organisation=organisation_id,
        opportunity=opportunity_id,
        is_template=is_template,
        created_by=created_by,
        **values,
    )
