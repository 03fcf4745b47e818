"""The profile form's rules, checked without a database: each bad input gets its own message."""

from __future__ import annotations

from typing import Any

import pytest

from boerse.lib.forms import Form
from boerse.profiles.schemas import parse_profile, slugify

CURATED = {1: "Gärtnern", 2: "Kochen", 3: "Erste Hilfe"}
FIELDS = {10, 11}
THIS_YEAR = 2026


def good(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "display_name": "Anna",
        "postcode": "04109",
        "travel_radius_km": "10",
        "hours_per_month": "4",
        "skills": ["1", "2"],
        "own_skills": "",
        "interests": ["10"],
        "time_windows": ["sat-morning", "mon-evening"],
        "languages": ["de"],
        "birth_year": "",
    }
    values.update(overrides)
    return values


def parse(**overrides: Any) -> tuple[Form, Any]:
    form = Form(values=good(**overrides))
    return form, parse_profile(form, CURATED, FIELDS, THIS_YEAR)


def test_a_complete_form_parses_into_typed_values() -> None:
    form, data = parse(birth_year="1950", contact_ok="on", postcode=" 04 109 ")
    assert form.errors == {}
    assert data.postcode == "04109"
    assert data.skill_ids == [1, 2]
    assert data.interest_ids == [10]
    assert data.birth_year == 1950
    assert data.contact_ok is True
    # Windows come back in calendar order, whatever order the browser sent them in.
    assert data.time_windows == ["mon-evening", "sat-morning"]


def test_contact_is_off_unless_ticked() -> None:
    _, data = parse()
    assert data.contact_ok is False
    assert data.address == ""


def test_a_single_ticked_box_arrives_as_a_string_and_still_counts() -> None:
    _, data = parse(skills="3", interests="11", languages="tr", time_windows="sun-afternoon")
    assert (data.skill_ids, data.interest_ids) == ([3], [11])
    assert (data.languages, data.time_windows) == (["tr"], ["sun-afternoon"])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("display_name", "", "Bitte füllen Sie dieses Feld aus."),
        ("display_name", "x" * 101, "höchstens 100 Zeichen"),
        ("postcode", "", "Bitte füllen Sie dieses Feld aus."),
        ("postcode", "0410", "fünf Ziffern"),
        ("postcode", "abcde", "fünf Ziffern"),
        ("postcode", "00000", "Die Postleitzahl „00000“ kennen wir nicht"),
        ("address", "x" * 201, "höchstens 200 Zeichen"),
        ("travel_radius_km", "", "Bitte geben Sie eine Zahl ein."),
        ("travel_radius_km", "0", "von 1 bis 100"),
        ("travel_radius_km", "101", "von 1 bis 100"),
        ("travel_radius_km", "zehn", "ganze Zahl"),
        ("hours_per_month", "-1", "von 0 bis 80"),
        ("hours_per_month", "81", "von 0 bis 80"),
        ("birth_year", "1915", "von 1916 bis 2012"),
        ("birth_year", "2020", "von 1916 bis 2012"),
        ("birth_year", "80", "von 1916 bis 2012"),
        ("skills", ["1", "99"], "nur Einträge aus der Liste"),
        ("skills", ["abc"], "nur Einträge aus der Liste"),
        ("interests", ["12"], "nur Einträge aus der Liste"),
        ("time_windows", ["mon-night"], "nur Einträge aus der Liste"),
        ("languages", ["xx"], "nur Einträge aus der Liste"),
        ("own_skills", "Imkern, " + "x" * 41, "höchstens 40 Zeichen"),
        ("own_skills", ", ".join(f"Tag {n}" for n in range(11)), "höchstens 10 eigene"),
        ("own_skills", "Imkern, ???", "mindestens einen Buchstaben"),
    ],
)
def test_each_bad_input_is_named_at_its_field(field: str, value: Any, message: str) -> None:
    form, data = parse(**{field: value})
    assert data is None
    assert list(form.errors) == [field]
    assert message in form.errors[field]


def test_own_skills_are_deduplicated_case_insensitively() -> None:
    _, data = parse(own_skills=" Imkern, imkern ,IMKERN;  Repair  Café ,,")
    assert data.own_skills == ["Imkern", "Repair Café"]


def test_ten_own_skills_are_allowed_even_with_repeats_beyond() -> None:
    tags = [f"Tag {n}" for n in range(10)]
    _, data = parse(own_skills=", ".join([*tags, "tag 0", "TAG 9"]))
    assert data.own_skills == tags


def test_an_own_skill_naming_a_curated_one_ticks_it_instead() -> None:
    _, data = parse(skills=["1"], own_skills="kochen, Gärtnern, Imkern")
    assert data.skill_ids == [1, 2]
    assert data.own_skills == ["Imkern"]


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Imkern", "imkern"),
        ("Übersetzen aus dem Französischen", "uebersetzen-aus-dem-franzoesischen"),
        ("Straßenfest  organisieren!", "strassenfest-organisieren"),
        ("Café & Crêpes", "cafe-crepes"),
        ("C++", "c"),
        ("???", ""),
    ],
)
def test_slugs_are_stable_ascii(name: str, slug: str) -> None:
    assert slugify(name) == slug
