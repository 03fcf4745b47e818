"""The Jinja environment shared by pages and emails: i18n, formatting filters, autoescape."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from boerse.lib import formatting
from boerse.lib.flash import NOTICES
from boerse.lib.i18n import current_locale, gettext, ngettext
from boerse.settings import get_settings

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        # Checking each template file for changes costs a stat per render; only development
        # edits templates while running.
        auto_reload=get_settings().dev_mode,
    )
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        date_long=formatting.date_long,
        date_short=formatting.date_short,
        time_short=formatting.time_short,
        datetime_short=formatting.datetime_short,
        number=formatting.number,
        duration=formatting.duration,
        waiting_since=formatting.waiting_since,
        translated=translated,
    )
    env.globals.update(
        session_range=formatting.session_range,
        current_locale=current_locale.get,
        settings=get_settings(),
        notices=NOTICES,
    )
    return env


def translated(value: Any) -> str:
    """A value's translation, for labels that are data (a skill's or field's name, a status
    label from Python). `_()` marks its result safe, which is right only for our own msgids
    written in the template; a name a resident typed must still be escaped, and a plain
    `str` from here is."""
    return str(gettext(str(value)))


def render(template_name: str, **context: Any) -> str:
    """Render outside a request (emails, calendar descriptions)."""
    return environment().get_template(template_name).render(**context)
