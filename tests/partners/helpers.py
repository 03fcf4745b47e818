"""Keys for the partner tests, issued through the service the admin page uses."""

from __future__ import annotations

import datetime as dt

from boerse.accounts.tables import Organisation
from boerse.partners import services
from boerse.partners.schemas import KeyInput
from boerse.partners.tables import KeyScope

API = "/api/v1/partner"


async def issue(
    organisation: Organisation | None,
    scope: KeyScope = KeyScope.WRITE,
    *,
    name: str = "Freiwilligenagentur Lindenau",
    expires_on: dt.date | None = None,
    per_minute: int = 120,
) -> services.IssuedKey:
    data = KeyInput(
        partner_name=name,
        contact="Kim Koch, 0341 123456",
        organisation_id=organisation.id if organisation else None,
        scope=scope.value,
        expires_on=expires_on,
        requests_per_minute=per_minute,
    )
    return await services.issue_key(data, None)


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


OFFER = {
    "title": "Lesepaten für die Stadtbibliothek",
    "summary": "Kinder lesen mit Ehrenamtlichen.",
    "description": "Einmal die Woche lesen wir mit Grundschulkindern.",
    "mode": "co_deliver",
    "field": "education",
    "postcode": "04109",
    "contact_name": "Kim Koch",
    "contact_email": "kim.koch@agentur.example",
}
