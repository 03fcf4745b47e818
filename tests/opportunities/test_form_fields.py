"""The opportunity form's fields for companions, accessibility features and reminders:
saved, shown again for editing, checked with German messages, and shown to the public."""

from __future__ import annotations

import re

from boerse.opportunities.tables import Opportunity, OpportunityStatus
from tests.opportunities.test_routes import GOOD
from tests.support.factories import make_officer, make_opportunity, make_organisation, sign_in

NEW_FIELDS = {
    "max_companions": "4",
    "accessibility_features": ["wheelchair", "quiet_space"],
    "remind_two_hours": "on",
}


async def test_the_new_fields_are_saved_and_shown_again(client) -> None:
    org = await make_organisation("Seniorenbüro")
    await sign_in(client, await make_officer(org))
    form = await client.get("/verwaltung/angebote/neu")
    assert "Wie viele weitere Personen darf jemand mitbringen?" in form.text
    assert "Erinnerung am Vortag" in form.text and "Erinnerung zwei Stunden vorher" in form.text
    assert 'name="remind_day_before" value="on" checked' in form.text

    created = await client.submit("/verwaltung/angebote/neu", GOOD | NEW_FIELDS)
    assert created.status_code == 303
    row = await Opportunity.objects().first()
    assert (row.max_companions, row.accessibility_features) == (4, ["wheelchair", "quiet_space"])
    assert (row.remind_day_before, row.remind_two_hours) == (False, True)

    edit = await client.get(f"/verwaltung/angebote/{row.id}/bearbeiten")
    assert re.search(r'name="max_companions" type="number"\s+value="4"', edit.text)
    assert 'value="wheelchair" checked' in edit.text
    assert 'name="remind_two_hours" value="on" checked' in edit.text
    assert 'name="remind_day_before" value="on" checked' not in edit.text

    saved = await client.submit(
        f"/verwaltung/angebote/{row.id}/bearbeiten",
        GOOD | {"max_companions": "0", "remind_day_before": "on"},
    )
    assert saved.status_code == 303
    row = await Opportunity.objects().where(Opportunity.id == row.id).first()
    assert (row.max_companions, row.accessibility_features) == (0, [])
    assert (row.remind_day_before, row.remind_two_hours) == (True, False)


async def test_bad_values_get_german_messages_and_are_kept(client) -> None:
    await sign_in(client, await make_officer(await make_organisation("Seniorenbüro")))
    bad = await client.submit(
        "/verwaltung/angebote/neu",
        GOOD | {"max_companions": "21", "accessibility_features": ["wheelchair", "teleporter"]},
    )
    assert bad.status_code == 400
    assert "Begleitpersonen: Bitte eine Zahl von 0 bis 20 eingeben." in bad.text
    assert "Bitte wählen Sie nur Einträge aus der Liste." in bad.text
    assert re.search(r'name="max_companions" type="number"\s+value="21"', bad.text)
    assert 'value="wheelchair" checked' in bad.text
    not_a_number = await client.submit(
        "/verwaltung/angebote/neu", GOOD | {"max_companions": "zwei"}
    )
    assert not_a_number.status_code == 400
    assert "Bitte geben Sie eine ganze Zahl ein." in not_a_number.text
    assert await Opportunity.count() == 0


async def test_the_public_page_lists_the_accessibility_features(client) -> None:
    offer = await make_opportunity(
        await make_organisation("Seniorenbüro"),
        status=OpportunityStatus.PUBLISHED,
        accessibility_features=["wheelchair", "hearing_loop"],
        accessibility="Eingang an der Rückseite.",
    )
    page = await client.get(f"/angebote/{offer.id}")
    assert "<li>Rollstuhlgerecht (stufenlos, WC)</li>" in page.text
    assert "<li>Induktionsschleife / Höranlage</li>" in page.text
    assert "Eingang an der Rückseite." in page.text
