"""The public transparency page and the open data: small months withheld everywhere, drafts
left out, free texts never published."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from boerse.dashboards.figures import add_months, month_start
from boerse.dashboards.rollup import refresh_rollups
from boerse.lib.db import utcnow, write_transaction
from boerse.lib.formatting import local
from boerse.opportunities.tables import Mode, OpportunityStatus
from boerse.questionnaires.tables import Response
from boerse.settings import get_settings
from tests.dashboards.answers import answer_feedback
from tests.support.factories import make_opportunity, make_organisation

SECRET = "Zebrastreifen-Geheimnis-4711"


def this_month() -> dt.date:
    return month_start(local(utcnow()).date())


async def answered(opportunity, count: int, month: dt.date) -> None:
    """`count` completed answers in `month`, each with the distinctive comment."""
    ids = [await answer_feedback(opportunity, comment=SECRET) for _ in range(count)]
    day = dt.datetime(month.year, month.month, 10, 12, tzinfo=dt.UTC)
    async with write_transaction():
        await Response.update({Response.submitted_at: day}).where(Response.id.is_in(ids))


async def six_then_one():
    """A published offer with 6 answers last month and 1 this month; a draft with 6 this
    month (must not count anywhere)."""
    organisation = await make_organisation()
    published = await make_opportunity(organisation, title="Veröffentlichtes Angebot")
    draft = await make_opportunity(
        organisation, status=OpportunityStatus.DRAFT, title="Entwurf", mode=Mode.CO_DESIGN
    )
    last = add_months(this_month(), -1)
    await answered(published, 6, last)
    await answered(published, 1, this_month())
    await answered(draft, 6, this_month())
    await refresh_rollups(full=True)
    return last, published


async def test_open_data_json_withholds_the_small_month_and_its_difference(client) -> None:
    assert get_settings().public_results_min_answers == 5
    last, published = await six_then_one()

    response = await client.get("/ergebnisse/offene-daten/daten.json")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["access-control-allow-origin"] == "*"
    data = response.json()
    assert data["mindestanzahl"] == 5 and data["spalten"][0] == "auswertung"
    keys = {"handlungsfeld": str(published.field), "modus": "co_deliver", "gesamt": "*"}
    rows = {
        (r["auswertung"], r["monat"]): r
        for r in data["zeilen"]
        if keys.get(r["auswertung"]) == r["schluessel"]
    }
    for view in ("handlungsfeld", "modus", "gesamt"):
        earlier, now = rows[view, f"{last:%Y-%m}"], rows[view, f"{this_month():%Y-%m}"]
        assert earlier["antworten"] == 6 and earlier["antworten_zurueckgehalten"] is False
        # The draft's six answers this month do not count: 1 is left, and it is withheld.
        assert now["antworten"] is None and now["antworten_zurueckgehalten"] is True
        assert now["bewertung_mittel"] is None and now["antwortquote_prozent"] is None
    # No published number is 7 (the true total) or 1 (the month), nor 12 (with the draft).
    assert {r["antworten"] for r in data["zeilen"]} <= {None, 0, 6}
    assert SECRET not in response.text and "Entwurf" not in response.text


async def test_open_data_csv_has_stable_columns_and_empty_withheld_cells(client) -> None:
    last, _published = await six_then_one()

    response = await client.get("/ergebnisse/offene-daten/daten.csv")

    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith('attachment; filename="')
    assert response.headers["access-control-allow-origin"] == "*"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0])[:4] == ["auswertung", "schluessel", "bezeichnung", "monat"]
    assert len({r["monat"] for r in rows}) == 24
    town = {r["monat"]: r for r in rows if r["auswertung"] == "gesamt"}
    assert town[f"{last:%Y-%m}"]["antworten"] == "6"
    now = town[f"{this_month():%Y-%m}"]
    assert (now["antworten"], now["antworten_zurueckgehalten"]) == ("", "ja")
    assert SECRET not in response.text and "Entwurf" not in response.text


async def test_transparency_page_shows_the_period_without_the_small_month(client) -> None:
    last, _published = await six_then_one()
    url = f"/ergebnisse/auswertung?nach=handlungsfeld&von={last:%Y-%m}&bis={this_month():%Y-%m}"

    response = await client.get(url)

    assert response.status_code == 200
    page = response.text
    assert "Umwelt" in page or "environment" in page.lower()
    assert "(nur gezeigte Monate)" in page and "keine Angabe" in page
    assert '6<span aria-hidden="true">*</span>' in page  # the period: only the shown month
    assert SECRET not in page and "Entwurf" not in page
    assert "Stand:" in page


async def test_every_public_view_and_the_overview_link_answer(client) -> None:
    await six_then_one()
    for by in ("handlungsfeld", "modus", "wirkungsziel"):
        assert (await client.get(f"/ergebnisse/auswertung?nach={by}")).status_code == 200
    overview = (await client.get("/ergebnisse/")).text
    assert (
        "/ergebnisse/auswertung?nach=modus" in overview and "/ergebnisse/offene-daten" in overview
    )


async def test_bad_input_gives_the_form_back_with_400(client) -> None:
    for query, typed in (
        ("nach=angebot", None),
        ("nach=quatsch", None),
        ("von=2026-13", "2026-13"),
        ("von=2026-05&bis=2026-01", "2026-01"),
        ("bis=gestern", "gestern"),
    ):
        response = await client.get(f"/ergebnisse/auswertung?{query}")
        assert response.status_code == 400, query
        assert "Bitte prüfen Sie Ihre Eingaben" in response.text
        if typed:
            assert f'value="{typed}"' in response.text
        else:
            assert "Bitte wählen Sie einen Eintrag aus der Liste." in response.text


async def test_open_data_page_and_dcat_description(client) -> None:
    await six_then_one()
    page = await client.get("/ergebnisse/offene-daten")
    assert page.status_code == 200
    assert "dl-by-de/2.0" in page.text and "antworten_zurueckgehalten" in page.text

    response = await client.get("/ergebnisse/offene-daten/dcat.jsonld")

    assert response.headers["content-type"].startswith("application/ld+json")
    assert response.headers["access-control-allow-origin"] == "*"
    data = json.loads(response.text)
    assert data["@type"] == "dcat:Catalog"
    assert data["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    dataset = data["dcat:dataset"]
    assert dataset["@type"] == "dcat:Dataset"
    assert dataset["dct:license"]["@id"] == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
    assert dataset["dct:publisher"] == {
        "@type": "foaf:Agent",
        "foaf:name": f"Stadt {get_settings().town_name}",
    }
    assert dataset["dct:accrualPeriodicity"]["@id"].endswith("/frequency/DAILY")
    assert dataset["dct:temporal"]["dcat:endDate"]["@value"] >= f"{this_month():%Y-%m}-28"
    assert "dct:modified" in dataset
    formats = {d["dct:format"]["@id"].rsplit("/", 1)[1]: d for d in dataset["dcat:distribution"]}
    assert set(formats) == {"CSV", "JSON"}
    assert formats["CSV"]["dcat:downloadURL"]["@id"].endswith("/ergebnisse/offene-daten/daten.csv")
    assert formats["CSV"]["dcat:mediaType"]["@id"].endswith("text/csv")


async def test_the_transparency_page_runs_a_fixed_number_of_queries(client, count_queries) -> None:
    counts = []
    for _ in range(2):
        await six_then_one()
        with count_queries() as counter:
            assert (await client.get("/ergebnisse/auswertung?nach=modus")).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


async def test_a_sub_goal_does_not_reveal_the_rest_of_its_main_goal(client) -> None:
    """Main goal M counts its sub-goal S's offer (6 answers) and one of its own (2): M = 8,
    S = 6, so showing both would reveal the 2."""
    from boerse.goals.tables import Goal, OpportunityGoal

    organisation = await make_organisation()
    main = Goal(title="Mehr Grün")
    await main.save()
    sub = Goal(title="Mehr Bäume", parent=main.id)
    await sub.save()
    for goal, count in ((sub, 6), (main, 2)):
        opportunity = await make_opportunity(organisation)
        await OpportunityGoal(opportunity=opportunity.id, goal=goal.id).save()
        await answered(opportunity, count, this_month())
    await refresh_rollups(full=True)

    data = (await client.get("/ergebnisse/offene-daten/daten.json")).json()

    month = f"{this_month():%Y-%m}"
    goals = {
        r["schluessel"]: r["antworten"]
        for r in data["zeilen"]
        if r["auswertung"] == "wirkungsziel" and r["monat"] == month
    }
    # The smaller part goes: the main goal stays readable, the sub-goal is withheld.
    assert (goals[str(main.id)], goals[str(sub.id)]) == (8, None)
