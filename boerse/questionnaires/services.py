"""The questionnaire builder's queries and writes: lists, the builder's view of a
questionnaire, and every edit of its settings, questions and stops.

Every edit runs in one `write_transaction()` and lands in `model.editable_version_id`: the
latest version while nobody has answered it, else a fresh copy of it, so that answers keep
the wording they answered. The routes pass ids of the latest version's questions and stops;
`_EditTarget` maps them to their copies when an edit starts a new version. Each staff
change writes an audit entry (the questionnaire's title, never an answer)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from piccolo.query.functions.aggregate import Count
from piccolo.table import Table

from boerse.audit.actions import Action
from boerse.audit.services import record
from boerse.lib.db import utcnow, write_transaction
from boerse.questionnaires import model
from boerse.questionnaires.assignment import questionnaire_for_opportunity
from boerse.questionnaires.model import (
    QUESTION_COPY_COLUMNS,
    STOP_COPY_COLUMNS,
    QuestionRow,
    StopRow,
    VersionPlan,
)
from boerse.questionnaires.schemas import (
    OPTION_KINDS,
    QuestionInput,
    SettingsInput,
    StopInput,
    option_keys,
)
from boerse.questionnaires.tables import (
    Question,
    Questionnaire,
    QuestionnaireKind,
    QuestionnaireVersion,
    Response,
    Stop,
)

# --- lists ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListRow:
    id: int
    title: str
    kind: str
    language: str
    is_template: bool
    template_key: str | None
    default_for_mode: str | None
    organisation_id: int | None
    organisation_name: str | None
    opportunity_id: int | None
    opportunity_title: str | None
    responses: int


@dataclass(frozen=True)
class QuestionnaireLists:
    """What the list page shows, grouped; templates in the order to offer them."""

    for_opportunities: list[ListRow]
    standalone: list[ListRow]
    own_templates: list[ListRow]
    builtin_templates: list[ListRow]
    town_templates: list[ListRow]


LIST_COLUMNS = (
    Questionnaire.id,
    Questionnaire.title,
    Questionnaire.kind,
    Questionnaire.language,
    Questionnaire.is_template,
    Questionnaire.template_key,
    Questionnaire.default_for_mode,
    Questionnaire.organisation.as_alias("organisation_id"),
    Questionnaire.organisation.name.as_alias("organisation_name"),
    Questionnaire.opportunity.as_alias("opportunity_id"),
    Questionnaire.opportunity.title.as_alias("opportunity_title"),
)


async def _response_counts(questionnaire_ids: list[int]) -> dict[int, int]:
    if not questionnaire_ids:
        return {}
    rows = (
        await Response.select(Response.questionnaire, Count(Response.id, alias="answers"))
        .where(Response.questionnaire.is_in(questionnaire_ids))
        .group_by(Response.questionnaire)
    )
    return {row["questionnaire"]: row["answers"] for row in rows}


async def questionnaire_lists(
    organisation_id: int | None, *, everything: bool, language: str
) -> QuestionnaireLists:
    """An organisation's questionnaires and the templates offered to it (`everything` for
    administrators: every organisation's). Built-in templates in `language` come first.
    Two queries, whatever the number of rows."""
    town_wide = Questionnaire.organisation.is_null() & Questionnaire.is_template.eq(True)
    if everything:
        condition = Questionnaire.id.is_not_null()
    elif organisation_id is not None:
        condition = (Questionnaire.organisation == organisation_id) | town_wide
    else:
        condition = town_wide
    raw = await Questionnaire.select(*LIST_COLUMNS).where(condition).order_by(Questionnaire.title)
    counts = await _response_counts([row["id"] for row in raw])
    rows = [ListRow(**row, responses=counts.get(row["id"], 0)) for row in raw]
    builtin = [r for r in rows if r.organisation_id is None and r.template_key]
    builtin.sort(key=lambda r: (r.language != language, r.language))
    return QuestionnaireLists(
        for_opportunities=[r for r in rows if r.opportunity_id is not None],
        standalone=[r for r in rows if r.opportunity_id is None and not r.is_template],
        own_templates=[r for r in rows if r.is_template and r.organisation_id is not None],
        builtin_templates=builtin,
        town_templates=[
            r for r in rows if r.is_template and r.organisation_id is None and not r.template_key
        ],
    )


# --- creating ------------------------------------------------------------------------------


async def create_questionnaire(
    *,
    title: str,
    kind: str,
    organisation_id: int | None,
    is_template: bool,
    language: str,
    created_by: int,
) -> int:
    """An empty questionnaire (or template) with version 1."""
    async with write_transaction():
        questionnaire_id = await model.insert_questionnaire(
            organisation=organisation_id,
            kind=kind,
            title=title,
            language=language,
            is_template=is_template,
            created_by=created_by,
        )
        await record(Action.QUESTIONNAIRE_CREATED, questionnaire_id, summary=title)
    return questionnaire_id


async def copy_template(
    source_id: int, *, organisation_id: int | None, is_template: bool, created_by: int
) -> int:
    """A copy of the source's latest version: a questionnaire of the organisation, one of its
    own templates, or (no organisation) a town-wide template."""
    async with write_transaction():
        questionnaire_id = await model.copy_questionnaire(
            source_id,
            organisation_id=organisation_id,
            created_by=created_by,
            is_template=is_template,
        )
        title = await _title(questionnaire_id)
        await record(Action.QUESTIONNAIRE_CREATED, questionnaire_id, summary=title)
    return questionnaire_id


async def open_for_opportunity(opportunity_id: int) -> int:
    """The opportunity's questionnaire, created from its mode's template on first use."""
    async with write_transaction():
        existed = await Questionnaire.exists().where(Questionnaire.opportunity == opportunity_id)
        questionnaire_id = await questionnaire_for_opportunity(opportunity_id)
        if not existed:
            title = await _title(questionnaire_id)
            await record(Action.QUESTIONNAIRE_CREATED, questionnaire_id, summary=title)
    return questionnaire_id


async def _title(questionnaire_id: int) -> str:
    row = (
        await Questionnaire.select(Questionnaire.title)
        .where(Questionnaire.id == questionnaire_id)
        .first()
    )
    return row["title"] if row else ""


async def default_candidates() -> list[ListRow]:
    """Templates an administrator may make a mode's default: town-wide and built-in ones."""
    raw = (
        await Questionnaire.select(*LIST_COLUMNS)
        .where(Questionnaire.organisation.is_null(), Questionnaire.is_template.eq(True))
        .order_by(Questionnaire.title)
    )
    return [ListRow(**row, responses=0) for row in raw]


