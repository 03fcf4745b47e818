"""The sign-up check: refused with a clear reason until the requirement is recorded."""

from __future__ import annotations

import datetime as dt

import pytest

from boerse.lib.db import utcnow
from boerse.opportunities import signups
from boerse.opportunities.signups import SignUpRefusedError
from boerse.opportunities.tables import SignUp
from boerse.requirements import services
from boerse.requirements.checks import NEEDS_CERTIFICATE, NEEDS_QUALIFICATION
from tests.requirements.helpers import qualification_id, youth_offer
from tests.support.factories import make_officer, make_profile, make_user, sign_in


async def test_sign_up_is_refused_until_the_certificate_is_recorded() -> None:
    organisation, _opportunity, session = await youth_offer()
    officer = await make_officer(organisation)
    adult = await make_user()
    with pytest.raises(SignUpRefusedError) as refused:
        await signups.sign_up(adult.id, session.id)
    assert refused.value.reason == NEEDS_CERTIFICATE
    assert await SignUp.count() == 0

    issued = utcnow().date() - dt.timedelta(days=30)
    await services.record_certificate(adult.id, issued, False, organisation.id, officer.id)
    outcome = await signups.sign_up(adult.id, session.id)
    assert outcome.changed and outcome.status == "registered"


async def test_a_certificate_with_relevant_entries_never_counts() -> None:
    organisation, _opportunity, session = await youth_offer()
    officer = await make_officer(organisation)
    adult = await make_user()
    await services.record_certificate(adult.id, utcnow().date(), True, organisation.id, officer.id)
    with pytest.raises(SignUpRefusedError) as refused:
        await signups.sign_up(adult.id, session.id)
    assert refused.value.reason == NEEDS_CERTIFICATE


async def test_a_qualification_counts_until_its_last_day_on_the_date_of_the_session() -> None:
    first_aid = await qualification_id()
    organisation, _opportunity, session = await youth_offer(
        first_aid, starts_in=dt.timedelta(days=10)
    )
    officer = await make_officer(organisation)
    helper = await make_user()
    with pytest.raises(SignUpRefusedError) as refused:
        await signups.sign_up(helper.id, session.id)
    assert refused.value.reason == NEEDS_QUALIFICATION
    # Valid today, but no longer on the day of the date.
    await services.record_qualification(
        helper.id, first_aid, utcnow().date() + dt.timedelta(days=5), organisation.id, officer.id
    )
    with pytest.raises(SignUpRefusedError):
        await signups.sign_up(helper.id, session.id)
    await services.record_qualification(helper.id, first_aid, None, organisation.id, officer.id)
    assert (await signups.sign_up(helper.id, session.id)).changed


async def test_the_certificate_is_named_first_when_both_are_missing() -> None:
    _organisation, _opportunity, session = await youth_offer(
        services.CERTIFICATE, await qualification_id("juleica")
    )
    with pytest.raises(SignUpRefusedError) as refused:
        await signups.sign_up((await make_user()).id, session.id)
    assert refused.value.reason == NEEDS_CERTIFICATE


async def test_an_offer_without_requirements_is_not_affected_whatever_the_age() -> None:
    """Young people who take part in youth work: the officer sets no requirement for them."""
    _organisation, opportunity, session = await youth_offer()
    await services.set_requirements(opportunity.id, set())
    teenager = await make_user()
    await make_profile(teenager, birth_year=utcnow().year - 15)
    assert (await signups.sign_up(teenager.id, session.id)).changed


async def test_the_refusal_shows_its_explanation_on_the_offer_page(client) -> None:
    _organisation, _opportunity, session = await youth_offer(contact_name="Frau Berger")
    adult = await make_user()
    await sign_in(client, adult)
    response = await client.submit(f"/termine/{session.id}/anmelden")
    assert response.status_code == 303
    page = await client.get(response.headers["location"])
    text = page.text
    assert "erweitertes Führungszeugnis, das nicht älter als fünf Jahre ist" in text
    assert "Voraussetzungen" in text and "für Sie noch nicht erfasst" in text
    assert "Frau Berger" in text
    assert "nie eine Kopie" in text
