"""Guests never log in, so the login rule does not fit them: no warning that asks them to
log in, however long ago the account was made; the account goes without a mail once its
last date ended SIGN_UP_RETENTION_DAYS ago (its participation kept anonymously), or that
long after it was made when it holds no sign-up. The real worker runs the nightly job."""

from __future__ import annotations

import time_machine

from boerse.accounts.tables import Role, User
from boerse.audit.actions import Action
from boerse.opportunities.tables import OpportunitySession, SignUp
from boerse.retention.tables import AnonymousParticipant, InactivityWarning
from boerse.settings import get_settings
from tests.audit.helpers import entries
from tests.retention.helpers import DAY, T0, exists, run_retention_at
from tests.support.factories import make_opportunity, make_organisation, make_session, make_user
from tests.support.services import Mailbox


async def _guest_signed_up(session: OpportunitySession, email: str) -> User:
    guest = await make_user(email=email, role=Role.GUEST, display_name="Gast")
    await SignUp(
        session=session.id, user=guest.id, status="confirmed", attendance="attended"
    ).save()
    return guest


async def test_a_guest_is_never_warned_and_goes_after_the_period_past_the_last_date(
    mailbox: Mailbox,
) -> None:
    settings = get_settings()
    period = settings.sign_up_retention_days * DAY
    with time_machine.travel(T0, tick=True):
        offer = await make_opportunity(await make_organisation())
        date = await make_session(offer, starts_in=60 * DAY)
        guest = await _guest_signed_up(date, "gast@example.org")
        await make_user(email="bewohnerin@example.org", last_login_at=T0)

    # Long past the login rule's period: the resident is warned, the guest is not.
    await run_retention_at(T0 + (settings.inactive_account_days + 1) * DAY)
    assert len(mailbox.to("bewohnerin@example.org")) == 1
    assert mailbox.to("gast@example.org") == []
    assert not await InactivityWarning.exists().where(InactivityWarning.user == guest.id)
    assert await exists(guest)

    await run_retention_at(date.ends_at + period - DAY)
    assert await exists(guest)

    await run_retention_at(date.ends_at + period + DAY)
    assert not await exists(guest)
    assert mailbox.to("gast@example.org") == []
    # The date still counts one participant, now a placeholder without name or address.
    [kept] = await SignUp.select(SignUp.user, SignUp.attendance).where(SignUp.session == date.id)
    assert kept["attendance"] == "attended"
    assert await AnonymousParticipant.exists().where(AnonymousParticipant.user == kept["user"])
    assert [row["quantity"] for row in await entries(Action.GUEST_ACCOUNTS_DELETED)] == [1]


async def test_a_guest_with_a_date_ahead_stays_however_old_the_account() -> None:
    period = get_settings().sign_up_retention_days * DAY
    with time_machine.travel(T0, tick=True):
        offer = await make_opportunity(await make_organisation())
        far = await make_session(offer, starts_in=period + 30 * DAY)
        guest = await _guest_signed_up(far, "geduldig@example.org")
        # A cancelled sign-up counts too: the date is the guest's last contact with us.
        cancelled = await make_user(email="abgesagt@example.org", role=Role.GUEST)
        await SignUp(session=far.id, user=cancelled.id, status="cancelled").save()

    await run_retention_at(T0 + period + 10 * DAY)
    assert await exists(guest) and await exists(cancelled)


async def test_a_guest_without_sign_ups_goes_after_the_period_from_its_creation() -> None:
    period = get_settings().sign_up_retention_days * DAY
    with time_machine.travel(T0, tick=True):
        guest = await make_user(email="leer@example.org", role=Role.GUEST)
    await run_retention_at(T0 + period - DAY)
    assert await exists(guest)
    await run_retention_at(T0 + period + DAY)
    assert not await exists(guest)
