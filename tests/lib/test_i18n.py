"""Translations: locale negotiation, the English catalogue and real pages rendered in English.

The .mo files are build output (git-ignored, made by `make translations`); this module compiles
the English catalogue itself when the .mo is missing or older than the .po, so `pytest` alone
exercises the same catalogue the app would load."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from boerse.lib import i18n
from boerse.lib.i18n import LOCALE_DIR, negotiate_locale
from tests.support.fixtures import Client

EN_PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "messages.po"
EN_MO = EN_PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def _read_catalogue(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale="en")


def _compile_if_stale(po: Path, mo: Path) -> None:
    """Write the .mo next to the .po when it is missing or out of date.

    Written to a temporary file and renamed, so a colleague's test run reading the catalogue
    at the same moment never sees half a file."""
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        return
    catalogue = _read_catalogue(po)
    fd, tmp = tempfile.mkstemp(dir=mo.parent, suffix=".mo.tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write_mo(handle, catalogue)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the app may run as another user
        os.replace(tmp, mo)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    # A lookup made before the file existed would have cached the German fallback.
    i18n.translations.cache_clear()


_compile_if_stale(EN_PO, EN_MO)


@pytest.mark.parametrize(
    ("query", "cookie", "accept_language", "expected"),
    [
        ("en", None, None, "en"),
        (None, "en", None, "en"),
        (None, None, "en-GB,en;q=0.9", "en"),
        (None, None, "en-US", "en"),
        (None, None, "fr-FR,en;q=0.5", "en"),
        (None, None, "de-DE,de;q=0.9,en;q=0.8", "de"),
        ("de", "en", "en-GB", "de"),
        (None, "en", "de-DE", "en"),
        (None, None, None, "de"),
        (None, None, "fr-FR", "de"),
        ("xx", "yy", None, "de"),
    ],
)
def test_negotiate_locale_prefers_query_then_cookie_then_header(
    query: str | None, cookie: str | None, accept_language: str | None, expected: str
) -> None:
    assert negotiate_locale(query, cookie, accept_language) == expected


def test_english_catalogue_has_a_translation_for_every_entry() -> None:
    catalogue = _read_catalogue(EN_PO)
    entries = [message for message in catalogue if message.id]
    assert len(entries) > 500, "the catalogue should hold the whole interface"
    untranslated = [m.id for m in entries if not all(m.string if m.pluralizable else [m.string])]
    fuzzy = [m.id for m in entries if m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_english_translations_keep_every_placeholder() -> None:
    """A lost `{title}` or `%(n)s` would raise at render time or drop information."""
    for message in _read_catalogue(EN_PO):
        if not message.id:
            continue
        sources = message.id if message.pluralizable else (message.id,)
        targets = message.string if message.pluralizable else (message.string,)
        for source, target in zip(sources, targets, strict=True):
            assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(target)), (
                source,
                target,
            )
            # Jinja's newstyle gettext applies `%` to every string, so a bare % must not appear.
            assert "%" not in PLACEHOLDER.sub("", target), target


def test_catalogue_translates_plural_forms() -> None:
    i18n.translations.cache_clear()
    english = i18n.translations("en")
    assert english.ngettext("%(num)d Platz frei", "%(num)d Plätze frei", 1) == (
        "%(num)d place available"
    )
    assert english.ngettext("%(num)d Platz frei", "%(num)d Plätze frei", 3) == (
        "%(num)d places available"
    )


async def test_imprint_in_english_with_lang_parameter(client: Client) -> None:
    response = await client.get("/impressum?lang=en")
    assert response.status_code == 200
    assert '<html lang="en"' in response.text
    assert '<h1 class="kern-heading-large">Imprint</h1>' in response.text
    assert "This text is only available in German." in response.text
    assert "Impressum" not in response.text
    assert "Skip to main content" in response.text
    assert "boerse_lang=en" in response.headers.get("set-cookie", "")


async def test_imprint_in_german_by_default(client: Client) -> None:
    response = await client.get("/impressum")
    assert response.status_code == 200
    assert '<html lang="de"' in response.text
    assert "Impressum" in response.text
    assert "§ 5 Digitale-Dienste-Gesetz" in response.text
    assert "Imprint" not in response.text


async def test_language_chosen_by_parameter_sticks_through_the_cookie(client: Client) -> None:
    await client.get("/impressum?lang=en")
    response = await client.get("/datenschutz")
    assert '<html lang="en"' in response.text
    assert '<h1 class="kern-heading-large">Privacy notice</h1>' in response.text

    await client.get("/impressum?lang=de")
    response = await client.get("/datenschutz")
    assert '<html lang="de"' in response.text
    assert "Datenschutz" in response.text


async def test_accept_language_header_selects_english(client: Client) -> None:
    response = await client.get("/impressum", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en"' in response.text
    assert "Imprint" in response.text


async def test_home_page_translates_constants_marked_with_n_(client: Client) -> None:
    """Mode labels are module-level N_() constants translated at render time."""
    response = await client.get("/?lang=en")
    assert response.status_code == 200
    for label in ("Co-commission", "Co-design", "Co-deliver", "Co-assess"):
        assert label in response.text
    assert "Four ways to get involved" in response.text
    assert "Mit-Steuern" not in response.text


async def test_form_errors_from_python_code_are_translated(client: Client) -> None:
    """Error messages come from gettext calls in Python, not from templates."""
    await client.get("/konto/anmelden?lang=en")
    response = await client.submit("/konto/anmelden", {"email": "", "password": ""})
    assert response.status_code == 400
    assert '<html lang="en"' in response.text
    assert "Please enter your password." in response.text
    assert "Bitte" not in response.text


async def test_page_for_an_unknown_path_follows_the_language_too(client) -> None:
    response = await client.get("/gibt-es-nicht?lang=en")
    assert response.status_code == 404
    assert '<html lang="en"' in response.text


async def test_footer_offers_the_other_language(client) -> None:
    german = await client.get("/impressum")
    assert 'href="?lang=en" lang="en" hreflang="en">English</a>' in german.text
    english = await client.get("/impressum?lang=en")
    assert 'href="?lang=de" lang="de" hreflang="de">Deutsch</a>' in english.text
