"""Geo helpers: the offline gazetteer, coarse places, distances and the bounding-box prefilter."""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import pytest
from geopy.distance import great_circle
from hypothesis import given, settings
from hypothesis import strategies as st

from boerse.lib import geo
from boerse.settings import get_settings
from tests.profiles.helpers import valid_form
from tests.support.factories import make_opportunity, make_organisation, make_user, sign_in

# City centres and their published straight-line distances in km.
BERLIN = (52.5200, 13.4050)
MUNICH = (48.1351, 11.5820)
HAMBURG = (53.5511, 9.9937)
COLOGNE = (50.9375, 6.9603)
FRANKFURT = (50.1109, 8.6821)
# Germany's bounding box (List auf Sylt, Oberstdorf, Isenbruch, Görlitz-Deschka), a little slack.
GERMANY_NORTH, GERMANY_SOUTH = 55.06, 47.27
GERMANY_WEST, GERMANY_EAST = 5.86, 15.05


@pytest.mark.parametrize(
    ("postcode", "locality", "latitude", "longitude"),
    [
        ("04109", "Leipzig", 51.34, 12.37),
        ("80331", "München", 48.14, 11.57),
        ("01067", "Dresden", 51.06, 13.72),
        (" 04 109 ", "Leipzig", 51.34, 12.37),
    ],
)
def test_real_postcodes_resolve_offline(
    postcode: str, locality: str, latitude: float, longitude: float
) -> None:
    place = geo.place_of_postcode(postcode)
    assert place is not None
    assert place.locality == locality
    assert place.postcode == postcode.replace(" ", "")
    assert (round(place.latitude, 2), round(place.longitude, 2)) == (latitude, longitude)


@pytest.mark.parametrize("postcode", ["00000", "99999", "0410", "041090", "abcde", "", "04-09"])
def test_codes_that_do_not_exist_resolve_to_nothing(postcode: str) -> None:
    assert geo.place_of_postcode(postcode) is None


@pytest.mark.parametrize(
    ("value", "valid"),
    [("04109", True), (" 04109\n", True), ("04 109", True), ("4109", False), ("O4109", False)],
)
def test_postcode_shape(value: str, valid: bool) -> None:
    assert geo.is_valid_postcode(value) is valid


def test_the_gazetteer_covers_germany() -> None:
    places = geo._gazetteer()
    assert len(places) > 8000
    outside = [
        p.postcode
        for p in places.values()
        if not (
            GERMANY_SOUTH < p.latitude < GERMANY_NORTH and GERMANY_WEST < p.longitude < GERMANY_EAST
        )
    ]
    assert outside == []


def test_every_postcode_has_a_point_of_its_own() -> None:
    """A city's postcodes once shared the city's one point, so distances inside it were 0."""
    by_point: dict[tuple[float, float], list[str]] = defaultdict(list)
    for place in geo._gazetteer().values():
        by_point[(place.latitude, place.longitude)].append(place.postcode)
    assert [codes for codes in by_point.values() if len(codes) > 1] == []


def test_postcodes_across_a_city_are_kilometres_apart() -> None:
    centre, east = geo.place_of_postcode("04109"), geo.place_of_postcode("04315")
    assert centre.locality == east.locality == "Leipzig"
    km = geo.distance_km((centre.latitude, centre.longitude), (east.latitude, east.longitude))
    assert km >= 3


def test_no_two_berlin_postcodes_share_a_point() -> None:
    berlin = [
        p
        for code, p in geo._gazetteer().items()
        if "10115" <= code <= "14199" and p.locality == "Berlin"
    ]
    assert len(berlin) > 180
    assert len({(p.latitude, p.longitude) for p in berlin}) == len(berlin)
    # Stored positions keep two decimals (~1 km); even so, a city's postcodes stay apart.
    assert len({(p.coarse().latitude, p.coarse().longitude) for p in berlin}) > 0.9 * len(berlin)


def test_coarse_keeps_two_decimals_and_the_names() -> None:
    place = geo.Place(51.339612, 12.371348, "Leipzig", "04109").coarse()
    assert place == geo.Place(51.34, 12.37, "Leipzig", "04109")


@given(st.floats(min_value=47.0, max_value=55.5), st.floats(min_value=5.5, max_value=15.5))
def test_coarse_moves_a_point_by_at_most_a_kilometre(latitude: float, longitude: float) -> None:
    place = geo.Place(latitude, longitude).coarse()
    assert geo.distance_km((latitude, longitude), (place.latitude, place.longitude)) < 0.8


async def test_geocode_without_a_geocoder_uses_the_postcode_only() -> None:
    assert get_settings().geocoder_url == ""
    with_address = await geo.geocode("04109", "Musterstraße 12")
    assert with_address == await geo.geocode("04109") == geo.Place(51.34, 12.37, "Leipzig", "04109")
    assert await geo.geocode("00000", "Musterstraße 12") is None


@pytest.mark.parametrize(
    ("a", "b", "published_km"),
    [(BERLIN, MUNICH, 504), (BERLIN, HAMBURG, 255), (COLOGNE, FRANKFURT, 152)],
)
def test_distances_match_known_city_distances_within_one_percent(
    a: tuple[float, float], b: tuple[float, float], published_km: float
) -> None:
    assert geo.distance_km(a, b) == pytest.approx(published_km, rel=0.01)
    assert geo.distance_km(b, a) == pytest.approx(geo.distance_km(a, b))


