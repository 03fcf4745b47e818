"""Where a sign-up's size matters, a group shows as one person with companions: the
resident's own dates, the officer's participant list and waitlist (and the number of
people waiting), the CSV export and the tick list at the place."""

from __future__ import annotations

import csv
import io

from boerse.opportunities import signups
from tests.support.factories import (
    make_officer,
    make_opportunity,
    make_organisation,
    make_session,
    make_user,
    sign_in,
)


async def _full_group_date():
    organisation = await make_organisation("Quartiersbüro")
    opportunity = await make_opportunity(organisation, title="Müll sammeln", max_companions=4)
    session = await make_session(opportunity, capacity=3)
    holder = await make_user(display_name="Hanna Halter")
    waiting = await make_user(display_name="Wim Warter")
    assert (await signups.sign_up(holder.id, session.id, companions=2)).status == "registered"
    assert (await signups.sign_up(waiting.id, session.id, companions=3)).status == "waitlisted"
    return organisation, session, holder, waiting


async def test_my_dates_show_the_people_a_resident_brings(client) -> None:
    _organisation, _session, holder, waiting = await _full_group_date()
    await sign_in(client, holder)
    page = await client.get("/meine-termine")
    assert page.status_code == 200
    assert "für Sie und 2 weitere Personen" in page.text
    await sign_in(client, waiting)
    page = await client.get("/meine-termine")
    assert "für Sie und 3 weitere Personen" in page.text and "Warteliste" in page.text


async def test_the_officer_sees_companions_on_both_lists_in_the_csv_and_at_the_place(
    client,
) -> None:
    organisation, session, _holder, _waiting = await _full_group_date()
    await sign_in(client, await make_officer(organisation))
    page = await client.get(f"/verwaltung/termine/{session.id}/teilnehmende")
    assert page.status_code == 200
    participants, waitlist = page.text.split('id="warteliste"')
    assert "Hanna Halter" in participants and "mit 2 Begleitpersonen" in participants
    assert "Wim Warter" in waitlist and "mit 3 Begleitpersonen" in waitlist
    # Four people wait (one sign-up with three companions).
    assert "4 Personen auf der Warteliste" in participants

    exported = await client.get(f"/verwaltung/termine/{session.id}/teilnehmende.csv")
    rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff")), delimiter=";"))
    companions = rows[0].index("Begleitpersonen")
    assert {row[0]: row[companions] for row in rows[1:]} == {
        "Hanna Halter": "2",
        "Wim Warter": "3",
    }
    assert all(row[rows[0].index("Angemeldet am")] for row in rows[1:])

    ticks = await client.get(f"/verwaltung/termine/{session.id}/einchecken")
    assert ticks.status_code == 200
    assert "Hanna Halter" in ticks.text and "mit 2 Begleitpersonen" in ticks.text
