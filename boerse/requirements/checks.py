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
COMPANIONS_NEED_OWN_SIGNUP = register(
    "signup_companions_need_requirements",
    N_(
        "Für dieses Angebot gelten Voraussetzungen, die jede Person selbst erfüllen muss. "
        "Begleitpersonen können Sie deshalb nicht mit anmelden: Jede Person meldet sich "
        "bitte selbst an."
    ),
    "warning",
)


async def companion_limit(opportunity_id: int, max_companions: int) -> int:
    """How many further people one sign-up may bring: none on an offer with requirements,
    whatever the offer's setting. A requirement is met by records of one person; people
    brought along are not known by name, so nobody could have seen their certificate or
    qualification. One query, none when the offer allows no companions anyway."""
    if not max_companions:
        return 0
    return 0 if await services.requirements_of(opportunity_id) else max_companions


async def missing_requirements(
    user_id: int, opportunity_id: int, day: Any
) -> list[services.Requirement]:
    """The requirements of the opportunity that the person's records do not meet on `day`
    (certificate first). One query when the opportunity has none."""
    return await _missing(user_id, await services.requirements_of(opportunity_id), day)


async def _missing(
    user_id: int, needs: list[services.Requirement], day: Any
) -> list[services.Requirement]:
    if not needs:
        return []
    held = {item.kind: item for item in await services.records_of(user_id)}
    return [need for need in needs if need.kind not in held or not held[need.kind].counts_on(day)]


async def check_requirements(user_id: int, row: dict[str, Any], companions: int = 0) -> None:
    """Raise `SignUpRefusedError` with a reason key when `user_id` does not meet the
    requirements of the opportunity of session `row` (see `signups.session_details`) on the
    date's day, or wants to bring companions to an offer with requirements (see
    `companion_limit`). Runs inside the sign-up's transaction."""
    from boerse.opportunities.signups import SignUpRefusedError

    needs = await services.requirements_of(row["opportunity_id"])
    if needs and companions > 0:
        raise SignUpRefusedError(COMPANIONS_NEED_OWN_SIGNUP, row["opportunity_id"])
    missing = await _missing(user_id, needs, local(row["starts_at"]).date())
    if missing:
        reason = NEEDS_CERTIFICATE if missing[0].is_certificate else NEEDS_QUALIFICATION
        raise SignUpRefusedError(reason, row["opportunity_id"])