def test_distance_between_gazetteer_places() -> None:
    leipzig, dresden = geo.place_of_postcode("04109"), geo.place_of_postcode("01067")
    km = geo.distance_km(
        (leipzig.latitude, leipzig.longitude), (dresden.latitude, dresden.longitude)
    )
    assert km == pytest.approx(100, rel=0.03)  # about 100 km as the crow flies
    assert geo.distance_km((51.34, 12.37), (51.34, 12.37)) == 0


def _inside(box: geo.BoundingBox, latitude: float, longitude: float) -> bool:
    return (
        box.min_latitude <= latitude <= box.max_latitude
        and box.min_longitude <= longitude <= box.max_longitude
    )


@settings(max_examples=300, deadline=None)
@given(
    latitude=st.floats(min_value=47.0, max_value=55.5),
    longitude=st.floats(min_value=5.5, max_value=15.5),
    radius_km=st.floats(min_value=0.5, max_value=150),
    bearing=st.floats(min_value=0, max_value=360),
    share=st.floats(min_value=0, max_value=0.999),
)
def test_bounding_box_contains_every_point_of_the_circle(
    latitude: float, longitude: float, radius_km: float, bearing: float, share: float
) -> None:
    """Matching prefilters with the box, then measures with distance_km: a point inside the
    radius that the box left out would never be recommended."""
    box = geo.bounding_box(latitude, longitude, radius_km)
    point = great_circle(kilometers=radius_km * share).destination((latitude, longitude), bearing)
    assert _inside(box, point.latitude, point.longitude)


def test_bounding_box_contains_the_rim_of_the_circle() -> None:
    box = geo.bounding_box(51.34, 12.37, 10)
    for bearing in (0, 90, 180, 270):
        point = great_circle(kilometers=10).destination((51.34, 12.37), bearing)
        assert _inside(box, point.latitude, point.longitude), bearing


def test_bounding_box_is_not_much_larger_than_the_circle() -> None:
    box = geo.bounding_box(51.34, 12.37, 10)
    width = geo.distance_km((51.34, box.min_longitude), (51.34, box.max_longitude))
    height = geo.distance_km((box.min_latitude, 12.37), (box.max_latitude, 12.37))
    assert width == pytest.approx(20, rel=0.01)
    assert height == pytest.approx(20, rel=0.01)


# --- with a geocoder: a Nominatim stand-in on loopback ----------------------------------------


class _Nominatim(BaseHTTPRequestHandler):
    queries: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        query = parse_qs(urlparse(self.path).query).get("q", [""])[0]
        _Nominatim.queries.append(query)
        body = (
            []
            if "Nirgendwo" in query
            else [{"lat": "51.3456789", "lon": "12.3812345", "display_name": query}]
        )
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def geocoder_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """GEOCODER_URL pointing at a local stand-in; settings are re-read and restored after."""
    server = HTTPServer(("127.0.0.1", 0), _Nominatim)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    monkeypatch.setenv("GEOCODER_URL", url)
    get_settings.cache_clear()
    _Nominatim.queries.clear()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        monkeypatch.delenv("GEOCODER_URL")
        get_settings.cache_clear()


async def test_a_geocoded_address_is_rounded_to_a_neighbourhood(geocoder_url: str) -> None:
    place = await geo.geocode("04109", "Musterstraße 12")
    assert place == geo.Place(51.35, 12.38, "Leipzig", "04109")
    assert _Nominatim.queries == ["Musterstraße 12, 04109, Deutschland"]


async def test_an_address_the_geocoder_cannot_find_falls_back_to_the_postcode(
    geocoder_url: str,
) -> None:
    assert await geo.geocode("04109", "Nirgendwo 1") == geo.Place(51.34, 12.37, "Leipzig", "04109")


async def test_a_geocoder_that_is_down_falls_back_to_the_postcode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.support.services import free_port

    monkeypatch.setenv("GEOCODER_URL", f"http://127.0.0.1:{free_port()}")
    get_settings.cache_clear()
    try:
        assert (
            await geo.geocode("80331", "Marienplatz 1") == geo.place_of_postcode("80331").coarse()
        )
    finally:
        monkeypatch.delenv("GEOCODER_URL")
        get_settings.cache_clear()


async def test_the_towns_own_postcodes_carry_the_towns_name_for_residents_and_places(
    client,
) -> None:
    """The gazetteer names the municipality (04178 is Leipzig); within the town residents
    and venues of one street read one name."""
    assert geo.place_of_postcode("04178").locality == "Lindenau"
    assert geo.place_of_postcode("04109").locality == "Leipzig"
    await sign_in(client, await make_user())
    await client.submit("/profil", await valid_form(postcode="04178"))
    offer = await make_opportunity(await make_organisation(), postcode="04178")

    assert "04178 Lindenau" in (await client.get("/profil")).text
    assert "04178 Lindenau" in (await client.get(f"/angebote/{offer.id}")).text
