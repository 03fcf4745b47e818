"""An opportunity with two dates ahead and one past, and people in every state a message
must (or must not) reach."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from boerse.accounts.tables import Organisation, User
from boerse.lib.db import utcnow
from boerse.opportunities.tables import Opportunity, OpportunitySession, SignUp, SignUpStatus
from tests.support.factories import (
    make_officer,
    make_opportunity,
    make_organisation,
    make_session,
    make_user,
)

FORM = {
    "subject": "Treffpunkt geändert",
    "body": "Wir treffen uns am Nordeingang.\n\nBitte Handschuhe mitbringen.",
}


@dataclass
class Town:
    organisation: Organisation
    officer: User
    opportunity: Opportunity
    first: OpportunitySession
    second: OpportunitySession
    past: OpportunitySession
    people: dict[str, User]


async def _sign_up(session: OpportunitySession, user: User, status: SignUpStatus) -> None:
    waiting_since = utcnow() if status == SignUpStatus.WAITLISTED else None
    await SignUp(
        session=session.id, user=user.id, status=status.value, waitlisted_at=waiting_since
    ).save()


async def town() -> Town:
    """First date: anna, ben, olga (switched messages off), ivo (account closed) hold places,
    wanda waits, carl cancelled. Second date: ben again, tom (English). Past date: paula."""
    organisation = await make_organisation(name="Grünflächenamt")
    officer = await make_officer(organisation, email="amt@example.org", display_name="Olaf Amt")
    opportunity = await make_opportunity(
        organisation,
        title="Parkpflege im Rosental",
        contact_name="Frau Grün",
        contact_email="gruen@example.org",
    )
    first = await make_session(opportunity, starts_in=dt.timedelta(days=3))
    second = await make_session(opportunity, starts_in=dt.timedelta(days=10))
    past = await make_session(opportunity, starts_in=-dt.timedelta(days=5))
    extras = {
        "tom": {"language": "en"},
        "olga": {"messages_ok": False},
        "ivo": {"is_active": False},
    }
    people = {
        name: await make_user(
            email=f"{name}@example.org", display_name=name.title(), **extras.get(name, {})
        )
        for name in ("anna", "ben", "tom", "olga", "ivo", "wanda", "carl", "paula")
    }
    for name in ("anna", "ben", "olga", "ivo"):
        await _sign_up(first, people[name], SignUpStatus.REGISTERED)
    await _sign_up(first, people["wanda"], SignUpStatus.WAITLISTED)
    await _sign_up(first, people["carl"], SignUpStatus.CANCELLED)
    await _sign_up(second, people["ben"], SignUpStatus.CONFIRMED)
    await _sign_up(second, people["tom"], SignUpStatus.REGISTERED)
    await _sign_up(past, people["paula"], SignUpStatus.CONFIRMED)
    return Town(organisation, officer, opportunity, first, second, past, people)


def compose_url(town: Town) -> str:
    return f"/verwaltung/nachrichten/angebot/{town.opportunity.id}/neu"
