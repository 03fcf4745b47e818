"""Group sign-ups: a sign-up holds 1 + companions places, taken and freed at once, and the
waitlist promotes groups in waiting order as far as they fit."""

from __future__ import annotations

from email.header import decode_header, make_header

import pytest

from boerse.matching.index_tables import OpportunityMatch
from boerse.opportunities import signups
from boerse.opportunities.signups import TOO_MANY_COMPANIONS, SignUpRefusedError
from boerse.opportunities.tables import OpportunitySession, SignUp
from tests.support.factories import (
    make_opportunity,
    make_organisation,
    make_session,
    make_user,
    sign_in,
)
from tests.support.fixtures import run_worker
from tests.support.services import Mailbox, body_text


async def group_offer(capacity: int = 5, max_companions: int = 4):
    opportunity = await make_opportunity(
        await make_organisation(), title="Müll sammeln", max_companions=max_companions
    )
    return opportunity, await make_session(opportunity, capacity=capacity)


async def seats(session_id: int) -> int:
    row = await OpportunitySession.select(OpportunitySession.seats_taken).where(
        OpportunitySession.id == session_id
    )
    return row[0]["seats_taken"]


async def status_of(signup_id: int) -> str:
    return (await SignUp.select(SignUp.status).where(SignUp.id == signup_id).first())["status"]


async def test_a_group_takes_all_its_places_or_waits_as_a_whole() -> None:
    _, session = await group_offer(capacity=5)
    group = await signups.sign_up((await make_user()).id, session.id, companions=3)
    too_big = await signups.sign_up((await make_user()).id, session.id, companions=1)
    single = await signups.sign_up((await make_user()).id, session.id)

    assert group.status == "registered"
    assert too_big.status == "waitlisted"  # 2 places wanted, 1 free: no half group
    assert single.status == "registered"
    assert await seats(session.id) == 5


async def test_cancelling_a_group_frees_all_its_places_and_promotes_first_fit(
    mailbox: Mailbox,
) -> None:
    _, session = await group_offer(capacity=4)
    group_owner = await make_user(email="gruppe@example.org")
    await signups.sign_up(group_owner.id, session.id, companions=2)
    await signups.sign_up((await make_user()).id, session.id)  # 4 of 4
    big = await signups.sign_up((await make_user()).id, session.id, companions=3)  # needs 4
    pair = await signups.sign_up(
        (await make_user(email="paar@example.org")).id, session.id, companions=1
    )
    single = await signups.sign_up((await make_user()).id, session.id)

    await signups.cancel(group_owner.id, session.id)

    # 3 places free: the group of 4 waits on (it keeps its place in the queue), the pair
    # and the single behind it move up.
    assert await status_of(big.signup_id) == "waitlisted"
    assert await status_of(pair.signup_id) == "registered"
    assert await status_of(single.signup_id) == "registered"
    assert await seats(session.id) == 4
    await run_worker()
    promoted = mailbox.to("paar@example.org")[-1]
    assert "Sie haben einen Platz" in str(make_header(decode_header(promoted["Subject"])))
    assert "für Sie und 1 weitere Person" in body_text(promoted)


async def test_a_group_at_the_head_of_the_waitlist_moves_up_once_it_fits() -> None:
    _, session = await group_offer(capacity=3)
    first = await make_user()
    second = await make_user()
    await signups.sign_up(first.id, session.id)
    await signups.sign_up(second.id, session.id, companions=1)
    group = await signups.sign_up((await make_user()).id, session.id, companions=1)
    later = await signups.sign_up((await make_user()).id, session.id)

    await signups.cancel(second.id, session.id)  # frees 2: the waiting pair fits first

    assert await status_of(group.signup_id) == "registered"
    assert await status_of(later.signup_id) == "waitlisted"
    assert await seats(session.id) == 3


async def test_more_companions_than_allowed_are_refused_and_nothing_is_saved() -> None:
    _, session = await group_offer(max_companions=2)
    person = await make_user()

    with pytest.raises(SignUpRefusedError) as refused:
        await signups.sign_up(person.id, session.id, companions=3)

    assert refused.value.reason == TOO_MANY_COMPANIONS
    assert await SignUp.count() == 0
    assert await seats(session.id) == 0


async def test_the_form_refuses_too_many_companions_with_a_clear_message(client) -> None:
    opportunity, session = await group_offer(max_companions=2)
    await sign_in(client, await make_user())
    page = await client.get(f"/angebote/{opportunity.id}")
    assert f'id="companions-{session.id}"' in page.text
    assert "Ich komme mit … weiteren Personen" in page.text

    response = await client.submit(f"/termine/{session.id}/anmelden", {"companions": "7"})

    assert response.status_code == 400
    assert "Sie können höchstens 2 weitere Personen mitbringen (0 bis 2)." in response.text
    assert await SignUp.count() == 0

    response = await client.submit(f"/termine/{session.id}/anmelden", {"companions": "2"})
    assert response.status_code == 303
    assert (await SignUp.objects().first()).companions == 2
    assert await seats(session.id) == 3


async def test_an_offer_without_companions_shows_no_choice_and_refuses_any(client) -> None:
    opportunity, session = await group_offer(max_companions=0)
    await sign_in(client, await make_user())
    page = await client.get(f"/angebote/{opportunity.id}")
    assert 'name="companions"' not in page.text

    response = await client.submit(f"/termine/{session.id}/anmelden", {"companions": "1"})

    assert response.status_code == 400
    assert "nur selbst anmelden" in response.text
    assert await SignUp.count() == 0


async def test_the_matching_index_follows_a_group_filling_and_freeing_the_date() -> None:
    opportunity, session = await group_offer(capacity=3)
    from boerse.matching.index import refresh_opportunity

    await refresh_opportunity(opportunity.id)
    owner = await make_user()

    async def free_until():
        row = await OpportunityMatch.select(OpportunityMatch.free_until).where(
            OpportunityMatch.opportunity == opportunity.id
        )
        return row[0]["free_until"] if row else None

    assert await free_until() is not None
    await signups.sign_up(owner.id, session.id, companions=2)
    assert await free_until() is None  # full: matching must not suggest it
    await signups.cancel(owner.id, session.id)
    assert await free_until() is not None
