"""The served area: residents outside it are told why they see mostly online offers."""

from __future__ import annotations

from boerse.lib.geo import place_of_postcode
from boerse.matching.area import area_notice
from tests.profiles.helpers import valid_form
from tests.support.factories import make_user, sign_in


def notice_for(postcode: str, radius: int = 10):
    place = place_of_postcode(postcode)
    return area_notice(place.latitude, place.longitude, radius)


def test_inside_the_area_there_is_no_notice() -> None:
    assert notice_for("04178") is None
    assert notice_for("04109") is None  # Leipzig's centre, a few km from Lindenau


def test_outside_the_area_the_notice_says_how_far_and_which_radius_would_reach_it() -> None:
    halle = notice_for("06108")
    berlin = notice_for("10115")

    assert halle is not None and 25 < halle.distance_km < 50
    assert halle.radius_suggestable and halle.radius_needed_km < 50
    assert berlin is not None and berlin.distance_km > 100
    assert not berlin.radius_suggestable  # beyond any profile radius: online offers only


async def test_profile_and_recommendations_explain_the_area_to_a_resident_from_afar(
    client,
) -> None:
    await sign_in(client, await make_user())
    await client.submit("/profil", await valid_form(postcode="10115"))

    for path in ("/profil", "/empfehlungen"):
        page = (await client.get(path)).text
        assert "Sie wohnen außerhalb von Lindenau und Umgebung" in page, path
        assert "im Umkreis von etwa 25 km" in page, path
        assert "/angebote?online=on" in page, path

    await client.submit("/profil", await valid_form(postcode="04178"))
    assert "außerhalb von" not in (await client.get("/empfehlungen")).text
