"""Form input: every conversion keeps what was typed and says what is wrong, in German."""

from __future__ import annotations

import datetime as dt

import pytest

from boerse.lib.forms import Form, postcode_problem


def test_text_is_trimmed_required_and_limited() -> None:
    form = Form(values={"a": "  Anna  ", "b": "", "c": "x" * 11})
    assert form.text("a", required=True) == "Anna"
    form.text("b", required=True)
    form.text("c", max_length=10)
    assert form.errors == {
        "b": "Bitte füllen Sie dieses Feld aus.",
        "c": "Bitte höchstens 10 Zeichen eingeben.",
    }
    assert not form.ok


def test_many_and_checkbox_accept_what_browsers_post() -> None:
    form = Form(values={"one": "de", "list": ["de", " ", "tr "], "box": "on", "no": "off"})
    assert form.many("one") == ["de"]
    assert form.many("list") == ["de", "tr"]
    assert form.many("missing") == []
    assert form.checkbox("box") and not form.checkbox("no") and not form.checkbox("missing")


@pytest.mark.parametrize(
    ("typed", "value", "error"),
    [
        ("Erika@Example.org", "erika@example.org", None),
        ("erika@", "erika@", "gültige E-Mail-Adresse"),
        ("", "", "Bitte füllen Sie dieses Feld aus."),
    ],
)
def test_email(typed: str, value: str, error: str | None) -> None:
    form = Form(values={"email": typed})
    assert form.email() == value
    assert (error in form.errors.get("email", "")) if error else form.ok


@pytest.mark.parametrize(
    ("typed", "value", "error"),
    [
        ("7", 7, None),
        ("", None, None),
        ("sieben", None, "Bitte geben Sie eine ganze Zahl ein."),
        ("0", None, "Bitte eine Zahl von 1 bis 10 eingeben."),
        ("11", None, "Bitte eine Zahl von 1 bis 10 eingeben."),
    ],
)
def test_integer_within_bounds(typed: str, value: int | None, error: str | None) -> None:
    form = Form(values={"n": typed})
    assert form.integer("n", minimum=1, maximum=10) == value
    assert form.errors.get("n") == error


def test_integer_required_and_open_ended_bounds() -> None:
    form = Form(values={"n": "", "m": "-5"})
    assert form.integer("n", required=True) is None
    assert form.integer("m", minimum=0) is None
    assert form.errors == {
        "n": "Bitte geben Sie eine Zahl ein.",
        "m": "Bitte eine Zahl von 0 bis … eingeben.",
    }


@pytest.mark.parametrize(
    ("typed", "value", "error"),
    [
        ("2,5", 2.5, None),
        ("2.5", 2.5, None),
        ("", None, None),
        ("zwei", None, "Bitte geben Sie eine Zahl ein, z. B. 2,5."),
        ("25", None, "Bitte eine Zahl von 0 bis 24 eingeben."),
    ],
)
def test_decimal_takes_a_german_comma(typed: str, value: float | None, error: str | None) -> None:
    form = Form(values={"h": typed})
    assert form.decimal("h", minimum=0, maximum=24) == value
    assert form.errors.get("h") == error


def test_dates_in_iso_or_german_form_and_times() -> None:
    form = Form(
        values={"iso": "2026-12-24", "de": "24.12.2026", "bad": "Heiligabend", "t": "18:30"}
    )
    assert form.date("iso") == form.date("de") == dt.date(2026, 12, 24)
    assert form.date("bad") is None
    assert form.date("missing", required=True) is None
    assert form.time("t") == dt.time(18, 30)
    assert form.time("t2", required=True) is None
    form.values["t3"] = "halb sieben"
    assert form.time("t3") is None
    assert form.errors == {
        "bad": "Bitte geben Sie das Datum als TT.MM.JJJJ ein.",
        "missing": "Bitte geben Sie ein Datum ein.",
        "t2": "Bitte geben Sie eine Uhrzeit ein.",
        "t3": "Bitte geben Sie die Uhrzeit als HH:MM ein.",
    }


def test_choice_only_from_the_list() -> None:
    form = Form(values={"mode": "co_design", "bad": "x"})
    assert form.choice("mode", {"co_design"}) == "co_design"
    assert form.choice("empty", {"a"}, required=False) == ""
    form.choice("bad", {"a"})
    assert form.errors == {"bad": "Bitte wählen Sie einen Eintrag aus der Liste."}


def test_postcodes_are_normalised_and_checked_against_the_gazetteer() -> None:
    form = Form(values={"ok": " 04109 ", "unknown": "00000", "empty": ""})
    assert form.postcode("ok") == "04109"
    assert form.postcode("unknown") == "00000"
    assert form.postcode("empty") == ""
    assert set(form.errors) == {"unknown"}
    assert postcode_problem("04109") is None
    assert "„12“" in postcode_problem("12")