async def set_mode_defaults(chosen: dict[str, int | None]) -> int:
    """Marks, per mode, the town-wide template its opportunities start from (None: the
    built-in short feedback). Returns how many modes changed; each change is audited."""
    changed = 0
    async with write_transaction():
        current = await Questionnaire.select(
            Questionnaire.id, Questionnaire.default_for_mode, Questionnaire.title
        ).where(
            Questionnaire.organisation.is_null(),
            Questionnaire.is_template.eq(True),
            Questionnaire.default_for_mode.is_not_null(),
        )
        before = {row["default_for_mode"]: row["id"] for row in current}
        for mode, template_id in chosen.items():
            if before.get(mode) == template_id:
                continue
            changed += 1
            await Questionnaire.update({Questionnaire.default_for_mode: None}).where(
                Questionnaire.organisation.is_null(), Questionnaire.default_for_mode == mode
            )
            if template_id is not None:
                await Questionnaire.update({Questionnaire.default_for_mode: mode}).where(
                    Questionnaire.id == template_id
                )
            target = template_id if template_id is not None else before.get(mode)
            title = await _title(target) if target is not None else ""
            await record(Action.QUESTIONNAIRE_DEFAULT_SET, target, summary=f"{mode}: {title}")
    return changed


# --- the builder's view --------------------------------------------------------------------


@dataclass(frozen=True)
class VersionCount:
    number: int
    responses: int


