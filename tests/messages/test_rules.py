"""The officers of the opportunity's organisation (administrators for all) write messages
and read their copies; other officers get 403, residents and strangers never see them."""

from __future__ import annotations

import pytest
from litestar.exceptions import NotFoundException, PermissionDeniedException

from boerse.accounts.auth import CurrentUser
from boerse.accounts.tables import Role
from boerse.messages.rules import access_message, access_message_compose
from boerse.messages.services import Draft, send_message
from boerse.messages.tables import Audience
from boerse.opportunities.services import get_opportunity
from tests.messages.helpers import town
from tests.support.factories import make_officer, make_organisation, make_user


def _user(person) -> CurrentUser:
    return CurrentUser(
        id=person.id,
        email=person.email,
        display_name=person.display_name,
        role=person.role,
        organisation_id=person.organisation,
        email_verified=True,
    )


async def test_who_may_write_and_read() -> None:
    t = await town()
    opportunity = await get_opportunity(t.opportunity.id)
    draft = Draft(Audience.UPCOMING.value, None, "Betreff", "Text", "q" * 24)
    message_id = await send_message(opportunity, None, t.officer.id, draft)
    admin = await make_user(role=Role.ADMIN)
    stranger = await make_officer(await make_organisation(name="Fremdes Amt"))
    resident = await make_user()

    for allowed in (t.officer, admin):
        assert (await access_message(_user(allowed), message_id)).subject == "Betreff"
        assert (await access_message_compose(_user(allowed), t.opportunity.id))["id"] == (
            t.opportunity.id
        )
    for refused in (stranger, resident):
        with pytest.raises(PermissionDeniedException):
            await access_message(_user(refused), message_id)
        with pytest.raises(PermissionDeniedException):
            await access_message_compose(_user(refused), t.opportunity.id)
    with pytest.raises(PermissionDeniedException):
        await access_message(None, message_id)
    with pytest.raises(NotFoundException):
        await access_message(_user(t.officer), message_id + 1000)
