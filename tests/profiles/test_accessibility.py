"""Accessibility needs in the profile: saved from the form, shown back, exported, filtering
recommendations and the public list when the resident switches the hard filter on, and
gone with the profile."""

from __future__ import annotations

import html
import json

from boerse.matching.index_tables import ResidentMatch
from boerse.opportunities.next_dates import refresh_next_starts
from boerse.profiles import services
from boerse.profiles.tables import Profile
from tests.profiles.helpers import valid_form
from tests.support.factories import (
    PASSWORD,
    make_opportunity,
    make_organisation,
    make_session,
    make_user,
    sign_in,
)


async def signed_in(client):
    user = await make_user(email="anna@example.org")
    await sign_in(client, user)
    return user


async def test_needs_and_the_switch_are_saved_and_shown_again(client) -> None:
    user = await signed_in(client)
    empty = await client.get("/profil")
    assert "Rollstuhlgerecht (stufenlos, WC)" in empty.text
    assert "Nur Angebote zeigen, die alle meine Bedürfnisse erfüllen" in html.unescape(empty.text)

    response = await client.submit(
        "/profil",
        await valid_form(accessibility_needs=["quiet_space", "wheelchair"], accessible_only="on"),
    )

    assert response.status_code == 303
    profile = await services.get_profile(user.id)
    assert profile.accessibility_needs == ["wheelchair", "quiet_space"]  # in the list's order
    assert profile.accessible_only is True
    page = await client.get("/profil")
    assert 'name="accessibility_needs" value="wheelchair" checked' in page.text
    assert 'name="accessibility_needs" value="quiet_space" checked' in page.text
    assert 'name="accessibility_needs" value="seating" >' in page.text
    assert 'name="accessible_only" value="on" checked' in page.text
    row = await ResidentMatch.select().where(ResidentMatch.user == user.id).first()
    assert row["access_needs_mask"] != 0  # the index follows the save


async def test_switching_the_filter_off_keeps_the_needs_but_clears_the_index_mask(client) -> None:
    user = await signed_in(client)
    await client.submit(
        "/profil", await valid_form(accessibility_needs=["wheelchair"], accessible_only="on")
    )

    await client.submit("/profil", await valid_form(accessibility_needs=["wheelchair"]))

    profile = await services.get_profile(user.id)
    assert (profile.accessibility_needs, profile.accessible_only) == (["wheelchair"], False)
    row = await ResidentMatch.select().where(ResidentMatch.user == user.id).first()
    assert row["access_needs_mask"] == 0


async def test_bad_needs_are_refused_with_everything_kept(client) -> None:
    user = await signed_in(client)

    unknown = await client.submit(
        "/profil", await valid_form(accessibility_needs=["wheelchair", "jetpack"])
    )
    switch_alone = await client.submit(
        "/profil", await valid_form(accessible_only="on", display_name="Anna B.")
    )

    assert unknown.status_code == switch_alone.status_code == 400
    assert "Bitte wählen Sie nur Einträge aus der Liste." in unknown.text
    assert 'href="#f-accessibility_needs"' in unknown.text
    assert "Bitte kreuzen Sie an, was Sie brauchen" in html.unescape(switch_alone.text)
    assert 'name="accessible_only" value="on" checked' in switch_alone.text
    assert 'value="Anna B."' in switch_alone.text
    assert not await services.has_profile(user.id)


async def test_my_data_shows_and_exports_the_needs(client) -> None:
    await signed_in(client)
    await client.submit(
        "/profil", await valid_form(accessibility_needs=["hearing_loop"], accessible_only="on")
    )

    page = html.unescape((await client.get("/profil/daten")).text)
    data = json.loads((await client.get("/profil/daten.json")).content)

    assert "Induktionsschleife / Höranlage" in page
    assert data["profile"]["accessibility_needs"] == ["hearing_loop"]
    assert data["profile"]["accessible_only"] is True


async def test_the_needs_are_deleted_with_the_account(client) -> None:
    user = await signed_in(client)
    await client.submit(
        "/profil", await valid_form(accessibility_needs=["wheelchair"], accessible_only="on")
    )

    response = await client.submit("/profil/loeschen", {"password": PASSWORD})

    assert response.status_code == 303
    assert not await Profile.exists().where(Profile.user == user.id)
    assert not await ResidentMatch.exists().where(ResidentMatch.user == user.id)


async def test_the_public_list_follows_the_residents_switch(client) -> None:
    organisation = await make_organisation()
    ramp = await make_opportunity(
        organisation, title="Mit Rampe", accessibility_features=["wheelchair"]
    )
    stairs = await make_opportunity(organisation, title="Mit Treppe")
    for opportunity in (ramp, stairs):
        await make_session(opportunity)
    await refresh_next_starts()
    await signed_in(client)
    await client.submit(
        "/profil", await valid_form(accessibility_needs=["wheelchair"], accessible_only="on")
    )

    filtered = html.unescape((await client.get("/angebote")).text)
    await client.submit("/profil", await valid_form(accessibility_needs=["wheelchair"]))
    unfiltered = html.unescape((await client.get("/angebote")).text)

    assert "Mit Rampe" in filtered and "Mit Treppe" not in filtered
    assert "Sie sehen nur Angebote, die alle Ihre Bedürfnisse erfüllen" in filtered
    assert "Rollstuhlgerecht (stufenlos, WC)." in filtered
    assert "Mit Rampe" in unfiltered and "Mit Treppe" in unfiltered
    assert "Sie sehen nur Angebote" not in unfiltered