@dataclass(frozen=True)
class BuilderView:
    """A questionnaire as the builder shows it: its settings, its latest version in order,
    and how many answers each version has (to say where the next edit lands)."""

    settings: dict[str, Any]
    plan: VersionPlan
    versions: tuple[VersionCount, ...]

    @property
    def current(self) -> VersionCount:
        return self.versions[-1]

    @property
    def previous(self) -> VersionCount | None:
        """The version before the current one, when it has answers (it stays unchanged)."""
        if len(self.versions) < 2 or not self.versions[-2].responses:
            return None
        return self.versions[-2]

    @property
    def walk_audit_problems(self) -> list[str]:
        """What keeps a walk audit from being used (shown as warnings, not refused)."""
        if self.plan.kind != QuestionnaireKind.WALK_AUDIT:
            return []
        problems = []
        if not self.plan.stops:
            problems.append("no_stops")
        if not any(q.per_stop for q in self.plan.questions):
            problems.append("no_stop_questions")
        return problems


SETTINGS_COLUMNS = (
    Questionnaire.id,
    Questionnaire.title,
    Questionnaire.intro,
    Questionnaire.kind,
    Questionnaire.reminder_days,
    Questionnaire.language,
    Questionnaire.is_template,
    Questionnaire.template_key,
    Questionnaire.default_for_mode,
    Questionnaire.organisation.as_alias("organisation_id"),
    Questionnaire.opportunity.as_alias("opportunity_id"),
    Questionnaire.opportunity.title.as_alias("opportunity_title"),
)


async def builder_view(questionnaire_id: int) -> BuilderView | None:
    """Six queries whatever the number of questions and versions."""
    settings = (
        await Questionnaire.select(*SETTINGS_COLUMNS)
        .where(Questionnaire.id == questionnaire_id)
        .first()
    )
    if settings is None:
        return None
    version_id = await model.latest_version_id(questionnaire_id)
    if version_id is None:  # never left so by the builder; repaired on first view
        async with write_transaction():
            version_id = await model.editable_version_id(questionnaire_id)
    plan = await model.load_plan(version_id)
    assert plan is not None
    return BuilderView(
        settings=settings, plan=plan, versions=await _version_counts(questionnaire_id)
    )


async def _version_counts(questionnaire_id: int) -> tuple[VersionCount, ...]:
    versions = (
        await QuestionnaireVersion.select(QuestionnaireVersion.id, QuestionnaireVersion.number)
        .where(QuestionnaireVersion.questionnaire == questionnaire_id)
        .order_by(QuestionnaireVersion.number)
    )
    counts = (
        await Response.select(Response.version, Count(Response.id, alias="answers"))
        .where(Response.questionnaire == questionnaire_id)
        .group_by(Response.version)
    )
    per_version = {row["version"]: row["answers"] for row in counts}
    return tuple(VersionCount(row["number"], per_version.get(row["id"], 0)) for row in versions)


async def latest_plan(questionnaire_id: int) -> VersionPlan | None:
    version_id = await model.latest_version_id(questionnaire_id)
    return await model.load_plan(version_id) if version_id is not None else None


async def question_of(questionnaire_id: int, question_id: int) -> QuestionRow | None:
    """A question of the latest version (the only one the builder edits); None otherwise."""
    plan = await latest_plan(questionnaire_id)
    return plan.question(question_id) if plan else None


async def stop_of(questionnaire_id: int, stop_id: int) -> StopRow | None:
    plan = await latest_plan(questionnaire_id)
    return plan.stop(stop_id) if plan else None


# --- editing -------------------------------------------------------------------------------


class NotInLatestVersionError(LookupError):
    """A question or stop id that is not part of the questionnaire's latest version (another
    questionnaire's, or a form left open across a new version)."""


@dataclass(frozen=True)
class _EditTarget:
    """Where an edit lands, and the ids of the latest version's rows in it."""

    version_id: int
    question_ids: dict[int, int]
    stop_ids: dict[int, int]

    def question(self, latest_id: int) -> int:
        return self.question_ids.get(latest_id, latest_id)

    def stop(self, latest_id: int) -> int:
        return self.stop_ids.get(latest_id, latest_id)


def _content(row: dict[str, Any], columns: Iterable[str]) -> tuple:
    return tuple(row[c] for c in columns)


async def _twins(table: type[Table], columns: Sequence[str], old: int, new: int) -> dict[int, int]:
    """Rows of version `old` → their copies in `new`, matched by content (rows with equal
    content are interchangeable, so any pairing of them is right)."""
    copies: dict[tuple, list[int]] = defaultdict(list)
    for row in await table.select().where(table.version == new).order_by(table.id):
        copies[_content(row, columns)].append(row["id"])
    pairs = {}
    for row in await table.select().where(table.version == old).order_by(table.id):
        pairs[row["id"]] = copies[_content(row, columns)].pop(0)
    return pairs


