"""Officer scope: records only of people in relation to the officer's organisation."""

from __future__ import annotations

import pytest
from litestar.exceptions import NotFoundException, PermissionDeniedException

from boerse.accounts.auth import CurrentUser
from boerse.accounts.tables import Role
from boerse.lib.db import utcnow
from boerse.opportunities.tables import SignUp
from boerse.requirements import rules, services
from tests.requirements.helpers import youth_offer
from tests.support.factories import make_officer, make_organisation, make_user


def as_current(user, role: Role | None = None) -> CurrentUser:
    return CurrentUser(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        role=(role or Role(user.role)).value,
        organisation_id=user.organisation,
        email_verified=True,
    )


async def test_an_officer_sees_the_records_of_their_participants_only() -> None:
    organisation, _opportunity, session = await youth_offer()
    officer = as_current(await make_officer(organisation))
    stranger_officer = as_current(await make_officer(await make_organisation()))
    participant = await make_user()
    await SignUp.insert(SignUp(session=session.id, user=participant.id, status="registered"))

    assert (await rules.access_person(officer, participant.id)).sees_records
    with pytest.raises(NotFoundException):
        await rules.access_person(stranger_officer, participant.id)


async def test_a_cancelled_sign_up_is_no_relation() -> None:
    organisation, _opportunity, session = await youth_offer()
    officer = as_current(await make_officer(organisation))
    gone = await make_user()
    await SignUp.insert(SignUp(session=session.id, user=gone.id, status="cancelled"))
    with pytest.raises(NotFoundException):
        await rules.access_person(officer, gone.id)


async def test_the_exact_address_opens_a_person_without_their_records() -> None:
    organisation = await make_organisation()
    other = await make_organisation()
    officer_user = await make_officer(organisation)
    officer = as_current(officer_user)
    other_officer = await make_officer(other)
    person = await make_user(email="neu@example.org")
    await services.record_certificate(person.id, utcnow().date(), True, other.id, other_officer.id)

    access = await rules.access_person(officer, person.id, email="NEU@example.org ")
    assert access.person.id == person.id and not access.sees_records
    with pytest.raises(NotFoundException):
        await rules.access_person(officer, person.id, email="andere@example.org")

    # Once this organisation has recorded a proof, the person is in relation.
    await services.record_certificate(
        person.id, utcnow().date(), False, organisation.id, officer_user.id
    )
    assert (await rules.access_person(officer, person.id)).sees_records


async def test_administrators_see_everyone_and_residents_nobody() -> None:
    person = await make_user()
    admin = as_current(await make_user(role=Role.ADMIN))
    assert (await rules.access_person(admin, person.id)).sees_records
    with pytest.raises(PermissionDeniedException):
        await rules.access_person(as_current(await make_user()), person.id)
    with pytest.raises(PermissionDeniedException):
        await rules.access_person(None, person.id)
    with pytest.raises(NotFoundException):
        await rules.access_person(admin, person.id + 1000)
