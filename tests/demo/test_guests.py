"""The demo town shows a group sign-up and a guest's sign-up with a working personal page."""

from __future__ import annotations

from boerse.accounts.tables import Role, User
from boerse.demo.guests import GUEST_EMAIL, demo_guest_token
from boerse.demo.loader import load_demo
from boerse.opportunities.tables import SignUp


async def test_the_demo_has_a_group_and_a_guest_whose_page_opens(client) -> None:
    assert await load_demo() is True

    guest = await User.objects().get(User.email == GUEST_EMAIL)
    assert guest.role == Role.GUEST.value
    groups = await SignUp.select(
        SignUp.companions, SignUp.session.opportunity.max_companions.as_alias("limit")
    ).where(SignUp.companions > 0)
    assert len(groups) >= 2
    assert all(0 < row["companions"] <= row["limit"] for row in groups)

    page = await client.get(f"/anmeldung/{await demo_guest_token()}")
    assert page.status_code == 200
    assert "Greta Gast" in page.text
    assert "Konto anlegen und Verlauf behalten" in page.text