async def _edit_target(questionnaire_id: int) -> _EditTarget:
    """Inside the edit's transaction: the editable version (a new one once answered)."""
    latest = await model.latest_version_id(questionnaire_id)
    editable = await model.editable_version_id(questionnaire_id)
    await Questionnaire.update({Questionnaire.updated_at: utcnow()}).where(
        Questionnaire.id == questionnaire_id
    )
    if latest is None or editable == latest:
        return _EditTarget(editable, {}, {})
    return _EditTarget(
        editable,
        await _twins(Question, QUESTION_COPY_COLUMNS, latest, editable),
        await _twins(Stop, STOP_COPY_COLUMNS, latest, editable),
    )


async def _ordered(table: type[Table], version_id: int) -> list[dict[str, Any]]:
    """A version's questions (by page, then position) or stops (by position)."""
    if table is Question:
        query = Question.select(Question.id, Question.position, Question.page).order_by(
            Question.page
        )
    else:
        query = Stop.select(Stop.id, Stop.position)
    query = query.where(table.version == version_id)
    return await query.order_by(table.position).order_by(table.id)


async def _next_position(table: type[Table], version_id: int) -> int:
    rows = await _ordered(table, version_id)
    return max((row["position"] for row in rows), default=-1) + 1


async def _audit_edit(questionnaire_id: int) -> None:
    await record(
        Action.QUESTIONNAIRE_EDITED, questionnaire_id, summary=await _title(questionnaire_id)
    )


async def update_settings(questionnaire_id: int, data: SettingsInput) -> None:
    """Title, introduction and reminders belong to the questionnaire, not to a version; a
    change of kind changes how a version is asked, so it goes through the versioning."""
    async with write_transaction():
        current = (
            await Questionnaire.select(Questionnaire.kind)
            .where(Questionnaire.id == questionnaire_id)
            .first()
        )
        if current and current["kind"] != data.kind:
            await _edit_target(questionnaire_id)
        await Questionnaire.update(
            {
                Questionnaire.title: data.title,
                Questionnaire.intro: data.intro,
                Questionnaire.kind: data.kind,
                Questionnaire.reminder_days: data.reminder_days,
                Questionnaire.updated_at: utcnow(),
            }
        ).where(Questionnaire.id == questionnaire_id)
        await _audit_edit(questionnaire_id)


def _question_values(data: QuestionInput, old: QuestionRow | None) -> dict[Any, Any]:
    options = (
        model.dump_options(option_keys(old.options if old else (), data.option_labels))
        if data.kind in OPTION_KINDS
        else "[]"
    )
    return {
        Question.kind: data.kind,
        Question.text: data.text,
        Question.help: data.help,
        Question.required: data.required,
        Question.page: data.page,
        Question.section: data.section,
        Question.options: options,
        Question.allow_dont_know: data.allow_dont_know,
        Question.per_stop: data.per_stop,
        Question.min_value: data.min_value,
        Question.max_value: data.max_value,
    }


async def add_question(questionnaire_id: int, data: QuestionInput) -> None:
    async with write_transaction():
        target = await _edit_target(questionnaire_id)
        position = await _next_position(Question, target.version_id)
        values = {col._meta.name: value for col, value in _question_values(data, None).items()}
        await Question.insert(Question(version=target.version_id, position=position, **values))
        await _audit_edit(questionnaire_id)


async def update_question(questionnaire_id: int, question_id: int, data: QuestionInput) -> None:
    """Raises NotInLatestVersionError for a question that is not the latest version's."""
    async with write_transaction():
        old = await _latest_question(questionnaire_id, question_id)
        target = await _edit_target(questionnaire_id)
        await Question.update(_question_values(data, old)).where(
            Question.id == target.question(question_id)
        )
        await _audit_edit(questionnaire_id)


async def delete_question(questionnaire_id: int, question_id: int) -> None:
    async with write_transaction():
        await _latest_question(questionnaire_id, question_id)
        target = await _edit_target(questionnaire_id)
        await Question.delete().where(Question.id == target.question(question_id))
        await _renumber(Question, await _ordered(Question, target.version_id))
        await _audit_edit(questionnaire_id)


