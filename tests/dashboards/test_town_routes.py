"""The evaluation dashboard: who sees which scope, the filter form's messages, the CSV and
a fixed number of queries. Figures come from the hand-counted town of `rollup_town`."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from boerse.accounts.tables import Role
from boerse.dashboards.rollup import refresh_rollups
from tests.dashboards.rollup_town import NOW, dated_session, place, rollup_town
from tests.support.factories import make_officer, make_opportunity, make_user, sign_in

PAGE = "/verwaltung/auswertung/"
CSV = "/verwaltung/auswertung/auswertung.csv"
AUGUST_TO_NOVEMBER = {"von": "2026-08", "bis": "2026-11"}


@pytest.fixture
async def town():
    town = await rollup_town()
    await refresh_rollups(full=True, now=NOW)
    return town


def text_of(response) -> str:
    """Whitespace collapsed, the no-break spaces before "%" kept."""
    return re.sub(r"[ \t\r\n]+", " ", response.text)


def figure(label: str, value: str, previous: str) -> str:
    return (
        f'<span class="kern-body">{label}</span> <span class="dashboard-figure__value">{value}'
        f'</span> <span class="dashboard-figure__change">Vorzeitraum: {previous}'
    )


async def test_an_officer_sees_their_organisation_by_field(client, town) -> None:
    await sign_in(client, await make_officer(town.a))

    response = await client.get(PAGE, params=AUGUST_TO_NOVEMBER)

    assert response.status_code == 200
    page = text_of(response)
    assert f'<h1 class="kern-heading-large">Auswertung: {town.a.name}</h1>' in page
    assert (
        "<strong>August 2026 bis November 2026</strong>, verglichen mit April 2026 bis Juli 2026."
        in page
    )
    assert "Stand: vor " in page
    # A's offers: Bäume (September, October), the youth council (August) and the draft.
    assert figure("Teilnahmen", "6", "0") in page
    assert figure("Antworten", "4", "0") in page
    assert figure("Zustimmung", "75\u00a0%", "keine Angabe") in page
    assert "Zustimmung sank von 100\u00a0% im September 2026 auf 67\u00a0% im Oktober 2026." in page
    # The field links to the same evaluation narrowed to it, by offer.
    assert "nach=angebot&amp;von=2026-08&amp;bis=2026-11&amp;handlungsfeld=" in page
    assert "Müll" not in page  # B's offer
    # Compared with the town (a narrowed view), never with A alone.
    assert "Stadt insgesamt: " in page
    assert 'name="organisation"' not in page  # officers do not choose


async def test_an_officer_may_not_ask_for_another_organisation(client, town) -> None:
    await sign_in(client, await make_officer(town.a))

    response = await client.get(PAGE, params={**AUGUST_TO_NOVEMBER, "organisation": town.b.id})

    assert response.status_code == 403


async def test_the_administration_sees_the_town_or_one_organisation(client, town) -> None:
    await sign_in(client, await make_user(role=Role.ADMIN))

    whole = text_of(await client.get(PAGE, params={**AUGUST_TO_NOVEMBER, "nach": "angebot"}))
    only_b = text_of(
        await client.get(
            PAGE, params={**AUGUST_TO_NOVEMBER, "nach": "angebot", "organisation": town.b.id}
        )
    )

    assert "Auswertung: Ganze Stadt" in whole
    assert ">Bäume</a>" in whole and ">Müll</a>" in whole
    assert f'href="/verwaltung/angebote/{town.trees.id}/ergebnisse">Bäume</a>' in whole
    assert f"Auswertung: {town.b.name}" in only_b
    assert ">Müll</a>" in only_b and ">Bäume</a>" not in only_b
    assert f'<option value="{town.b.id}" selected>' in only_b


async def test_residents_are_refused_and_visitors_sent_to_the_login(client, town) -> None:
    assert (await client.get(PAGE)).status_code in (302, 303, 401)
    anonymous = await client.get(PAGE)
    assert "/konto/anmelden" in anonymous.headers.get("location", anonymous.text)

    await sign_in(client, await make_user())
    assert (await client.get(PAGE)).status_code == 403
    assert (await client.get(CSV)).status_code == 403


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"von": "2026-11", "bis": "2026-08"},
            "Der Monat „bis“ darf nicht vor dem Monat „von“ liegen.",
        ),
        ({"von": "2026-13", "bis": "2026-08"}, "Bitte geben Sie den Monat als JJJJ-MM ein"),
        ({"von": "2020-01", "bis": "2026-08"}, "Bitte wählen Sie höchstens 60 Monate."),
        ({"nach": "farbe", "von": "2026-01"}, "Bitte wählen Sie einen Eintrag aus der Liste."),
        ({"handlungsfeld": "abc"}, "Bitte wählen Sie einen Eintrag aus der Liste."),
    ],
)
async def test_a_bad_query_gives_the_form_back_with_a_message(client, town, query, message) -> None:
    await sign_in(client, await make_officer(town.a))

    response = await client.get(PAGE, params=query)

    assert response.status_code == 400
    page = text_of(response)
    assert message in page
    assert "Bitte prüfen Sie Ihre Eingaben" in page
    for name in ("von", "bis"):  # typed months are kept as typed
        if name in query:
            assert f'name="{name}" type="month" value="{query[name]}"' in page
    assert "Kennzahlen" not in page
    assert (await client.get(CSV, params=query)).status_code == 400


async def test_the_csv_has_a_row_per_group_and_month(client, town) -> None:
    await sign_in(client, await make_user(role=Role.ADMIN))

    response = await client.get(
        CSV,
        params={"nach": "angebot", "von": "2026-09", "bis": "2026-10", "organisation": town.b.id},
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert (
        'filename="auswertung-angebot-2026-09-bis-2026-10.csv"'
        in response.headers["content-disposition"]
    )
    assert response.text.split("\r\n") == [
        "\ufeffGruppe;Schlüssel;Monat;Anmeldungen;Teilnahmen;Eingetragene Stunden;"
        "Zum ersten Mal dabei;Wieder dabei;Umfragen verschickt;Antworten;Rücklaufquote (%);"
        "Bewertungen;Bewertung im Durchschnitt;Antworten auf Indikatorfragen;Davon zustimmend;"
        "Zustimmung (%)",
        f"Müll;{town.litter.id};2026-09;0;0;0;0;0;0;0;;0;;0;0;",
        f"Müll;{town.litter.id};2026-10;1;1;1;0;1;0;0;;0;;0;0;",
        "",
    ]


async def test_the_csv_of_a_field_adds_up_the_answers(client, town) -> None:
    await sign_in(client, await make_officer(town.a))

    response = await client.get(
        CSV, params={"nach": "modus", "von": "2026-09", "bis": "2026-10", "modus": "co_deliver"}
    )

    rows = [line.split(";") for line in response.text.split("\r\n")[1:] if line]
    deliver = {row[2]: row for row in rows if row[1] == "co_deliver"}
    # September: p1, p2 attended, p3 absent (3 places); two invitations, one answer (5, ++).
    assert deliver["2026-09"][3:] == [
        "3",
        "2",
        "3,5",
        "2",
        "0",
        "2",
        "1",
        "50",
        "1",
        "5",
        "1",
        "1",
        "100",
    ]


async def test_the_page_runs_a_fixed_number_of_queries(client, town, count_queries) -> None:
    await sign_in(client, await make_user(role=Role.ADMIN))
    params = {**AUGUST_TO_NOVEMBER, "nach": "angebot"}
    await client.get(PAGE, params=params)  # warm-up: session, catalogues
    with count_queries() as few:
        assert (await client.get(PAGE, params=params)).status_code == 200

    for index in range(6):
        offer = await make_opportunity(town.b, title=f"Weiteres Angebot {index}")
        await place(
            await dated_session(offer, dt.date(2026, 9, 1 + index)), (await make_user()).id, hours=1
        )
    await refresh_rollups(full=True, now=NOW)
    with count_queries() as many:
        response = await client.get(PAGE, params=params)

    assert "Weiteres Angebot 5" in response.text
    assert many.count == few.count
