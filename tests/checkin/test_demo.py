"""The demo town shows check-in on first start: a past date with people checked in by code
and by the officer plus one walk-in, and a date ahead whose notice has its code."""

from __future__ import annotations

from boerse.accounts.tables import User
from boerse.checkin.services import looks_like_code
from boerse.demo.checkin import WALK_IN_EMAIL
from boerse.demo.loader import OFFICER_LOGINS, load_demo
from boerse.lib.db import utcnow
from boerse.opportunities.tables import OpportunitySession, SignUp
from tests.support.factories import sign_in


async def test_the_demo_shows_check_in(client) -> None:
    assert await load_demo() is True
    now = utcnow()

    rows = await SignUp.select(
        SignUp.checkin_method,
        SignUp.session.as_alias("session_id"),
        SignUp.session.ends_at.as_alias("ends_at"),
        SignUp.user.email.as_alias("email"),
    ).where(SignUp.checkin_method != "")
    methods = {row["checkin_method"] for row in rows}
    [walk_in] = [row for row in rows if row["checkin_method"] == "walkin"]
    ahead = await OpportunitySession.select(
        OpportunitySession.id, OpportunitySession.checkin_code
    ).where((OpportunitySession.starts_at > now) & (OpportunitySession.checkin_code != ""))

    assert {"code", "officer", "walkin"} <= methods
    assert walk_in["email"] == WALK_IN_EMAIL and walk_in["ends_at"] < now
    on_that_date = {
        row["checkin_method"] for row in rows if row["session_id"] == walk_in["session_id"]
    }
    assert on_that_date == {"code", "officer", "walkin"}
    assert ahead and looks_like_code(ahead[0]["checkin_code"])
    officer = await User.objects().get(User.email == OFFICER_LOGINS[0])
    await sign_in(client, officer)
    notice = await client.get(f"/verwaltung/termine/{ahead[0]['id']}/aushang")
    assert notice.status_code == 200 and ahead[0]["checkin_code"] in notice.text
    ticks = await client.get(f"/verwaltung/termine/{walk_in['session_id']}/einchecken")
    assert ticks.status_code == 200 and "ohne Anmeldung" in ticks.text
