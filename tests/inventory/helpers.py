"""A small hand-counted town for the inventory tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from boerse.accounts.tables import Organisation
from boerse.inventory.tables import ExternalCoproduction, InventoryIdea
from boerse.opportunities.tables import Attendance, Mode, OpportunityStatus, SignUpStatus
from tests.support.factories import field_id, make_opportunity, make_organisation, make_session
from tests.surveys.helpers import make_signup


@dataclass
class Town:
    organisation: Organisation
    other: Organisation
    environment: int
    youth: int


async def external(
    organisation: Organisation,
    field: int,
    mode: Mode = Mode.CO_DESIGN,
    running: bool = True,
    name: str = "Gemeinschaftsgarten",
) -> ExternalCoproduction:
    entry = ExternalCoproduction(
        name=name, field=field, mode=mode.value, organisation=organisation.id, running=running
    )
    await entry.save()
    return entry


async def small_town() -> Town:
    """Environment × co-deliver: one running offer (a future date; two attended people with
    2 + 1.5 hours, one absent, one cancelled), one past offer (all dates past; one attended
    person with 3 hours who also attended the running one), one closed offer, one draft.
    Environment × co-design: one running external entry and one ended. Youth × co-assess: an
    idea only. Everything else is a gap."""
    organisation = await make_organisation()
    other = await make_organisation()
    environment = await field_id("environment")
    youth = await field_id("youth")

    running = await make_opportunity(organisation, title="Bäume gießen")
    future = await make_session(running, starts_in=dt.timedelta(days=3))
    past_of_running = await make_session(running, starts_in=-dt.timedelta(days=3))
    first = await make_signup(past_of_running, attendance=Attendance.ATTENDED, hours=2)
    await make_signup(past_of_running, attendance=Attendance.ATTENDED, hours=1.5)
    await make_signup(past_of_running, attendance=Attendance.ABSENT, hours=4)
    await make_signup(future, status=SignUpStatus.CANCELLED)

    past = await make_opportunity(organisation, title="Laub sammeln")
    past_date = await make_session(past, starts_in=-dt.timedelta(days=10))
    from boerse.opportunities.tables import SignUp

    await SignUp(
        session=past_date.id,
        user=first.user,
        status=SignUpStatus.CONFIRMED.value,
        attendance=Attendance.ATTENDED.value,
        hours=3,
    ).save()

    await make_opportunity(other, status=OpportunityStatus.CLOSED, title="Müll sammeln")
    draft = await make_opportunity(organisation, status=OpportunityStatus.DRAFT, title="Entwurf")
    await make_signup(await make_session(draft), attendance=Attendance.ATTENDED, hours=9)

    await external(organisation, environment)
    await external(other, environment, running=False, name="Baumpatenschaften")
    await InventoryIdea(
        field=youth, mode=Mode.CO_ASSESS.value, text="Jugendcheck", organisation=organisation.id
    ).save()
    return Town(organisation, other, environment, youth)
