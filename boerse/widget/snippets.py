"""The snippet builder's form and the HTML snippet it hands out; labels for the widget page.

The builder's form names its fields like the widget's parameters, except the language
(`widget_lang`): a `lang` parameter on the builder's own address would switch the
builder page's language, not only the widget's."""

from __future__ import annotations

from collections.abc import Mapping

from markupsafe import escape

from boerse.lib.i18n import current_locale, use_locale
from boerse.lib.i18n import gettext as _
from boerse.opportunities.labels import MODE_LABELS
from boerse.settings import get_settings
from boerse.widget.schemas import PARAMETERS, WidgetQuery

BUILDER_FIELDS = {name: name for name in PARAMETERS} | {"lang": "widget_lang"}
"""Widget parameter → the builder form's field."""
FRAME_HEIGHT = 600


def mode_labels() -> dict[str, str]:
    return {key: _(text) for key, text in MODE_LABELS.items()}


def builder_values(params: Mapping[str, str]) -> dict[str, str]:
    """What the staff member chose, as typed (the form shows it again)."""
    return {field: str(params.get(field, "") or "").strip() for field in BUILDER_FIELDS.values()}


def widget_parameters(values: dict[str, str]) -> dict[str, str]:
    return {name: values[field] for name, field in BUILDER_FIELDS.items()}


def builder_errors(query: WidgetQuery) -> dict[str, str]:
    return {BUILDER_FIELDS[name]: message for name, message in query.messages.items()}


def frame_title(language: str) -> str:
    """The frame's accessible name, in the language of the page it is pasted into."""
    with use_locale(language or current_locale.get()):
        return _("Angebote zum Mitmachen – Mitmach-Börse {town}").format(
            town=get_settings().town_name
        )


def iframe(src: str, language: str) -> str:
    """The snippet to paste: lazy loading (the widget is often far down a page), a title for
    screen readers, and a width that follows the host page's column."""
    return (
        f'<iframe src="{escape(src)}" title="{escape(frame_title(language))}" '
        f'loading="lazy" width="100%" height="{FRAME_HEIGHT}"></iframe>'
    )
