"""Guests are never matched: no profile, so no index row, no invitation candidate, no
weekly digest. Their survey link works without logging in."""

from __future__ import annotations

from urllib.parse import urlsplit

from boerse.accounts.tables import Role
from boerse.guests.services import find_or_create_guest
from boerse.lib.db import write_transaction
from boerse.lib.queue import enqueue
from boerse.matching.index_tables import ResidentMatch
from boerse.matching.services import candidates_for
from boerse.opportunities.tables import OpportunitySession, SignUp
from boerse.surveys.tables import SurveyInvitation
from tests.matching.test_routes import make_offer, make_resident, refresh_index
from tests.support.factories import make_organisation, make_user
from tests.support.fixtures import links_in, run_worker
from tests.support.services import Mailbox, body_text
from tests.surveys.helpers import past_session


async def test_a_guest_with_a_sign_up_is_no_candidate_and_gets_no_digest(
    mailbox: Mailbox,
) -> None:
    organisation = await make_organisation()
    offer = await make_offer(organisation, "Neue Baumpflege")
    other = await make_offer(organisation, "Andere Baumpflege")
    resident = await make_resident("Anna", email="anna@example.org", digest_ok=True)
    guest = await make_user(email="gast@example.org", role=Role.GUEST, display_name="Gast")
    session = (
        await OpportunitySession.objects().where(OpportunitySession.opportunity == other.id).first()
    )
    await SignUp(session=session.id, user=guest.id, status="registered").save()
    await refresh_index()

    candidates = await candidates_for(offer.id)
    assert [candidate.user_id for candidate in candidates] == [resident.id]
    assert await ResidentMatch.count().where(ResidentMatch.user == guest.id) == 0

    assert await enqueue("send_weekly_digest")
    await run_worker()
    assert [message["To"] for message in mailbox.messages] == ["anna@example.org"]


async def test_a_guest_answers_the_survey_without_logging_in(client, mailbox: Mailbox) -> None:
    opportunity = await make_offer(await make_organisation(), "Stadtpark pflanzen")
    session = await past_session(opportunity)
    async with write_transaction():
        guest_id = await find_or_create_guest("gast@example.org", "Gerda", "de")
    await SignUp(session=session.id, user=guest_id, status="registered").save()

    assert await enqueue("send_due_surveys")
    await run_worker()

    [message] = mailbox.to("gast@example.org")
    assert await SurveyInvitation.count() == 1
    link = next(link for link in links_in(body_text(message)) if "/umfrage/" in link)
    page = await client.get(urlsplit(link).path)  # a browser without any login
    assert page.status_code == 200
    assert "Stadtpark pflanzen" in page.text
