"""CSV export of anonymous answers: columns, running numbers, walk-audit stops, formula
injection, and rows streamed a chunk at a time."""

from __future__ import annotations

import csv
import io

from boerse.audit.tables import AuditEntry
from boerse.lib.db import utcnow
from boerse.questionnaires.export import CHUNK_SIZE, csv_chunks, escape_cell
from boerse.questionnaires.tally import NewAnswer
from tests.dashboards.answers import (
    QuestionSpec,
    bulk_respond,
    choice,
    new_questionnaire,
    respond,
)
from tests.questionnaires.test_results import walk_audit
from tests.support.factories import make_officer, make_organisation, sign_in


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def export_url(questionnaire_id: int) -> str:
    return f"/verwaltung/frageboegen/{questionnaire_id}/ergebnisse/antworten.csv"


def test_cells_that_a_spreadsheet_would_run_get_an_apostrophe() -> None:
    for dangerous in ("=1+1", "+49 30", "-2", "@SUM(A1)", "\tTab", "\rCR"):
        assert escape_cell(dangerous) == "'" + dangerous
    for harmless in ("Gut so", "", "1+1=2", "'schon"):
        assert escape_cell(harmless) == harmless


QUESTIONS = (
    QuestionSpec("rating", "=Wie war es?"),
    QuestionSpec("agreement", "Gut organisiert", allow_dont_know=True),
    QuestionSpec("multiple_choice", "Was hat geholfen?", (("a", "Karte"), ("b", "@Schild"))),
    QuestionSpec("number", "Wie viele Stunden?"),
    QuestionSpec("long_text", "Sonst noch etwas?"),
)


async def test_export_has_a_row_per_response_with_escaped_values(client) -> None:
    organisation = await make_organisation()
    plan = await new_questionnaire(
        organisation.id, title="Rückmeldung Straßenfest", questions=QUESTIONS
    )
    rating, agreement, multiple, number, text = (q.id for q in plan.questions)
    await respond(
        plan,
        [
            choice(rating, 5),
            choice(agreement, "4"),
            choice(multiple, "a"),
            choice(multiple, "b"),
            NewAnswer(number, number=2.5),
            NewAnswer(text, text='=HYPERLINK("http://böse.example")'),
        ],
    )
    await respond(plan, [choice(rating, 2), choice(agreement, "dont_know")])
    await respond(plan, [choice(rating, 3), NewAnswer(number, number=-1.0)])
    await respond(plan, [choice(rating, 1)], completed=False)
    await sign_in(client, await make_officer(organisation))

    response = await client.get(export_url(plan.questionnaire_id))

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert (
        response.headers["content-disposition"]
        == 'attachment; filename="rueckmeldung-strassenfest-fassung-1-antworten.csv"'
    )
    rows = rows_of(response.text)
    today = utcnow().date().isoformat()
    assert rows[0] == [
        "Nr.",
        "Eingegangen am",
        "Vollständig",
        "'=Wie war es?",
        "Gut organisiert",
        "Was hat geholfen?",
        "Wie viele Stunden?",
        "Sonst noch etwas?",
    ]
    assert rows[1] == [
        "1",
        today,
        "ja",
        "5",
        "trifft voll zu",
        "Karte, @Schild",
        "2,5",
        '\'=HYPERLINK("http://böse.example")',
    ]
    assert rows[2] == ["2", today, "ja", "2", "weiß nicht", "", "", ""]
    assert rows[3] == ["3", today, "ja", "3", "", "", "-1", ""]  # a number is never a formula
    assert rows[4] == ["4", today, "nein", "1", "", "", "", ""]
    assert len(rows) == 5
    entry = await AuditEntry.select().where(AuditEntry.action == "results_exported").first()
    assert (entry["summary"], entry["quantity"]) == ("Rückmeldung Straßenfest (1)", 3)


async def test_walk_audit_has_a_column_per_stop_and_question(client) -> None:
    organisation = await make_organisation()
    plan = await walk_audit(organisation.id)
    await sign_in(client, await make_officer(organisation))

    rows = rows_of((await client.get(export_url(plan.questionnaire_id))).text)

    assert rows[0][3:] == [
        "Halt 1 (Marktplatz): Gibt es Sitzgelegenheiten?",
        "Halt 1 (Marktplatz): Ist die Beschilderung gut lesbar?",
        "Halt 2 (Bibliothek): Gibt es Sitzgelegenheiten?",
        "Halt 2 (Bibliothek): Ist die Beschilderung gut lesbar?",
        "Halt 3 (Bahnhof): Gibt es Sitzgelegenheiten?",
        "Halt 3 (Bahnhof): Ist die Beschilderung gut lesbar?",
        "Wie war der Weg insgesamt?",
    ]
    assert rows[2][3:] == ["ja", "nein", "nein", "trifft hier nicht zu", "", "", "4"]
    assert len(rows) == 5


async def test_many_responses_are_streamed_a_chunk_at_a_time(client) -> None:
    organisation = await make_organisation()
    plan = await new_questionnaire(organisation.id)
    count = 2 * CHUNK_SIZE + 5
    await bulk_respond(
        plan, count, [choice(plan.questions[0].id, 4), NewAnswer(plan.questions[-1].id, text="Ok")]
    )

    chunks = [chunk async for chunk in csv_chunks(plan)]
    await sign_in(client, await make_officer(organisation))
    rows = rows_of((await client.get(export_url(plan.questionnaire_id))).text)

    assert len(chunks) == 1 + 3  # the header, then one piece per chunk of responses
    assert len(rows) == count + 1
    assert [rows[1][0], rows[-1][0]] == ["1", str(count)]
    assert rows[-1][3] == "4" and rows[-1][-1] == "Ok"
