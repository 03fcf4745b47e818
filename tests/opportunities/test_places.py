"""A place is written out once, without repeating the street or the town."""

from __future__ import annotations

import datetime as dt

from boerse.opportunities.places import address_line
from tests.support.factories import make_opportunity, make_organisation, make_session


def test_a_part_an_earlier_part_already_says_is_left_out() -> None:
    assert (
        address_line("Stadtpark Lindenau, Eingang Parkstraße, Parkstraße", "04178", "Lindenau")
        == "Stadtpark Lindenau, Eingang Parkstraße, 04178 Lindenau"
    )
    assert address_line("Markt 1, 04177 Lindenau", "04177", "Lindenau") == "Markt 1, 04177 Lindenau"
    assert address_line("", "04177", "Lindenau") == "04177 Lindenau"
    assert address_line("Markt 1", "", "") == "Markt 1"


async def test_offer_page_and_calendar_name_the_street_once(client) -> None:
    opportunity = await make_opportunity(
        await make_organisation(), address="Stadtpark, Eingang Parkstraße, Parkstraße"
    )
    session = await make_session(opportunity, starts_in=dt.timedelta(days=2))

    # The visible page (the head's structured data names the street per field, for machines).
    page = " ".join(
        (await client.get(f"/angebote/{opportunity.id}")).text.split("</head>")[1].split()
    )
    entry = (await client.get(f"/termine/{session.id}/kalender.ics")).text

    assert "Stadtpark, Eingang Parkstraße, 04109 Leipzig" in page
    assert page.count("Parkstraße") == 1
    assert "LOCATION:Stadtpark\\, Eingang Parkstraße\\, 04109 Leipzig" in entry.replace("\r\n ", "")
