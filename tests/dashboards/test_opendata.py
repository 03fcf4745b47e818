"""Open-data builders: stable columns, withheld cells empty with a flag, DCAT-AP.de metadata."""

from __future__ import annotations

import csv
import datetime as dt
import io

from boerse.dashboards.figures import Dimension, Period
from boerse.dashboards.opendata import (
    COLUMN_NAMES,
    CONTEXT,
    FREQUENCY,
    Catalogue,
    dcat,
    open_data_period,
    open_data_rows,
    to_csv,
    to_json,
)
from boerse.dashboards.public import public_dashboard, withheld_cells
from tests.dashboards.test_public import JUNE, MAY, answers, dashboard, group

LICENCE = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"


def views():
    fields = dashboard(Dimension.FIELD, [group("7", {MAY: answers(6), JUNE: answers(1)})])
    modes = dashboard(Dimension.MODE, [group("co_deliver", {MAY: answers(6), JUNE: answers(1)})])
    hidden = withheld_cells([fields, modes], 5)
    return [public_dashboard(board, hidden, 5) for board in (fields, modes)]


def catalogue(**changes) -> Catalogue:
    values = dict(
        title="Mitmachen in Lindenau",
        description="Zahlen",
        publisher="Stadt Lindenau",
        licence=LICENCE,
        contributor_id="",
        period=Period(MAY, JUNE),
        modified=dt.datetime(2026, 6, 30, 8, tzinfo=dt.UTC),
        page_url="https://boerse.example/ergebnisse/offene-daten",
        csv_url="https://boerse.example/ergebnisse/offene-daten/daten.csv",
        json_url="https://boerse.example/ergebnisse/offene-daten/daten.json",
        metadata_url="https://boerse.example/ergebnisse/offene-daten/dcat.jsonld",
        minimum=5,
    )
    return Catalogue(**(values | changes))


def test_one_row_per_view_group_and_month_then_the_town_once() -> None:
    rows = open_data_rows(views(), "Lindenau")
    assert [(r.view, r.key, r.month) for r in rows] == [
        ("handlungsfeld", "7", MAY),
        ("handlungsfeld", "7", JUNE),
        ("modus", "co_deliver", MAY),
        ("modus", "co_deliver", JUNE),
        ("gesamt", "*", MAY),
        ("gesamt", "*", JUNE),
    ]
    assert rows[-1].label == "Lindenau"


def test_csv_has_the_documented_columns_and_empty_withheld_cells() -> None:
    text = to_csv(open_data_rows(views(), "Lindenau"))
    assert text.splitlines()[0] == ",".join(COLUMN_NAMES)
    assert "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text)))
    may, june = rows[0], rows[1]
    assert (may["monat"], may["antworten"], may["bewertung_mittel"]) == ("2026-05", "6", "4.0")
    assert (may["antworten_zurueckgehalten"], may["antwortquote_prozent"]) == ("nein", "50.0")
    assert (june["antworten"], june["bewertung_mittel"], june["antworten_zurueckgehalten"]) == (
        "",
        "",
        "ja",
    )
    assert june["teilnahmen"] == "0" and june["teilnahmen_zurueckgehalten"] == "nein"


def test_json_rows_use_null_and_booleans() -> None:
    data = to_json(open_data_rows(views(), "Lindenau"), catalogue())
    assert data["zeitraum"] == {"von": "2026-05", "bis": "2026-06"}
    assert data["lizenz"] == LICENCE and data["mindestanzahl"] == 5
    june = data["zeilen"][1]
    assert list(june) == list(COLUMN_NAMES)
    assert june["antworten"] is None and june["antworten_zurueckgehalten"] is True


def test_dcat_describes_catalogue_dataset_and_one_distribution_per_format() -> None:
    data = dcat(catalogue(contributor_id="http://dcat-ap.de/def/contributors/lindenau"))
    assert data["@context"] == CONTEXT and data["@type"] == "dcat:Catalog"
    dataset = data["dcat:dataset"]
    assert dataset["dct:title"] == {"@value": "Mitmachen in Lindenau", "@language": "de"}
    assert dataset["dct:publisher"] == {"@type": "foaf:Agent", "foaf:name": "Stadt Lindenau"}
    assert dataset["dct:license"] == {"@id": LICENCE}
    assert dataset["dct:accrualPeriodicity"] == {"@id": FREQUENCY}
    assert dataset["dct:temporal"]["dcat:startDate"]["@value"] == "2026-05-01"
    assert dataset["dct:temporal"]["dcat:endDate"]["@value"] == "2026-06-30"
    assert dataset["dct:modified"]["@value"].startswith("2026-06-30T08:00")
    assert dataset["dcatde:contributorID"] == {"@id": "http://dcat-ap.de/def/contributors/lindenau"}
    csv_dist, json_dist = dataset["dcat:distribution"]
    assert csv_dist["dcat:downloadURL"] == {"@id": catalogue().csv_url}
    assert csv_dist["dct:format"]["@id"].endswith("/file-type/CSV")
    assert json_dist["dcat:mediaType"]["@id"].endswith("/application/json")
    assert all(d["dct:license"] == {"@id": LICENCE} for d in (csv_dist, json_dist))


def test_without_contributor_or_time_the_fields_are_left_out() -> None:
    dataset = dcat(catalogue(modified=None))["dcat:dataset"]
    assert "dcatde:contributorID" not in dataset and "dct:modified" not in dataset


def test_the_files_cover_24_months_up_to_this_one() -> None:
    period = open_data_period(dt.date(2026, 11, 30))
    assert (period.first, period.last) == (dt.date(2024, 12, 1), dt.date(2026, 11, 1))
    december = open_data_period(dt.date(2026, 12, 31))
    assert catalogue(period=december).period.last == dt.date(2026, 12, 1)
    assert (
        dcat(catalogue(period=december))["dcat:dataset"]["dct:temporal"]["dcat:endDate"]["@value"]
        == "2026-12-31"
    )
