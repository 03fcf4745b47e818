"""Open data: the public, suppressed aggregates as CSV and JSON, described in DCAT-AP.de.

One row per view (field of action, co-production mode, outcome goal, and the town as a
whole) × group × month. The column names are German, stable and documented in `COLUMNS`
(the open-data page lists them); withheld figures are empty (CSV) or null (JSON) with a
flag column saying so, never a zero. Labels are written as stored (German), whatever the
reader's language, so a portal harvesting the file gets the same bytes every time.

The metadata follows DCAT-AP.de 2 (dcat:Catalog with one dcat:Dataset and a
dcat:Distribution per format), so a town can list the data on its open-data portal."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from boerse.dashboards.figures import Period
from boerse.dashboards.freshness import freshness
from boerse.dashboards.public import (
    PUBLIC_DIMENSIONS,
    PublicDashboard,
    PublicFigures,
    Shown,
    public_views,
)
from boerse.dashboards.rollup import ROLLUP_NAME
from boerse.lib.i18n import N_
from boerse.lib.urls import site_url
from boerse.settings import get_settings

OPEN_DATA_MONTHS = 24
"""How many months (up to and including the current one) the files cover."""
OVERALL_VIEW = "gesamt"
"""The `auswertung` of the rows for the town as a whole."""
FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/DAILY"
"""The worker rebuilds the figures several times a day; portals should fetch daily."""
THEME = "http://publications.europa.eu/resource/authority/data-theme/GOVE"

COLUMNS: tuple[tuple[str, str], ...] = (
    ("auswertung", N_("Sicht: handlungsfeld, modus, wirkungsziel oder gesamt")),
    ("schluessel", N_("Kennung der Gruppe (Nummer oder Modus; bei gesamt: *)")),
    ("bezeichnung", N_("Name der Gruppe")),
    ("monat", N_("Monat im Format JJJJ-MM")),
    ("antworten", N_("Ausgefüllte Fragebögen")),
    ("antwortquote_prozent", N_("Anteil der Einladungen, die beantwortet wurden")),
    ("bewertung_mittel", N_("Mittlere Gesamtbewertung von 1 bis 5")),
    ("zustimmung_prozent", N_("Anteil zustimmender Antworten auf Wirkungsfragen")),
    ("antworten_zurueckgehalten", N_("ja, wenn die Antwortzahlen zurückgehalten sind")),
    ("anmeldungen", N_("Belegte Plätze")),
    ("teilnahmen", N_("Wahrgenommene Plätze vergangener Termine")),
    ("stunden", N_("Von den Verantwortlichen erfasste Stunden")),
    ("erstmalige", N_("Teilnahmen von Personen, die zum ersten Mal mitmachten")),
    ("wiederkehrende", N_("Teilnahmen von Personen, die schon früher mitmachten")),
    ("teilnahmen_zurueckgehalten", N_("ja, wenn die Teilnahmezahlen zurückgehalten sind")),
    (
        "aufteilung_zurueckgehalten",
        N_("ja, wenn erstmalige und wiederkehrende zurückgehalten sind"),
    ),
)
COLUMN_NAMES = tuple(name for name, _description in COLUMNS)


@dataclass(frozen=True)
class OpenDataRow:
    view: str
    key: str
    label: str
    month: dt.date
    figures: PublicFigures

    def values(self) -> dict[str, object]:
        """The row under the column names, withheld figures as None."""
        f = self.figures
        return {
            "auswertung": self.view,
            "schluessel": self.key,
            "bezeichnung": self.label,
            "monat": self.month.strftime("%Y-%m"),
            "antworten": f.responses,
            "antwortquote_prozent": _rounded(f.response_rate, 1),
            "bewertung_mittel": _rounded(f.average_rating, 2),
            "zustimmung_prozent": _rounded(f.agreement_share, 1),
            "antworten_zurueckgehalten": f.answers is Shown.WITHHELD,
            "anmeldungen": f.sign_ups,
            "teilnahmen": f.attended,
            "stunden": _rounded(f.hours, 1),
            "erstmalige": f.first_timers,
            "wiederkehrende": f.returning,
            "teilnahmen_zurueckgehalten": f.participation is Shown.WITHHELD,
            "aufteilung_zurueckgehalten": f.split is Shown.WITHHELD,
        }


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def open_data_period(today: dt.date) -> Period:
    return Period.last_months(OPEN_DATA_MONTHS, today)


def open_data_rows(views: list[PublicDashboard], town_name: str) -> list[OpenDataRow]:
    """Every view's groups month by month, then the town as a whole (once: it is the same
    in every view)."""
    rows = [
        OpenDataRow(view.dimension.value, group.key, group.label, month.month, month.figures)
        for view in views
        for group in view.groups
        for month in group.months
    ]
    if views:
        rows += [
            OpenDataRow(OVERALL_VIEW, "*", town_name, month.month, month.figures)
            for month in views[0].overall.months
        ]
    return rows


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    return str(value)


def to_csv(rows: list[OpenDataRow]) -> str:
    """RFC 4180 CSV (comma, dot as decimal mark, CRLF), a header row of `COLUMN_NAMES`."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMN_NAMES)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row.values().values()])
    return out.getvalue()


