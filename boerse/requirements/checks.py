"""The check every sign-up passes: does the person meet the opportunity's requirements?

Age plays no part here: the officer decides whom a requirement concerns by setting it
(only adults who work with minors need the certificate; an offer for young people to
take part in sets none)."""

from __future__ import annotations

from typing import Any

from boerse.lib.flash import register
from boerse.lib.formatting import local
from boerse.lib.i18n import N_
from boerse.requirements import services

# The refusal's notice on the offer's page, right above its "Voraussetzungen" section,
# which names each requirement, whether it is recorded for the person, and whom to show it.
NEEDS_CERTIFICATE = register(
    "signup_needs_certificate",
    N_(
        "Für dieses Angebot brauchen Sie ein erweitertes Führungszeugnis, das nicht älter als "
        "fünf Jahre ist und für Sie noch nicht erfasst ist. Zeigen Sie es der Ansprechperson "
        "des Angebots (unter „Voraussetzungen“); danach können Sie sich anmelden. Gespeichert "
        "wird nur, dass es eingesehen wurde, sein Ausstellungsdatum und ob es einschlägige "
        "Einträge hat – keine Kopie."
    ),
    "warning",
)
NEEDS_QUALIFICATION = register(
    "signup_needs_qualification",
    N_(
        "Für dieses Angebot brauchen Sie einen Nachweis, der für Sie noch nicht erfasst oder "
        "am Tag des Termins nicht mehr gültig ist. Welcher es ist, steht unter "
        "„Voraussetzungen“. Zeigen Sie ihn der Ansprechperson des Angebots; gespeichert wird "
        "nur, dass er vorgelegt wurde und bis wann er gilt – keine Kopie."
    ),
    "warning",
)


async def missing_requirements(
    user_id: int, opportunity_id: int, day: Any
) -> list[services.Requirement]:
    """The requirements of the opportunity that the person's records do not meet on `day`
    (certificate first). One query when the opportunity has none."""
    needs = await services.requirements_of(opportunity_id)
    if not needs:
        return []
    held = {item.kind: item for item in await services.records_of(user_id)}
    return [need for need in needs if need.kind not in held or not held[need.kind].counts_on(day)]


async def check_requirements(user_id: int, row: dict[str, Any]) -> None:
    """Raise `SignUpRefusedError` with a reason key when `user_id` does not meet the
    requirements of the opportunity of session `row` (see `signups.session_details`) on the
    date's day. Runs inside the sign-up's transaction."""
    from boerse.opportunities.signups import SignUpRefusedError

    missing = await missing_requirements(
        user_id, row["opportunity_id"], local(row["starts_at"]).date()
    )
    if missing:
        reason = NEEDS_CERTIFICATE if missing[0].is_certificate else NEEDS_QUALIFICATION
        raise SignUpRefusedError(reason, row["opportunity_id"])
