"""Keeping `AnswerTally` in step with the answers.

`add_answers` runs in the transaction that stores the answers (one statement for a page,
whatever its length); `rebuild_tallies` recounts from the answers (after a bulk import or
the migration of old answers), in one INSERT … SELECT … GROUP BY."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from boerse.questionnaires.tables import Answer, AnswerTally


@dataclass(frozen=True)
class NewAnswer:
    """An answer ready to store (the response is added when it is written)."""

    question_id: int
    stop_id: int | None = None
    choice: str | None = None
    number: float | None = None
    text: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class TallyStep:
    question_id: int
    stop: int
    choice: str
    answers: int
    total: float


def tally_steps(answers: Iterable[NewAnswer]) -> list[TallyStep]:
    """What a set of answers adds to the tally, one step per (question, stop, option)."""
    counts: Counter[tuple[int, int, str]] = Counter()
    totals: Counter[tuple[int, int, str]] = Counter()
    for answer in answers:
        key = (answer.question_id, answer.stop_id or 0, answer.choice or "")
        counts[key] += 1
        totals[key] += answer.number or 0.0
    return [
        TallyStep(question, stop, choice, counts[key], totals[key])
        for key in sorted(counts)
        for question, stop, choice in (key,)
    ]


_UPSERT_TAIL = (
    " ON CONFLICT (question, stop, choice) DO UPDATE SET"
    " answers = answer_tally.answers + excluded.answers,"
    " total = answer_tally.total + excluded.total"
)


async def add_to_tally(steps: Sequence[TallyStep]) -> None:
    """One upsert for all steps; inside the transaction that stores their answers."""
    if not steps:
        return
    one_row = "({}, {}, {}, {}, {})"
    # Only placeholders go into the text; every value is a parameter.
    sql = (
        "INSERT INTO answer_tally (question, stop, choice, answers, total) VALUES "  # noqa: S608
        + ", ".join(one_row for _ in steps)
        + _UPSERT_TAIL
    )
    params = [
        value
        for step in steps
        for value in (step.question_id, step.stop, step.choice, step.answers, float(step.total))
    ]
    await AnswerTally.raw(sql, *params)


ANSWER_COLUMNS = (
    Answer.response,
    Answer.question,
    Answer.stop,
    Answer.choice,
    Answer.number,
    Answer.text,
    Answer.latitude,
    Answer.longitude,
)


async def insert_answers(response_id: int, answers: Sequence[NewAnswer]) -> None:
    """Store a page's answers and count them, in the caller's write transaction."""
    if not answers:
        return
    names = ", ".join(f'"{column._meta.db_column_name}"' for column in ANSWER_COLUMNS)
    one_row = "(" + ", ".join("{}" for _ in ANSWER_COLUMNS) + ")"
    sql = f"INSERT INTO answer ({names}) VALUES " + ", ".join(one_row for _ in answers)  # noqa: S608
    params = [
        value
        for a in answers
        for value in (
            response_id,
            a.question_id,
            a.stop_id,
            a.choice,
            a.number,
            a.text,
            a.latitude,
            a.longitude,
        )
    ]
    await Answer.raw(sql, *params)
    await add_to_tally(tally_steps(answers))


REBUILD_SQL = (
    "INSERT INTO answer_tally (question, stop, choice, answers, total) "
    "SELECT question, COALESCE(stop, 0), COALESCE(choice, ''), COUNT(*), "
    "COALESCE(SUM(number), 0) FROM answer GROUP BY question, COALESCE(stop, 0), "
    "COALESCE(choice, '')"
)


async def rebuild_tallies() -> None:
    """Recount every tally from the answers; inside a write transaction."""
    await AnswerTally.raw("DELETE FROM answer_tally")
    await AnswerTally.raw(REBUILD_SQL)
