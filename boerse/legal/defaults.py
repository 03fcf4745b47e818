"""The shipped German texts of the legal pages, with the app's own figures filled in.

The Markdown files beside this module cover what the law asks of each page; what only the
town knows is left as a `[placeholder]` that the admin page warns about. Figures the
application itself decides (retention periods, cookie lifetimes, answer thresholds) are
`{name}` fields filled from the settings when the default is shown, so the shipped privacy
notice says what this installation does. Once an admin saves a page, its text is theirs
and no longer follows the settings."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from boerse.legal.tables import LegalPageKind
from boerse.outbox.jobs import RETENTION as OUTBOX_RETENTION
from boerse.settings import Settings

DEFAULTS_DIR = Path(__file__).resolve().parent / "defaults"
FIELD = re.compile(r"\{([a-z_]+)\}")
GEOCODER_LOCAL = "auf unserem eigenen Server mit einem eingebauten Verzeichnis der Postleitzahlen"
GEOCODER_SERVICE = (
    "mit Hilfe des Geocoding-Dienstes [Name und Anschrift des Geocoding-Dienstes], "
    "der dafür als Auftragsverarbeiter nur die eingegebene Adresse erhält,"
)

MAP_NONE = (
    "Wir binden keine Inhalte anderer Anbieter ein; auch Schriften und Skripte kommen von "
    "unserem eigenen Server."
)
MAP_SERVICE = (
    "Schriften und Skripte kommen von unserem eigenen Server. Nur die Karte der Angebote "
    "(auf der Liste und den Seiten der Angebote) lädt ihre Kartenbilder vom Kartendienst "
    "{host} ([Name und Anschrift des Kartendienstes]): Ihr Browser übermittelt ihm dabei "
    "Ihre IP-Adresse, die Browserkennung und welchen Kartenausschnitt Sie ansehen, nicht "
    "aber die Adresse der Seite, auf der Sie sind. Ohne JavaScript lädt die Seite keine Karte."
)


def _map_tiles(settings: Settings) -> str:
    """Who else a browser talks to: the map's tile server, when one is configured."""
    if not settings.map_tile_url:
        return MAP_NONE
    return MAP_SERVICE.format(host=urlsplit(settings.map_tile_url).hostname)


@cache
def _template(kind: LegalPageKind) -> str:
    return (DEFAULTS_DIR / f"{kind.value}.md").read_text(encoding="utf-8")


def setting_fields(settings: Settings) -> dict[str, str]:
    """The `{name}` fields of the shipped texts, from this installation's settings."""
    return {
        "base_url": settings.base_url,
        "session_idle_minutes": str(settings.session_idle_minutes),
        "session_max_days": str(settings.session_max_days),
        "survey_valid_days": str(settings.survey_valid_days),
        "public_results_min_answers": str(settings.public_results_min_answers),
        "officer_results_min_answers": str(settings.officer_results_min_answers),
        "outbox_retention_days": str(OUTBOX_RETENTION.days),
        "unverified_account_days": str(settings.unverified_account_days),
        "inactive_account_days": str(settings.inactive_account_days),
        "inactive_grace_days": str(settings.inactive_grace_days),
        "sign_up_retention_days": str(settings.sign_up_retention_days),
        "audit_retention_days": str(settings.audit_retention_days),
        "geocoder": GEOCODER_SERVICE if settings.geocoder_url else GEOCODER_LOCAL,
        "map_tiles": _map_tiles(settings),
    }


def default_text(kind: LegalPageKind, settings: Settings) -> str:
    """The shipped Markdown of `kind` with the settings' figures filled in; unknown fields
    stay as typed, so a brace in the text itself needs no escaping."""
    fields = setting_fields(settings)
    return FIELD.sub(lambda m: fields.get(m.group(1), m.group(0)), _template(kind))
