"""One message for a wrong postcode, wherever it is typed (issue 8)."""

from __future__ import annotations

from tests.opportunities.test_routes import GOOD as GOOD_OFFER
from tests.profiles.helpers import valid_form
from tests.support.factories import make_officer, sign_in


async def test_a_wrong_postcode_gets_one_message_wherever_it_is_typed(client) -> None:
    """Profile, offer form and list filter used three wordings for one mistake."""
    message = "Die Postleitzahl „99999“ kennen wir nicht."
    listing = await client.get("/angebote?postcode=99999")
    await sign_in(client, await make_officer())
    offer = await client.submit("/verwaltung/angebote/neu", GOOD_OFFER | {"postcode": "99999"})
    profile = await client.submit("/profil", await valid_form(postcode="99999"))

    for response in (listing, offer, profile):
        assert message in response.text.replace("&#34;", '"')
    malformed = await client.get("/angebote?postcode=41O9")
    assert "Die Postleitzahl „41O9“ kennen wir nicht." in malformed.text
