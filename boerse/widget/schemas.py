"""Input of the widget: the filter in the embedded address, and an allowed website's origin.

The widget's filter reuses the public list's parsing (mode, field of action, postcode and
radius), so one wording explains one mistake wherever it is made. Unlike the list, a bad
value is not dropped silently: a club's widget that shows the whole town's offers because its
snippet has a typo would mislead, so the widget says what is wrong instead."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from boerse.lib.i18n import SUPPORTED_LOCALES
from boerse.lib.i18n import gettext as _
from boerse.opportunities.schemas import SearchFilters, parse_filters
from boerse.profiles.taxonomy import Taxonomy

DEFAULT_COUNT = 5
MAX_COUNT = 20
LIST_FILTERS = ("mode", "field", "postcode", "km")
"""The widget's parameters the public list understands with the same meaning."""
PARAMETERS = ("organisation", *LIST_FILTERS, "count", "lang")
"""Every parameter of the widget's address, in the order the snippet writes them."""

LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
HOST_PATTERN = re.compile(rf"^{_LABEL}(\.{_LABEL})*$")
MAX_ORIGIN_LENGTH = 200


@dataclass
class WidgetQuery:
    """The widget's filter as typed values, plus a message for every value we cannot use."""

    filters: SearchFilters
    organisation: int | None = None
    count: int = DEFAULT_COUNT
    language: str = ""
    """`de` or `en` when the address asks for it (the page already speaks it), else empty."""
    messages: dict[str, str] = field(default_factory=dict)
    """Parameter name → message."""

    @property
    def ok(self) -> bool:
        return not self.messages

    def list_parameters(self) -> list[tuple[str, str]]:
        """The filters the public list understands, for the widget's link to the whole list."""
        values = {
            "mode": self.filters.mode,
            "field": self.filters.field,
            "postcode": self.filters.postcode,
            "km": str(self.filters.radius_km or ""),
        }
        return [(name, value) for name, value in values.items() if value]


def parse_query(params: Mapping[str, str], taxonomy: Taxonomy) -> WidgetQuery:
    """The widget's parameters as typed; whether the organisation exists is the service's
    question (it needs a query)."""
    raw = {name: str(params.get(name, "") or "").strip() for name in PARAMETERS}
    filters = parse_filters({name: raw[name] for name in LIST_FILTERS}, taxonomy)
    query = WidgetQuery(filters=filters)
    for name, message in zip(LIST_FILTERS, _list_messages(raw, filters), strict=True):
        if message:
            query.messages[name] = message
    query.organisation = _number(raw["organisation"], 1, None)
    if raw["organisation"] and query.organisation is None:
        query.messages["organisation"] = organisation_unknown()
    if raw["count"]:
        count = _number(raw["count"], 1, MAX_COUNT)
        if count is None:
            query.messages["count"] = _(
                "Bitte geben Sie die Anzahl der Angebote als ganze Zahl von 1 bis {high} an."
            ).format(high=MAX_COUNT)
        else:
            query.count = count
    if raw["lang"] in SUPPORTED_LOCALES:
        query.language = raw["lang"]
    elif raw["lang"]:
        query.messages["lang"] = _(
            "Die Sprache „{value}“ bieten wir nicht an; möglich sind de und en."
        ).format(value=raw["lang"][:10])
    return query


def _list_messages(raw: dict[str, str], filters: SearchFilters) -> list[str]:
    """The list's messages, each put to the parameter it is about: a value typed but not
    taken (the list drops a bad one) gets the list's own explanation."""
    unplaced = list(filters.messages)
    taken = {
        "mode": filters.mode,
        "field": filters.field,
        "postcode": filters.postcode,
        "km": str(filters.radius_km or ""),
    }
    result = []
    for name in LIST_FILTERS:
        refused = bool(raw[name]) and not taken[name]
        result.append(unplaced.pop(0) if refused and unplaced else "")
    return result


def _number(value: str, low: int, high: int | None) -> int | None:
    if not value.isdigit() or len(value) > 9:
        return None
    number = int(value)
    return number if number >= low and (high is None or number <= high) else None


def organisation_unknown() -> str:
    return _("Die Organisation im Einbettungscode kennen wir nicht (mehr).")


def widget_address(base: str, query: WidgetQuery) -> str:
    """The widget's address with the filter as parameters, as the snippet and the preview
    write it (`base` is the route's path or its absolute URL)."""
    values = {
        "organisation": str(query.organisation or ""),
        **dict(query.list_parameters()),
        "count": str(query.count) if query.count != DEFAULT_COUNT else "",
        "lang": query.language,
    }
    pairs = [(name, values[name]) for name in PARAMETERS if values.get(name)]
    return f"{base}?{urlencode(pairs)}" if pairs else base


# --- allowed websites ---------------------------------------------------------------------


def parse_origin(text: str) -> tuple[str, str]:
    """(origin, "") for an address a website may embed the widget from, normalised to
    `scheme://host[:port]`; ("", message) otherwise. https only, except http on the local
    machine for development: a frame on a plain-http page could be altered on its way."""
    text = text.strip()
    if not text:
        return "", _("Bitte geben Sie die Adresse der Website ein, z. B. https://www.lindenau.de.")
    if len(text) > MAX_ORIGIN_LENGTH:
        return "", _("Bitte höchstens {n} Zeichen eingeben.").format(n=MAX_ORIGIN_LENGTH)
    try:
        parts = urlsplit(text.removesuffix("/"))
        port = parts.port
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except (ValueError, UnicodeError):
        return "", _not_an_origin()
    if parts.scheme not in ("https", "http") or not parts.netloc:
        return "", _not_an_origin()
    if parts.path or parts.query or parts.fragment or "@" in parts.netloc:
        return "", _(
            "Bitte geben Sie die Adresse der Website ohne Pfad an, also nur bis zu ihrem "
            "Namen, z. B. https://www.lindenau.de."
        )
    shown_host = f"[{host}]" if ":" in host else host
    if not (HOST_PATTERN.match(host) or shown_host in LOCAL_HOSTS):
        return "", _not_an_origin()
    if parts.scheme == "http" and not _is_local(shown_host):
        return "", _(
            "Nur Websites mit https:// können das Widget einbetten; http:// geht nur für "
            "localhost beim Entwickeln."
        )
    default_port = {"https": 443, "http": 80}[parts.scheme]
    suffix = f":{port}" if port is not None and port != default_port else ""
    return f"{parts.scheme}://{shown_host}{suffix}", ""


def _is_local(host: str) -> bool:
    return host in LOCAL_HOSTS or host.endswith(".localhost")


def _not_an_origin() -> str:
    return _(
        "Das ist keine Adresse einer Website. Bitte geben Sie sie mit https:// ein, "
        "z. B. https://www.lindenau.de."
    )
