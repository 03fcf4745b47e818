"""The survey invitation is in the attendee's language, though a nightly job sends it."""

from __future__ import annotations

from boerse.opportunities.tables import SignUp, SignUpStatus
from tests.support.factories import make_opportunity, make_organisation, make_user
from tests.support.services import Mailbox, body_text
from tests.surveys.helpers import make_signup, past_session
from tests.surveys.test_jobs import run_survey_job


async def test_each_attendee_is_asked_in_their_own_language(mailbox: Mailbox) -> None:
    opportunity = await make_opportunity(await make_organisation(), title="Stadtpark pflanzen")
    session = await past_session(opportunity)
    await make_signup(session, email="anna@example.org")
    tom = await make_user(email="tom@example.org", display_name="Tom", language="en")
    await SignUp(session=session.id, user=tom.id, status=SignUpStatus.CONFIRMED.value).save()

    await run_survey_job()

    assert sorted(mailbox.subjects()) == [
        "How was it? Your opinion on “Stadtpark pflanzen”",
        "Wie war es? Ihre Meinung zu „Stadtpark pflanzen“",
    ]
    assert "Hello Tom," in body_text(mailbox.to("tom@example.org")[0])
    assert "Guten Tag" in body_text(mailbox.to("anna@example.org")[0])
