"""Officers of the opportunity's organisation manage its replies; the public sees only
published replies of opportunities that are not drafts."""

from __future__ import annotations

import pytest
from litestar.exceptions import NotFoundException, PermissionDeniedException

from boerse.accounts.auth import CurrentUser
from boerse.opportunities.tables import Opportunity, OpportunityStatus
from boerse.replies import services
from boerse.replies.rules import access_reply
from tests.replies.helpers import reply_data
from tests.support.factories import make_officer, make_opportunity, make_organisation


def _user(officer) -> CurrentUser:
    return CurrentUser(
        id=officer.id,
        email=officer.email,
        display_name=officer.display_name,
        role=officer.role,
        organisation_id=officer.organisation,
        email_verified=True,
    )


async def _reply(organisation, officer, **opportunity) -> int:
    opp = await make_opportunity(organisation, **opportunity)
    return await services.create_reply(reply_data(), officer.id, opportunity_id=opp.id)


async def test_officer_of_the_organisation_manages_others_do_not() -> None:
    a, b = await make_organisation(name="Amt A"), await make_organisation(name="Amt B")
    officer_a, officer_b = await make_officer(a), await make_officer(b)
    reply_id = await _reply(a, officer_a)
    assert (await access_reply(_user(officer_a), reply_id, manage=True)).id == reply_id
    assert (await access_reply(_user(officer_a), reply_id)).id == reply_id  # own draft
    with pytest.raises(PermissionDeniedException):
        await access_reply(_user(officer_b), reply_id, manage=True)
    with pytest.raises(NotFoundException):
        await access_reply(_user(officer_b), reply_id)  # someone else's draft
    with pytest.raises(NotFoundException):
        await access_reply(None, reply_id)
    with pytest.raises(NotFoundException):
        await access_reply(_user(officer_a), reply_id + 100, manage=True)


async def test_published_is_public_unless_the_opportunity_is_a_draft() -> None:
    a = await make_organisation()
    officer = await make_officer(a)
    reply_id = await _reply(a, officer)
    await services.publish_reply(await services.reply_row(reply_id))
    assert (await access_reply(None, reply_id)).published
    row = await services.reply_row(reply_id)
    await Opportunity.update({Opportunity.status: OpportunityStatus.DRAFT.value}).where(
        Opportunity.id == row.opportunity_id
    )
    with pytest.raises(NotFoundException):
        await access_reply(None, reply_id)
    assert await services.published_replies() == []
