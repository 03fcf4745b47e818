"""Companions on an offer with requirements: a requirement is met by one known person's
records, so a group sign-up is refused with a clear message and the forms offer none."""

from __future__ import annotations

import datetime as dt

import pytest

from boerse.lib.db import utcnow
from boerse.opportunities import signups
from boerse.opportunities.signups import SignUpRefusedError
from boerse.opportunities.tables import OpportunitySession, SignUp
from boerse.requirements import services
from boerse.requirements.checks import COMPANIONS_NEED_OWN_SIGNUP
from tests.requirements.helpers import youth_offer
from tests.support.factories import make_officer, make_user, sign_in


async def _certified_adult(organisation):
    adult = await make_user(display_name="Gruppenleiterin")
    officer = await make_officer(organisation)
    issued = utcnow().date() - dt.timedelta(days=30)
    await services.record_certificate(adult.id, issued, False, organisation.id, officer.id)
    return adult


async def test_a_group_sign_up_is_refused_even_when_the_person_meets_the_requirement() -> None:
    organisation, _opportunity, session = await youth_offer(max_companions=3)
    adult = await _certified_adult(organisation)
    with pytest.raises(SignUpRefusedError) as refused:
        await signups.sign_up(adult.id, session.id, companions=2)
    assert refused.value.reason == COMPANIONS_NEED_OWN_SIGNUP
    assert await SignUp.count() == 0
    seats = await OpportunitySession.select(OpportunitySession.seats_taken).first()
    assert seats["seats_taken"] == 0
    alone = await signups.sign_up(adult.id, session.id)
    assert alone.changed and alone.status == "registered" and alone.companions == 0


async def test_the_offer_page_offers_no_companions_and_says_why(client) -> None:
    organisation, opportunity, session = await youth_offer(max_companions=3)
    adult = await _certified_adult(organisation)
    await sign_in(client, adult)
    page = await client.get(f"/angebote/{opportunity.id}")
    assert page.status_code == 200
    assert f'id="companions-{session.id}"' not in page.text
    assert "Begleitpersonen können nicht mit angemeldet werden" in page.text

    # A form from before the requirement was set still sends companions: a clear refusal.
    sent = await client.submit(f"/termine/{session.id}/anmelden", {"companions": "2"})
    assert sent.status_code == 303
    shown = await client.get(sent.headers["location"])
    assert "Jede Person meldet sich bitte selbst an" in shown.text
    assert await SignUp.count() == 0


async def test_the_guest_form_offers_no_companions_and_refuses_them(client) -> None:
    _organisation, _opportunity, session = await youth_offer(max_companions=3)
    form = await client.get(f"/termine/{session.id}/gast")
    assert form.status_code == 200
    assert 'name="companions"' not in form.text
    sent = await client.submit(
        f"/termine/{session.id}/gast",
        {"email": "gast@example.org", "display_name": "Gast", "companions": "2", "consent": "on"},
    )
    assert sent.status_code == 400
    assert "Für dieses Angebot kann sich jede Person nur selbst anmelden." in sent.text