@dataclass(frozen=True)
class Catalogue:
    """What the metadata says about the data: names, addresses, licence and time."""

    title: str
    description: str
    publisher: str
    licence: str
    """A DCAT-AP.de licence URI, e.g. http://dcat-ap.de/def/licenses/dl-by-de/2.0."""
    contributor_id: str
    """dcatde:contributorID of the portal that harvests it (empty: none)."""
    period: Period
    modified: dt.datetime | None
    page_url: str
    csv_url: str
    json_url: str
    metadata_url: str
    minimum: int


def to_json(rows: list[OpenDataRow], catalogue: Catalogue) -> dict:
    """The rows as objects, with what a reader needs to use them."""
    return {
        "titel": catalogue.title,
        "herausgeber": catalogue.publisher,
        "lizenz": catalogue.licence,
        "zeitraum": {
            "von": catalogue.period.first.strftime("%Y-%m"),
            "bis": catalogue.period.last.strftime("%Y-%m"),
        },
        "stand": catalogue.modified.isoformat() if catalogue.modified else None,
        "mindestanzahl": catalogue.minimum,
        "spalten": COLUMN_NAMES,
        "zeilen": [row.values() for row in rows],
    }


CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcatde": "http://dcat-ap.de/def/dcatde/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
_FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"


def _text(value: str) -> dict:
    return {"@value": value, "@language": "de"}


def _distribution(catalogue: Catalogue, url: str, file_type: str, media_type: str) -> dict:
    return {
        "@id": f"{url}#distribution",
        "@type": "dcat:Distribution",
        "dct:title": _text(f"{catalogue.title} ({file_type})"),
        "dcat:accessURL": {"@id": catalogue.page_url},
        "dcat:downloadURL": {"@id": url},
        "dct:format": {"@id": f"{_FILE_TYPES}{file_type}"},
        "dcat:mediaType": {"@id": f"{_MEDIA_TYPES}{media_type}"},
        "dct:license": {"@id": catalogue.licence},
        "dcatde:licenseAttributionByText": _text(catalogue.publisher),
    }


