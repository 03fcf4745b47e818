"""Translations: the locale of the current request lives in a ContextVar read by gettext calls.

German is the source language of every msgid; other languages come from Babel catalogues
under boerse/locale/."""

from __future__ import annotations

import gettext as gettext_module
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel import Locale

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DEFAULT_LOCALE = "de"
SUPPORTED_LOCALES = ("de", "en")

current_locale: ContextVar[str] = ContextVar("current_locale", default=DEFAULT_LOCALE)


@lru_cache(maxsize=8)
def translations(locale: str) -> gettext_module.NullTranslations:
    return gettext_module.translation(
        "messages", localedir=LOCALE_DIR, languages=[locale], fallback=True
    )


def supported(locale: str | None) -> str:
    """The locale itself when we have it, German otherwise (an old or hand-edited value)."""
    return locale if locale in SUPPORTED_LOCALES else DEFAULT_LOCALE


@contextmanager
def use_locale(locale: str | None) -> Iterator[None]:
    """Translate and format in `locale` for a while, whatever the request's own locale:
    an email is written in its recipient's language, not in that of whoever caused it."""
    token = current_locale.set(supported(locale))
    try:
        yield
    finally:
        current_locale.reset(token)


def gettext(message: str) -> str:
    return translations(current_locale.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_locale.get()).ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the conventional name extractors look for
    """Marks a string for extraction; it is translated later, when a locale is known."""
    return message


def negotiate_locale(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    for candidate in (query, cookie):
        if candidate in SUPPORTED_LOCALES:
            return candidate
    if accept_language:
        wanted = [
            part.split(";")[0].strip().replace("-", "_") for part in accept_language.split(",")
        ]
        chosen = Locale.negotiate(wanted, SUPPORTED_LOCALES)
        if chosen:
            return str(chosen)
    return DEFAULT_LOCALE
