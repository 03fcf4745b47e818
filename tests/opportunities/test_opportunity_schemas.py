"""Form and filter parsing: conversions, time zones and the messages people see."""

from __future__ import annotations

import datetime as dt

from boerse.lib.forms import Form
from boerse.opportunities.schemas import parse_filters, parse_opportunity, parse_session

GOOD = {
    "title": "Stadtteilspaziergang",
    "summary": "Wir prüfen gemeinsam, wie demenzfreundlich das Viertel ist.",
    "description": "Mit einer Checkliste gehen wir durch den Stadtteil.",
    "mode": "co_assess",
    "field": "elderly",
    "postcode": "04109",
    "contact_name": "Frau Berger",
    "contact_email": "berger@stadt.example",
}


def test_a_complete_opportunity_parses() -> None:
    data = parse_opportunity(Form(values=GOOD | {"required_skills": ["dementia", "surveying"]}))
    assert data is not None
    assert data.required_skills == ["dementia", "surveying"]
    assert data.postcode == "04109"
    assert data.is_online is False


def test_a_skill_cannot_be_required_and_desired() -> None:
    form = Form(values=GOOD | {"required_skills": "cooking", "desired_skills": ["cooking", "it"]})
    assert parse_opportunity(form) is None
    assert "desired_skills" in form.errors


def test_a_place_is_needed_unless_online() -> None:
    form = Form(values=GOOD | {"postcode": ""})
    assert parse_opportunity(form) is None
    assert "postcode" in form.errors
    assert parse_opportunity(Form(values=GOOD | {"postcode": "", "is_online": "on"})) is not None


def test_unknown_postcode_and_mode_are_reported() -> None:
    form = Form(values=GOOD | {"postcode": "00000", "mode": "co_everything", "min_age": "abc"})
    assert parse_opportunity(form) is None
    assert set(form.errors) == {"postcode", "mode", "min_age"}


def test_session_times_are_berlin_local_also_in_summer() -> None:
    form = Form(values={"date": "2030-07-01", "starts": "10:00", "ends": "12:30", "capacity": "8"})
    data = parse_session(form)
    assert data is not None
    assert data.starts_at == dt.datetime(2030, 7, 1, 8, 0, tzinfo=dt.UTC)  # CEST = UTC+2
    assert data.ends_at - data.starts_at == dt.timedelta(hours=2, minutes=30)


def test_session_end_must_follow_start_and_capacity_has_bounds() -> None:
    form = Form(values={"date": "01.07.2030", "starts": "10:00", "ends": "09:00", "capacity": "0"})
    assert parse_session(form) is None
    assert set(form.errors) == {"ends", "capacity"}
    form = Form(
        values={"date": "2030-07-01", "starts": "10:00", "ends": "11:00", "capacity": "501"}
    )
    assert parse_session(form) is None
    assert "capacity" in form.errors


def test_capacity_below_places_taken_is_refused() -> None:
    form = Form(values={"date": "2030-07-01", "starts": "10:00", "ends": "11:00", "capacity": "3"})
    assert parse_session(form, minimum_capacity=5) is None
    assert "5" in form.errors["capacity"]


def test_a_meeting_that_took_place_can_be_entered_up_to_a_year_later() -> None:
    now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    last_month = {"date": "2024-12-01", "starts": "10:00", "ends": "11:00", "capacity": "3"}
    assert parse_session(Form(values=last_month), now=now) is not None

    form = Form(values=last_month | {"date": "2023-12-01"})
    assert parse_session(form, now=now) is None
    assert "höchstens ein Jahr" in form.errors["date"]


def test_bad_filters_become_messages_and_are_ignored() -> None:
    filters = parse_filters({"postcode": "abc", "km": "-3", "mode": "x", "from": "morgen"})
    assert len(filters.messages) == 4
    assert filters.place is None and filters.radius_km is None
    assert filters.mode == "" and filters.date_from is None


def test_radius_needs_a_postcode_and_sorts_by_distance_with_one() -> None:
    assert parse_filters({"km": "10"}).messages
    filters = parse_filters({"postcode": "04109", "km": "10"})
    assert filters.messages == []
    assert filters.radius_km == 10 and filters.sort == "distance"


def test_reversed_date_range_is_dropped_with_a_message() -> None:
    filters = parse_filters({"from": "2030-02-01", "to": "2030-01-01"})
    assert filters.date_from is None and filters.date_to is None
    assert filters.messages


def test_page_numbers_that_are_not_positive_integers_mean_page_one() -> None:
    assert parse_filters({"page": "abc"}).page == 1
    assert parse_filters({"page": "-2"}).page == 1
    assert parse_filters({"page": "3"}).page == 3


def test_description_paragraphs_survive_browser_line_endings() -> None:
    data = parse_opportunity(Form(values=GOOD | {"description": "Erster.\r\n\r\nZweiter."}))
    assert data.description.split("\n\n") == ["Erster.", "Zweiter."]
