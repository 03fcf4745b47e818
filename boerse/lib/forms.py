"""Form input: fields arrive as strings and are converted here, so every problem becomes a
message next to the field and the form is shown again with what was typed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from litestar import Request

from boerse.lib import geo
from boerse.lib.i18n import gettext as _

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def postcode_problem(postcode: str) -> str | None:
    """The one message for a postcode that is malformed or unknown, wherever one is typed
    (profile, offer, list filter): residents should not meet three wordings of one mistake."""
    if geo.is_valid_postcode(postcode) and geo.place_of_postcode(postcode) is not None:
        return None
    return _(
        "Die Postleitzahl „{code}“ kennen wir nicht. Bitte geben Sie eine deutsche "
        "Postleitzahl mit fünf Ziffern ein, z. B. 04109."
    ).format(code=postcode)


@dataclass
class Form:
    """Raw values as typed plus errors per field name; templates read both."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    """Field labels (msgids) for the error summary, which is rendered before the fields."""

    @classmethod
    async def from_request(cls, request: Request) -> Form:
        data = await request.form()
        values: dict[str, Any] = {}
        for key in data:
            items = data.getall(key)
            values[key] = items if len(items) > 1 or key.endswith("[]") else items[0]
        values.pop("_csrf_token", None)
        return cls(values=values)

    @property
    def ok(self) -> bool:
        return not self.errors

    def text(self, name: str, *, required: bool = False, max_length: int = 200) -> str:
        value = str(self.values.get(name) or "").strip()
        if required and not value:
            self.errors[name] = _("Bitte füllen Sie dieses Feld aus.")
        elif len(value) > max_length:
            self.errors[name] = _("Bitte höchstens {n} Zeichen eingeben.").format(n=max_length)
        return value

    def postcode(self, name: str = "postcode", *, required: bool = False) -> str:
        """Normalised postcode, checked against the offline gazetteer before any write."""
        postcode = geo.normalise_postcode(self.text(name, required=required, max_length=10))
        if postcode and name not in self.errors and (problem := postcode_problem(postcode)):
            self.errors[name] = problem
        return postcode

    def many(self, name: str) -> list[str]:
        value = self.values.get(name, [])
        items = value if isinstance(value, list) else [value]
        return [str(item).strip() for item in items if str(item).strip()]

    def checkbox(self, name: str) -> bool:
        return str(self.values.get(name, "")).lower() in {"on", "1", "true", "yes"}

    def email(self, name: str = "email") -> str:
        value = self.text(name, required=True, max_length=254).lower()
        if value and not EMAIL_PATTERN.match(value):
            self.errors[name] = _(
                "Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de."
            )
        return value

    def integer(
        self,
        name: str,
        *,
        required: bool = False,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        raw = str(self.values.get(name) or "").strip()
        if not raw:
            if required:
                self.errors[name] = _("Bitte geben Sie eine Zahl ein.")
            return None
        try:
            value = int(raw)
        except ValueError:
            self.errors[name] = _("Bitte geben Sie eine ganze Zahl ein.")
            return None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.errors[name] = _("Bitte eine Zahl von {low} bis {high} eingeben.").format(
                low=minimum if minimum is not None else "…",
                high=maximum if maximum is not None else "…",
            )
            return None
        return value

    def decimal(self, name: str, *, minimum: float = 0, maximum: float = 1000) -> float | None:
        raw = str(self.values.get(name) or "").strip().replace(",", ".")
        if not raw:
            return None
        try:
            value = float(raw)
        except ValueError:
            self.errors[name] = _("Bitte geben Sie eine Zahl ein, z. B. 2,5.")
            return None
        if not minimum <= value <= maximum:
            self.errors[name] = _("Bitte eine Zahl von {low} bis {high} eingeben.").format(
                low=minimum, high=maximum
            )
            return None
        return value

    def date(self, name: str, *, required: bool = False) -> dt.date | None:
        raw = str(self.values.get(name) or "").strip()
        if not raw:
            if required:
                self.errors[name] = _("Bitte geben Sie ein Datum ein.")
            return None
        for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                return dt.datetime.strptime(raw, pattern).date()
            except ValueError:
                continue
        self.errors[name] = _("Bitte geben Sie das Datum als TT.MM.JJJJ ein.")
        return None

    def time(self, name: str, *, required: bool = False) -> dt.time | None:
        raw = str(self.values.get(name) or "").strip()
        if not raw:
            if required:
                self.errors[name] = _("Bitte geben Sie eine Uhrzeit ein.")
            return None
        try:
            return dt.time.fromisoformat(raw)
        except ValueError:
            self.errors[name] = _("Bitte geben Sie die Uhrzeit als HH:MM ein.")
            return None

    def choice(self, name: str, allowed: set[str] | list[str], *, required: bool = True) -> str:
        value = str(self.values.get(name) or "").strip()
        if not value and not required:
            return ""
        if value not in allowed:
            self.errors[name] = _("Bitte wählen Sie einen Eintrag aus der Liste.")
        return value
