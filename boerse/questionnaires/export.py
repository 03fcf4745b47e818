"""The anonymous answers of a questionnaire version as CSV, streamed in chunks.

One row per response (a running number, never the database id, the day it came in, whether
it is complete), one column per question, per stop × question for walk audits. Responses
are read a chunk at a time (two queries per chunk), so memory stays flat at a hundred
thousand responses. Every cell that came from people's typing or an officer's wording is
escaped against formula injection: a spreadsheet would run "=…" as a formula."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass

from boerse.lib.i18n import gettext as _
from boerse.profiles.schemas import slugify
from boerse.questionnaires.aggregates import options_of
from boerse.questionnaires.kinds import DONT_KNOW, DONT_KNOW_OPTION, QuestionKind
from boerse.questionnaires.model import QuestionRow, StopRow, VersionPlan
from boerse.questionnaires.tables import Answer, Response

CHUNK_SIZE = 1000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DELIMITER = ";"
"""Spreadsheets set up for German read ";" as the separator (the comma is the decimal mark)."""


def escape_cell(value: str) -> str:
    """A leading = + - @, tab or carriage return gets an apostrophe, so the cell is text."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def format_number(value: float) -> str:
    """German decimal comma; written by us from a float, so never a formula."""
    return f"{value:g}".replace(".", ",")


@dataclass(frozen=True)
class Column:
    question: QuestionRow
    stop: StopRow | None

    def title(self, stop_number: int) -> str:
        if self.stop is None:
            return self.question.text
        return _("Halt {number} ({stop}): {question}").format(
            number=stop_number, stop=self.stop.name, question=self.question.text
        )


def columns_of(plan: VersionPlan) -> list[Column]:
    """Walk audits: each per-stop question at each stop, stop by stop; then the others."""
    if not plan.is_walk_audit:
        return [Column(q, None) for q in plan.questions]
    at_stop = [q for q in plan.questions if q.per_stop]
    once = [q for q in plan.questions if not q.per_stop]
    return [Column(q, s) for s in plan.stops for q in at_stop] + [Column(q, None) for q in once]


def header_row(plan: VersionPlan, columns: Sequence[Column]) -> list[str]:
    numbers = {s.id: n for n, s in enumerate(plan.stops, start=1)}
    titles = [c.title(numbers.get(c.stop.id, 0) if c.stop else 0) for c in columns]
    return [_("Nr."), _("Eingegangen am"), _("Vollständig")] + [escape_cell(t) for t in titles]


class CellWriter:
    """Turns a question's stored answers into the text of its cell."""

    def __init__(self, plan: VersionPlan) -> None:
        self.labels: dict[int, dict[str, str]] = {}
        for question in plan.questions:
            options = (*options_of(question, plan), DONT_KNOW_OPTION)
            self.labels[question.id] = {o.key: _(o.label) for o in options}

    def cell(self, question: QuestionRow, answers: Sequence[dict]) -> str:
        if not answers:
            return ""
        if question.kind == QuestionKind.NUMBER:
            number = answers[0]["number"]
            return format_number(number) if number is not None else ""
        if question.kind == QuestionKind.RATING and answers[0]["choice"] != DONT_KNOW:
            return str(answers[0]["choice"])
        parts = []
        for answer in answers:
            if answer["choice"]:
                label = self.labels[question.id].get(answer["choice"], answer["choice"])
                parts.append(label)
            if answer["text"]:
                parts.append(answer["text"])
        return escape_cell(", ".join(parts))


def _csv_text(rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


_RESPONSES_SQL = (
    "SELECT id, submitted_at, completed FROM response"
    " WHERE version = {} AND id > {} ORDER BY id LIMIT {}"
)
_ANSWERS_SQL = (
    "SELECT response, question, stop, choice, number, text FROM answer"
    " WHERE response IN (SELECT id FROM response WHERE version = {} AND id > {}"
    " ORDER BY id LIMIT {}) ORDER BY response, id"
)
"""By the response index, one response at a time: a filter on the question would have the
planner walk every answer of the questionnaire for each chunk."""


async def _response_chunk(version_id: int, after: int) -> list[dict]:
    return await Response.raw(_RESPONSES_SQL, version_id, after, CHUNK_SIZE)


async def _answers_of(version_id: int, after: int) -> list[dict]:
    """The answers of the chunk's responses (the same subquery as `_response_chunk`)."""
    return await Answer.raw(_ANSWERS_SQL, version_id, after, CHUNK_SIZE)


def _day(value: object) -> str:
    """The day a response came in (kept to the day): a datetime, or its text from SQLite."""
    return str(value)[:10] if value else ""


async def csv_chunks(plan: VersionPlan) -> AsyncIterator[str]:
    """The header, then one CSV text per chunk of responses, in the order they came in."""
    columns = columns_of(plan)
    writer = CellWriter(plan)
    yield "\ufeff" + _csv_text([header_row(plan, columns)])  # the BOM tells Excel it is UTF-8
    if not plan.questions:
        return
    number, after = 0, 0
    yes, no = _("ja"), _("nein")
    while responses := await _response_chunk(plan.version_id, after):
        grouped: dict[tuple[int, int, int], list[dict]] = defaultdict(list)
        for answer in await _answers_of(plan.version_id, after):
            grouped[(answer["response"], answer["question"], answer["stop"] or 0)].append(answer)
        after = responses[-1]["id"]
        rows = []
        for response in responses:
            number += 1
            day = response["submitted_at"]
            row = [
                str(number),
                day.date().isoformat() if day else "",
                yes if response["completed"] else no,
            ]
            for column in columns:
                key = (response["id"], column.question.id, column.stop.id if column.stop else 0)
                row.append(writer.cell(column.question, grouped.get(key, ())))
            rows.append(row)
        yield _csv_text(rows)


def export_filename(title: str, version_number: int) -> str:
    return f"{slugify(title) or 'fragebogen'}-fassung-{version_number}-antworten.csv"