def dcat(catalogue: Catalogue) -> dict:
    """The DCAT-AP.de description as JSON-LD."""
    publisher = {"@type": "foaf:Agent", "foaf:name": catalogue.publisher}
    dataset = {
        "@id": f"{catalogue.page_url}#dataset",
        "@type": "dcat:Dataset",
        "dct:title": _text(catalogue.title),
        "dct:description": _text(catalogue.description),
        "dct:publisher": publisher,
        "dct:license": {"@id": catalogue.licence},
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": catalogue.period.first.isoformat(), "@type": "xsd:date"},
            "dcat:endDate": {
                "@value": _month_end(catalogue.period.last).isoformat(),
                "@type": "xsd:date",
            },
        },
        "dct:accrualPeriodicity": {"@id": FREQUENCY},
        "dcat:theme": {"@id": THEME},
        "dcat:landingPage": {"@id": catalogue.page_url},
        "dcat:distribution": [
            _distribution(catalogue, catalogue.csv_url, "CSV", "text/csv"),
            _distribution(catalogue, catalogue.json_url, "JSON", "application/json"),
        ],
    }
    if catalogue.modified:
        dataset["dct:modified"] = {
            "@value": catalogue.modified.isoformat(),
            "@type": "xsd:dateTime",
        }
    if catalogue.contributor_id:
        dataset["dcatde:contributorID"] = {"@id": catalogue.contributor_id}
    return {
        "@context": CONTEXT,
        "@id": catalogue.metadata_url,
        "@type": "dcat:Catalog",
        "dct:title": _text(catalogue.title),
        "dct:description": _text(catalogue.description),
        "dct:publisher": publisher,
        "dcat:dataset": dataset,
    }


def _month_end(month: dt.date) -> dt.date:
    following = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


# --- loading ---------------------------------------------------------------------------------

TITLE = N_("Mitmachen in {town}: Teilnahme und Rückmeldungen je Monat")
DESCRIPTION = N_(
    "Monatliche Zahlen der Mitmach-Börse nach Handlungsfeld, Mitmach-Art und Wirkungsziel "
    "sowie für die ganze Stadt: belegte Plätze, Teilnahmen, Stunden, erstmalige und "
    "wiederkehrende Teilnahmen, ausgefüllte Fragebögen, Antwortquote, mittlere Bewertung und "
    "Zustimmung zu Wirkungsfragen. Nur veröffentlichte Angebote zählen. Zahlen, die auf "
    "weniger als {n} Antworten oder Teilnahmen beruhen oder sich aus anderen Zahlen "
    "errechnen ließen, sind zurückgehalten (leer, mit Kennzeichen). Freitexte werden nie "
    "veröffentlicht."
)


def catalogue(period: Period, modified: dt.datetime | None) -> Catalogue:
    """The metadata in German (the language of the data and of DCAT-AP.de portals), with
    absolute addresses from `BASE_URL`."""
    settings = get_settings()
    return Catalogue(
        title=TITLE.format(town=settings.town_name),
        description=DESCRIPTION.format(n=settings.public_results_min_answers),
        publisher=settings.opendata_publisher or f"Stadt {settings.town_name}",
        licence=settings.opendata_licence,
        contributor_id=settings.opendata_contributor_id,
        period=period,
        modified=modified,
        page_url=site_url("dashboards:opendata"),
        csv_url=site_url("dashboards:opendata_csv"),
        json_url=site_url("dashboards:opendata_json"),
        metadata_url=site_url("dashboards:opendata_dcat"),
        minimum=settings.public_results_min_answers,
    )


async def open_data_catalogue(today: dt.date) -> Catalogue:
    """The metadata alone (for the page and the JSON-LD): one query, the rollup's time."""
    return catalogue(open_data_period(today), (await freshness(ROLLUP_NAME)).refreshed_at)


async def open_data(today: dt.date) -> tuple[list[OpenDataRow], Catalogue]:
    """The rows of the last `OPEN_DATA_MONTHS` months, suppressed like the transparency
    pages (the same month cells), and their metadata."""
    settings = get_settings()
    period = open_data_period(today)
    views = await public_views(period, settings.public_results_min_answers)
    ordered = [views[dimension] for dimension in PUBLIC_DIMENSIONS]
    rows = open_data_rows(ordered, settings.town_name)
    return rows, catalogue(period, ordered[0].freshness.refreshed_at)
