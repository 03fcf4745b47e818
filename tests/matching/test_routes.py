"""The matching pages over HTTP: a resident's recommendations, an officer's matching
volunteers with the invitation button, their guards, and fixed query counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from boerse.accounts.tables import Organisation, Role, User
from boerse.matching import index
from boerse.matching.tables import Invitation
from boerse.opportunities.tables import (
    Opportunity,
    OpportunitySkill,
    OpportunityStatus,
    SignUp,
    SignUpStatus,
)
from boerse.outbox.tables import OutboxEmail
from boerse.profiles.tables import FieldOfAction, ProfileInterest, ProfileSkill, Skill
from tests.support.factories import (
    make_officer,
    make_opportunity,
    make_organisation,
    make_profile,
    make_session,
    make_user,
    sign_in,
)

DAY = dt.timedelta(days=1)
CARD = 'class="kern-card opportunity-card"'


async def refresh_index() -> None:
    """Factories write the source tables directly, past the services that keep the
    matching index fresh; rebuild it the way an operator would after an import."""
    await index.rebuild_index()


async def make_resident(
    name: str = "Anna Beispiel",
    postcode: str = "04103",
    *,
    email: str | None = None,
    interests: Iterable[str] = ("environment",),
    skills: Iterable[str] = ("gardening",),
    contact_ok: bool = True,
    digest_ok: bool = False,
    radius_km: int = 10,
) -> User:
    """A resident with a profile whose interests and skills are given as slugs."""
    user = await make_user(email=email, display_name=name)
    profile = await make_profile(
        user,
        postcode,
        travel_radius_km=radius_km,
        contact_ok=contact_ok,
        digest_ok=digest_ok,
        languages=["de"],
        time_windows=[],
    )
    fields = await FieldOfAction.select(FieldOfAction.id).where(
        FieldOfAction.slug.is_in(list(interests) or ["-"])
    )
    for row in fields:
        await ProfileInterest(profile=profile.id, field=row["id"]).save()
    for row in await Skill.select(Skill.id).where(Skill.slug.is_in(list(skills) or ["-"])):
        await ProfileSkill(profile=profile.id, skill=row["id"]).save()
    return user


async def make_offer(
    organisation: Organisation,
    title: str = "Bäume pflanzen im Rosental",
    *,
    postcode: str = "04109",
    field: str = "environment",
    skills: Iterable[str] = ("gardening",),
    status: OpportunityStatus = OpportunityStatus.PUBLISHED,
    starts_in: dt.timedelta = 7 * DAY,
    published_ago: dt.timedelta = DAY,
    **fields,
) -> Opportunity:
    """A published offer with one future session and required skills."""
    opportunity = await make_opportunity(
        organisation,
        status=status,
        field=field,
        postcode=postcode,
        title=title,
        summary=f"Kurz: {title}",
        **fields,
    )
    if status == OpportunityStatus.PUBLISHED:
        await Opportunity.update(
            {Opportunity.published_at: opportunity.published_at - published_ago}
        ).where(Opportunity.id == opportunity.id)
    await make_session(opportunity, starts_in=starts_in)
    for row in await Skill.select(Skill.id).where(Skill.slug.is_in(list(skills) or ["-"])):
        await OpportunitySkill(opportunity=opportunity.id, skill=row["id"], required=True).save()
    return opportunity


def candidates_url(opportunity: Opportunity) -> str:
    return f"/verwaltung/angebote/{opportunity.id}/freiwillige"


def invite_url(opportunity: Opportunity, user: User) -> str:
    return f"{candidates_url(opportunity)}/{user.id}/einladen"


# --- residents: /empfehlungen ---------------------------------------------------------------


async def test_recommendations_need_a_login(client) -> None:
    response = await client.get("/empfehlungen")
    assert response.status_code == 303
    assert response.headers["location"] == "/konto/anmelden?next=/empfehlungen"


async def test_without_a_profile_the_page_asks_for_one(client) -> None:
    await make_offer(await make_organisation())
    await refresh_index()
    await sign_in(client, await make_user())

    page = await client.get("/empfehlungen")

    assert page.status_code == 200
    assert 'href="/profil"' in page.text
    assert "Profil ausfüllen" in page.text
    assert CARD not in page.text


async def test_resident_sees_only_their_own_recommendations_with_reasons(client) -> None:
    organisation = await make_organisation()
    leipzig = await make_offer(organisation, "Bäume pflanzen im Rosental", postcode="04109")
    munich = await make_offer(organisation, "Isarufer aufräumen", postcode="80331")
    await make_offer(organisation, "Entwurf im Rosental", status=OpportunityStatus.DRAFT)
    anna = await make_resident("Anna", "04103")
    await make_resident("Bernd", "80331")
    await refresh_index()
    await sign_in(client, anna)

    page = await client.get("/empfehlungen")

    assert page.status_code == 200
    assert leipzig.title in page.text
    assert munich.title not in page.text
    assert "Entwurf im Rosental" not in page.text
    assert "Warum es zu Ihnen passt:" in page.text
    assert "Ihr Interesse: Umwelt und Klima" in page.text
    assert "Gärtnern" in page.text


async def test_the_public_filters_narrow_the_recommendations(client) -> None:
    organisation = await make_organisation()
    trees = await make_offer(organisation, "Bäume pflanzen im Rosental")
    reading = await make_offer(organisation, "Vorlesen in der Stadtbibliothek", field="education")
    user = await make_resident(interests=("environment", "education"))
    await refresh_index()
    await sign_in(client, user)

    everything = await client.get("/empfehlungen")
    education = await client.get("/empfehlungen", params={"field": "education"})
    online = await client.get("/empfehlungen", params={"online": "on"})

    assert trees.title in everything.text and reading.title in everything.text
    assert reading.title in education.text and trees.title not in education.text
    assert '<option value="education" selected' in education.text
    assert CARD not in online.text
    assert "Zu diesen Filtern passt gerade kein Angebot" in online.text


async def test_start_page_shows_up_to_three_recommendations(client) -> None:
    organisation = await make_organisation()
    for number in range(5):
        await make_offer(organisation, f"Baumpflege Nummer {number}")
    user = await make_resident()
    await refresh_index()
    await sign_in(client, user)

    page = await client.get("/")

    assert page.status_code == 200
    assert "Für Sie empfohlen" in page.text
    section = page.text.split('id="empfohlen"')[1].split("</section>")[0]
    assert section.count(CARD) == 3
    assert section.count("Warum es zu Ihnen passt:") == 3
    assert 'href="/empfehlungen"' in section


async def test_start_page_has_no_recommendations_without_profile_or_login(client) -> None:
    await make_offer(await make_organisation())
    await refresh_index()

    anonymous = await client.get("/")
    await sign_in(client, await make_user())
    without_profile = await client.get("/")

    assert "Für Sie empfohlen" not in anonymous.text
    assert "Für Sie empfohlen" not in without_profile.text
    assert "Sie haben noch kein Profil" in without_profile.text


async def test_recommendations_cost_the_same_queries_for_few_and_many_offers(
    client, count_queries
) -> None:
    organisation = await make_organisation()
    user = await make_resident()
    for number in range(2):
        await make_offer(organisation, f"Baumpflege {number}")
    await refresh_index()
    await sign_in(client, user)
    with count_queries() as few:
        page = await client.get("/empfehlungen")
    assert page.text.count(CARD) == 2
    for number in range(2, 12):
        await make_offer(organisation, f"Baumpflege {number}")
    await refresh_index()
    with count_queries() as many:
        page = await client.get("/empfehlungen")
    assert page.text.count(CARD) == 12
    assert many.count == few.count
    assert few.count <= 9, few.count  # the admin-kept lists it names cost no query


# --- officers: /verwaltung/angebote/{id}/freiwillige -----------------------------------------


async def test_candidates_page_guards(client) -> None:
    organisation = await make_organisation()
    offer = await make_offer(organisation)
    draft = await make_offer(organisation, "Entwurf", status=OpportunityStatus.DRAFT)
    await refresh_index()

    anonymous = await client.get(candidates_url(offer))
    assert anonymous.status_code == 303
    await sign_in(client, await make_resident())
    assert (await client.get(candidates_url(offer))).status_code == 403

    await sign_in(client, await make_officer(await make_organisation()))
    assert (await client.get(candidates_url(offer))).status_code == 403
    assert (await client.get(candidates_url(draft))).status_code == 404
    assert (await client.get(candidates_url(offer) + "/0/einladen")).status_code == 405
    refused = await client.submit(invite_url(offer, await make_resident("Carla")))
    assert refused.status_code == 403
    assert await Invitation.count() == 0

    await sign_in(client, await make_user(role=Role.ADMIN))
    assert (await client.get(candidates_url(offer))).status_code == 200
    await sign_in(client, await make_officer(organisation))
    assert (await client.get(candidates_url(offer))).status_code == 200
    assert (await client.get("/verwaltung/angebote/999999/freiwillige")).status_code == 404


async def test_candidates_show_first_name_band_skills_never_email_or_address(client) -> None:
    organisation = await make_organisation()
    offer = await make_offer(organisation)
    await make_resident("Anna Schneider", "04103", email="anna.schneider@example.org")
    await make_resident("Olaf Ohnekontakt", "04103", contact_ok=False)
    await refresh_index()
    await sign_in(client, await make_officer(organisation))

    page = await client.get(candidates_url(offer))

    assert page.status_code == 200
    assert "Anna" in page.text
    assert "unter 2 km" in page.text or "unter 5 km" in page.text
    assert "Gärtnern" in page.text
    assert "Umwelt und Klima" in page.text
    for secret in ("Schneider", "anna.schneider", "@example.org", "04103", "Olaf"):
        assert secret not in page.text
    assert "Einladen" in page.text


async def test_officer_overview_links_to_the_candidates(client) -> None:
    organisation = await make_organisation()
    offer = await make_offer(organisation)
    await sign_in(client, await make_officer(organisation))

    page = await client.get(f"/verwaltung/angebote/{offer.id}")

    assert f'href="{candidates_url(offer)}"' in page.text


async def test_inviting_twice_makes_one_invitation_and_one_email(client) -> None:
    organisation = await make_organisation()
    offer = await make_offer(organisation)
    anna = await make_resident("Anna", email="anna@example.org")
    await refresh_index()
    await sign_in(client, await make_officer(organisation))

    first = await client.submit(invite_url(offer, anna))
    second = await client.submit(invite_url(offer, anna))

    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == candidates_url(offer)
    assert first.cookies.get("boerse_notice") == "matching_invited"
    assert second.cookies.get("boerse_notice") == "matching_already_invited"
    assert await Invitation.count() == 1
    emails = await OutboxEmail.select(OutboxEmail.recipient, OutboxEmail.dedupe_key)
    assert emails == [
        {"recipient": "anna@example.org", "dedupe_key": f"invitation:{offer.id}:{anna.id}"}
    ]
    page = await client.get(candidates_url(offer))
    assert "Eingeladen am" in page.text
    assert "noch nicht" in page.text


async def test_page_marks_who_signed_up_after_the_invitation(client) -> None:
    organisation = await make_organisation()
    offer = await make_offer(organisation)
    anna = await make_resident("Anna")
    await refresh_index()
    await sign_in(client, await make_officer(organisation))
    await client.submit(invite_url(offer, anna))
    session = await make_session(offer, starts_in=9 * DAY)

    await SignUp(session=session.id, user=anna.id, status=SignUpStatus.REGISTERED.value).save()
    page = await client.get(candidates_url(offer))

    invited = page.text.split('id="eingeladen-titel"')[1]
    assert "Anna" in invited
    assert "ja, angemeldet" in invited


async def test_no_invitations_without_a_future_session_or_for_people_who_said_no(
    client,
) -> None:
    organisation = await make_organisation()
    offer = await make_offer(organisation)
    past = await make_offer(organisation, "Schon vorbei", starts_in=-2 * DAY)
    olaf = await make_resident("Olaf", contact_ok=False)
    anna = await make_resident("Anna")
    await refresh_index()
    await sign_in(client, await make_officer(organisation))

    closed = await client.submit(invite_url(past, anna))
    refused = await client.submit(invite_url(offer, olaf))
    past_page = await client.get(candidates_url(past))

    assert closed.cookies.get("boerse_notice") == "matching_invite_closed"
    assert refused.cookies.get("boerse_notice") == "matching_not_a_candidate"
    assert await Invitation.count() == 0
    assert await OutboxEmail.count() == 0
    assert "Einladen ist gerade nicht möglich" in past_page.text


async def test_candidates_page_costs_the_same_queries_for_few_and_many_people(
    client, count_queries
) -> None:
    organisation = await make_organisation()
    offer = await make_offer(organisation)
    officer = await make_officer(organisation)
    first = await make_resident("Anna")
    await refresh_index()
    await sign_in(client, officer)
    await client.submit(invite_url(offer, first))
    with count_queries() as few:
        assert (await client.get(candidates_url(offer))).status_code == 200
    people = [await make_resident(f"Person{number}") for number in range(8)]
    await refresh_index()
    for person in people[:4]:
        await client.submit(invite_url(offer, person))
    with count_queries() as many:
        page = await client.get(candidates_url(offer))
    assert page.text.count("Eingeladen am ") >= 5
    assert many.count == few.count
