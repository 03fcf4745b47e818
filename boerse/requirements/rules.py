"""Who may see and keep a person's records.

- Administrators: everyone's records.
- Officers: the records of people *in relation to their organisation*: the person is
  signed up for or waiting for one of its dates (now or in the past), or one of the
  organisation's officers recorded one of the person's proofs. Why: a record says whether
  someone may work with children; it matters to the organisations the person volunteers
  with, and nobody else's business. Cancelled sign-ups do not count: who withdrew is no
  longer the organisation's volunteer.
- Anyone else's records an officer can neither list nor open by id. The one way to reach
  a new person is their exact email address, typed by the officer who has the person (and
  the document) in front of them: with that address the officer may record a proof, and
  from then on the person is in relation. The address also travels with the recording
  form, so a guessed id alone never opens a person.
- Residents see their own records (what is stored, until when it counts, when it goes).
- An opportunity's requirements are set by the officers acting for its organisation."""

from __future__ import annotations

from dataclasses import dataclass

from litestar.exceptions import NotFoundException, PermissionDeniedException

from boerse.accounts.auth import CurrentUser
from boerse.opportunities.rules import access_opportunity
from boerse.requirements import services


@dataclass(frozen=True)
class PersonAccess:
    person: services.Person
    sees_records: bool
    """False only when the officer reached the person by address and has no relation yet."""


def _is_staff(user: CurrentUser | None) -> bool:
    return user is not None and user.is_officer


async def may_see_records(user: CurrentUser | None, person_id: int) -> bool:
    if not _is_staff(user):
        return False
    if user.is_admin:
        return True
    return await services.related(user.organisation_id, person_id)


async def access_person(
    user: CurrentUser | None, person_id: int, *, email: str = ""
) -> PersonAccess:
    """The person for the "Nachweise" pages: 403 for non-staff, 404 when there is no such
    person or the officer has neither a relation nor the person's exact address."""
    if not _is_staff(user):
        raise PermissionDeniedException()
    person = await services.person(person_id)
    if person is None:
        raise NotFoundException()
    if await may_see_records(user, person_id):
        return PersonAccess(person, True)
    if email and email.strip().lower() == person.email:
        return PersonAccess(person, False)
    raise NotFoundException()


async def access_requirements(user: CurrentUser | None, opportunity_id: int) -> dict:
    """The opportunity, for the officers who manage it (404/403 as for editing it)."""
    return await access_opportunity(user, opportunity_id, manage=True)
