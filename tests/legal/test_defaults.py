"""The shipped texts cover what the law asks of each page, and say what this installation does."""

from __future__ import annotations

import dataclasses
import re

import pytest

from boerse.legal.defaults import GEOCODER_LOCAL, MAP_NONE, default_text
from boerse.legal.markdown import placeholders
from boerse.legal.tables import LegalPageKind
from boerse.outbox.jobs import RETENTION
from boerse.settings import get_settings

REQUIRED = {
    LegalPageKind.IMPRINT: [
        "§ 5 Digitale-Dienste-Gesetz (DDG)",
        "§ 18 Abs. 2 Medienstaatsvertrag",
        "Gebietskörperschaft des öffentlichen Rechts",
        "vertreten durch [Name und Amtsbezeichnung der Bürgermeisterin",
        "[Straße und Hausnummer]",
        "E-Mail: [E-Mail-Adresse]",
        "Telefon: [Telefonnummer]",
        "Aufsichtsbehörde",
        "Umsatzsteuer-Identifikationsnummer",
    ],
    LegalPageKind.PRIVACY: [
        "Art. 13 der Datenschutz-Grundverordnung",
        "## Verantwortliche Stelle",
        "## Datenschutzbeauftragte",
        "Art. 6 Abs. 1 lit. a DSGVO",
        "Art. 6 Abs. 1 lit. b DSGVO",
        "Art. 6 Abs. 1 lit. c DSGVO",
        "Art. 6 Abs. 1 lit. e DSGVO",
        "§ 3 Bundesdatenschutzgesetz",
        "### Benutzerkonto",
        "### Profil und Vorschläge",
        "### Anmeldungen und Teilnahme",
        "### Rückmelde-Umfragen",
        "(anonym)",
        "### E-Mails",
        "### Server-Protokolle",
        "### Sicherheitsprotokoll der Verwaltung",
        "### Cookies",
        "nur technisch notwendige Cookies",
        "Auftragsverarbeiter nach Art. 28 DSGVO",
        "Drittländer) findet nicht statt",
        "Art. 15 DSGVO",
        "Art. 16 DSGVO",
        "Art. 17 DSGVO",
        "Art. 18 DSGVO",
        "Art. 20 DSGVO",
        "Art. 21 DSGVO",
        "Art. 7 Abs. 3 DSGVO",
        "Art. 77 DSGVO",
        "Art. 22 DSGVO findet nicht statt",
        "Es schlägt nur vor und entscheidet nichts",
    ],
    LegalPageKind.ACCESSIBILITY: [
        "Barrierefreie-Informationstechnik-Verordnung (BITV 2.0)",
        "Behindertengleichstellungsgesetzes (BGG)",
        "**teilweise** mit den Anforderungen der BITV 2.0 vereinbar",
        "WCAG) 2.1, Konformitätsstufe AA",
        "## Nicht barrierefreie Inhalte",
        "[Bekannte Barriere 1",
        "Selbstbewertung",
        "[Datum der Erstellung]",
        "Feedback-Mechanismus",
        "## Durchsetzungsverfahren",
        "Schlichtungsstelle nach § 16 BGG",
        "<https://www.schlichtungsstelle-bgg.de>",
    ],
}


@pytest.mark.parametrize("kind", list(LegalPageKind))
def test_each_default_covers_what_the_law_asks(kind: LegalPageKind) -> None:
    text = default_text(kind, get_settings())
    missing = [item for item in REQUIRED[kind] if item not in text]
    assert missing == []
    assert placeholders(text), "the admin page must have something to warn about"


def test_the_privacy_notice_states_this_installations_figures() -> None:
    settings = dataclasses.replace(
        get_settings(),
        session_max_days=9,
        session_idle_minutes=45,
        survey_valid_days=11,
        public_results_min_answers=7,
        officer_results_min_answers=4,
        audit_retention_days=400,
        unverified_account_days=21,
        inactive_account_days=500,
        inactive_grace_days=28,
        sign_up_retention_days=600,
    )
    text = default_text(LegalPageKind.PRIVACY, settings)
    assert "spätestens nach 9 Tagen" in text
    assert "nach 45 Minuten ohne Nutzung" in text
    assert "der 11 Tage gültig ist" in text
    assert "den Mitarbeitenden ab 4 Antworten, öffentlich ab 7 Antworten" in text
    assert f"{RETENTION.days} Tage für Rückfragen" in text
    assert "Einträge werden nach 400 Tagen gelöscht" in text
    assert "nicht bestätigt wurde, löschen wir nach 21 Tagen" in text
    assert "500 Tage lang nicht angemeldet, erinnern wir per E-Mail" in text
    assert "danach 28 Tage lang nicht anmeldet, dessen Konto löschen wir" in text
    assert "Liegt Ihr letzter Termin 600 Tage zurück, anonymisieren wir" in text
    assert GEOCODER_LOCAL in text
    assert not re.search(r"\{[a-z_]+\}", text), "every field filled"


def test_a_configured_geocoder_is_named_as_a_recipient() -> None:
    settings = dataclasses.replace(get_settings(), geocoder_url="https://nominatim.example")
    text = default_text(LegalPageKind.PRIVACY, settings)
    assert GEOCODER_LOCAL not in text
    assert "[Name und Anschrift des Geocoding-Dienstes]" in placeholders(text)


def test_a_configured_map_tile_server_is_named_and_nothing_else_without_it() -> None:
    text = default_text(LegalPageKind.PRIVACY, get_settings())
    assert MAP_NONE in text and "Kartendienst" not in text
    settings = dataclasses.replace(
        get_settings(), map_tile_url="https://sgx.geodatenzentrum.de/wmts/{z}/{y}/{x}.png"
    )
    text = default_text(LegalPageKind.PRIVACY, settings)
    assert MAP_NONE not in text
    assert "vom Kartendienst sgx.geodatenzentrum.de ([Name und Anschrift" in text
    assert "[Name und Anschrift des Kartendienstes]" in placeholders(text)


def test_the_accessibility_statement_names_this_installations_address() -> None:
    settings = dataclasses.replace(get_settings(), base_url="https://mitmachen.lindenau.example")
    text = default_text(LegalPageKind.ACCESSIBILITY, settings)
    assert "für die Mitmach-Börse unter https://mitmachen.lindenau.example." in text