async def move_question(questionnaire_id: int, question_id: int, step: int) -> bool:
    """One place up (-1) or down (+1) in the questionnaire's order. At the edge of a page the
    question moves onto the neighbouring page instead (last there, or first). False when
    there is nowhere to go (nothing is written then, not even a new version)."""
    async with write_transaction():
        await _latest_question(questionnaire_id, question_id)
        latest = await model.latest_version_id(questionnaire_id)
        rows = await _ordered(Question, latest)
        index = next(i for i, row in enumerate(rows) if row["id"] == question_id)
        neighbour = index + step
        if not 0 <= neighbour < len(rows):
            return False
        target = await _edit_target(questionnaire_id)
        moved = rows[index]
        if rows[neighbour]["page"] != moved["page"]:
            moved["page"] = rows[neighbour]["page"]
            await Question.update({Question.page: moved["page"]}).where(
                Question.id == target.question(question_id)
            )
        else:
            rows[index], rows[neighbour] = rows[neighbour], rows[index]
        mapped = [{**row, "id": target.question(row["id"])} for row in rows]
        await _renumber(Question, mapped)
        await _audit_edit(questionnaire_id)
    return True


async def _latest_question(questionnaire_id: int, question_id: int) -> QuestionRow:
    question = await question_of(questionnaire_id, question_id)
    if question is None:
        raise NotInLatestVersionError(question_id)
    return question


async def _renumber(table: type[Table], rows: Sequence[dict[str, Any]]) -> None:
    """Positions 0, 1, 2 … in the given order; only rows whose position changed are written."""
    for position, row in enumerate(rows):
        if row["position"] != position:
            await table.update({table.position: position}).where(table.id == row["id"])


def _stop_values(data: StopInput) -> dict[Any, Any]:
    return {
        Stop.name: data.name,
        Stop.address: data.address,
        Stop.latitude: data.latitude,
        Stop.longitude: data.longitude,
    }


async def _latest_stop(questionnaire_id: int, stop_id: int) -> None:
    latest = await model.latest_version_id(questionnaire_id)
    if latest is None or not await Stop.exists().where(Stop.id == stop_id, Stop.version == latest):
        raise NotInLatestVersionError(stop_id)


async def add_stop(questionnaire_id: int, data: StopInput) -> None:
    async with write_transaction():
        target = await _edit_target(questionnaire_id)
        position = await _next_position(Stop, target.version_id)
        values = {col._meta.name: value for col, value in _stop_values(data).items()}
        await Stop.insert(Stop(version=target.version_id, position=position, **values))
        await _audit_edit(questionnaire_id)


async def update_stop(questionnaire_id: int, stop_id: int, data: StopInput) -> None:
    async with write_transaction():
        await _latest_stop(questionnaire_id, stop_id)
        target = await _edit_target(questionnaire_id)
        await Stop.update(_stop_values(data)).where(Stop.id == target.stop(stop_id))
        await _audit_edit(questionnaire_id)


async def delete_stop(questionnaire_id: int, stop_id: int) -> None:
    async with write_transaction():
        await _latest_stop(questionnaire_id, stop_id)
        target = await _edit_target(questionnaire_id)
        await Stop.delete().where(Stop.id == target.stop(stop_id))
        await _renumber(Stop, await _ordered(Stop, target.version_id))
        await _audit_edit(questionnaire_id)


async def move_stop(questionnaire_id: int, stop_id: int, step: int) -> bool:
    """One place earlier (-1) or later (+1) on the walk; False at either end."""
    async with write_transaction():
        await _latest_stop(questionnaire_id, stop_id)
        latest = await model.latest_version_id(questionnaire_id)
        rows = await _ordered(Stop, latest)
        index = next(i for i, row in enumerate(rows) if row["id"] == stop_id)
        neighbour = index + step
        if not 0 <= neighbour < len(rows):
            return False
        target = await _edit_target(questionnaire_id)
        rows[index], rows[neighbour] = rows[neighbour], rows[index]
        await _renumber(Stop, [{**row, "id": target.stop(row["id"])} for row in rows])
        await _audit_edit(questionnaire_id)
    return True
