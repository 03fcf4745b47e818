"""Hand-made matching cases with an expected order, the hard filters one by one and the
German reason text, all against the pure functions of boerse.matching.scoring."""

from __future__ import annotations

import dataclasses

import pytest

from boerse.lib.i18n import current_locale
from boerse.matching.scoring import (
    Match,
    OpportunityFacts,
    ResidentFacts,
    Weights,
    distance_band,
    passes_hard_filters,
    reason_text,
    score,
    score_value,
)
from boerse.settings import get_settings

LEIPZIG = (51.34, 12.37)
DEFAULTS = Weights()


def resident(**changes: object) -> ResidentFacts:
    """A resident of Leipzig with a 10 km radius, into the environment and gardening,
    free on Saturday mornings for 4 hours a month."""
    base = ResidentFacts(
        *LEIPZIG,
        radius_km=10,
        interests=frozenset({"environment"}),
        skills=frozenset({"gardening"}),
        windows=frozenset({"sat-morning"}),
        hours_per_month=4,
    )
    return dataclasses.replace(base, **changes)


def opportunity(**changes: object) -> OpportunityFacts:
    """A neutral in-person opportunity: no field, no skills, no windows, no hours."""
    return dataclasses.replace(OpportunityFacts(*LEIPZIG), **changes)


def scored(r: ResidentFacts, o: OpportunityFacts, km: float | None) -> Match:
    match = score(r, o, DEFAULTS, km)
    assert match is not None
    return match


def test_default_weights_come_from_settings() -> None:
    settings = get_settings()
    weights = Weights.from_settings()
    assert (weights.distance, weights.interest, weights.skills, weights.time) == (
        settings.match_weight_distance,
        settings.match_weight_interest,
        settings.match_weight_skills,
        settings.match_weight_time,
    )
    assert weights.distance_half_km == settings.match_distance_half_km == 5.0
    assert weights.normalised == pytest.approx((0.30, 0.30, 0.25, 0.15))


def test_a_farther_opportunity_in_ones_interests_beats_a_near_one_outside_them() -> None:
    """With the default weights interest (0.30) weighs as much as the whole distance part
    (0.30), so inside the radius the field of action wins over nearness."""
    r = resident()
    near_other_field = scored(r, opportunity(field="health"), 0.5)
    far_own_field = scored(r, opportunity(field="environment"), 9.5)
    assert far_own_field.score > near_other_field.score
    assert far_own_field.matching_interest == "environment"
    assert near_other_field.matching_interest is None
    # A town that weighs nearness much more gets the opposite order.
    nearness_first = Weights(distance=0.7, interest=0.1, skills=0.1, time=0.1)
    near = score(r, opportunity(field="health"), nearness_first, 0.5)
    far = score(r, opportunity(field="environment"), nearness_first, 9.5)
    assert near is not None and far is not None
    assert near.score > far.score


def test_the_distance_part_halves_at_the_half_distance_and_keeps_a_tail() -> None:
    r = resident(radius_km=100)
    o = opportunity()
    assert scored(r, o, 0).parts["distance"] == pytest.approx(0.30)
    assert scored(r, o, 5).parts["distance"] == pytest.approx(0.15)
    assert scored(r, o, 10).parts["distance"] == pytest.approx(0.10)
    assert scored(r, o, 50).parts["distance"] == pytest.approx(0.30 / 11)
    assert scored(r, o, 30).score > scored(r, o, 40).score > scored(r, o, 50).score


def test_a_required_skill_counts_more_than_a_desired_one() -> None:
    r = resident(skills=frozenset({"gardening"}))
    required = scored(
        r,
        opportunity(required_skills=frozenset({"gardening"}), desired_skills=frozenset({"it"})),
        2,
    )
    desired = scored(
        r,
        opportunity(required_skills=frozenset({"it"}), desired_skills=frozenset({"gardening"})),
        2,
    )
    assert required.parts["skills"] == pytest.approx(0.25 * 2 / 3)
    assert desired.parts["skills"] == pytest.approx(0.25 * 1 / 3)
    assert required.score > desired.score
    assert required.matching_skills == desired.matching_skills == ("gardening",)


def test_matching_skills_name_required_ones_first() -> None:
    r = resident(skills=frozenset({"gardening", "cooking", "it"}))
    o = opportunity(
        required_skills=frozenset({"it"}), desired_skills=frozenset({"cooking", "gardening"})
    )
    match = scored(r, o, 1)
    assert match.matching_skills == ("it", "cooking", "gardening")
    assert match.parts["skills"] == pytest.approx(0.25)


def test_a_skill_listed_as_required_and_desired_counts_once() -> None:
    r = resident(skills=frozenset({"gardening"}))
    o = opportunity(
        required_skills=frozenset({"gardening"}), desired_skills=frozenset({"gardening"})
    )
    assert scored(r, o, 1).parts["skills"] == pytest.approx(0.25)
    assert scored(r, o, 1).matching_skills == ("gardening",)


def test_an_opportunity_asking_for_no_skill_gets_a_neutral_half() -> None:
    r = resident()
    assert scored(r, opportunity(), 1).parts["skills"] == pytest.approx(0.25 * 0.5)
    missing = scored(r, opportunity(required_skills=frozenset({"it"})), 1)
    assert missing.parts["skills"] == 0
    assert missing.matching_skills == ()


def test_time_windows_decide_between_otherwise_equal_opportunities() -> None:
    r = resident(windows=frozenset({"sat-morning", "sun-afternoon"}))
    saturday = scored(r, opportunity(windows=frozenset({"sat-morning"})), 3)
    monday = scored(r, opportunity(windows=frozenset({"mon-morning"})), 3)
    half = scored(r, opportunity(windows=frozenset({"sat-morning", "mon-evening"})), 3)
    assert saturday.score > half.score > monday.score
    assert saturday.parts["time"] == pytest.approx(0.15)
    assert half.parts["time"] == pytest.approx(0.075)
    assert monday.parts["time"] == 0
    assert saturday.matching_windows == half.matching_windows == ("sat-morning",)
    assert monday.matching_windows == ()


def test_matching_windows_follow_the_week() -> None:
    windows = frozenset({"sun-evening", "mon-evening", "sat-morning", "sat-afternoon"})
    match = scored(resident(windows=windows), opportunity(windows=windows), 1)
    assert match.matching_windows == ("mon-evening", "sat-morning", "sat-afternoon", "sun-evening")


def test_hours_asked_beyond_hours_offered_lower_the_time_part() -> None:
    r = resident(hours_per_month=4)
    o = opportunity(windows=frozenset({"sat-morning"}))
    fits = scored(r, dataclasses.replace(o, hours_per_month=4), 1)
    double = scored(r, dataclasses.replace(o, hours_per_month=8), 1)
    assert fits.parts["time"] == pytest.approx(0.15)
    assert double.parts["time"] == pytest.approx(0.15 / 2)
    # No amount stated (0 hours) is neutral, not a refusal.
    unstated = scored(resident(hours_per_month=0), dataclasses.replace(o, hours_per_month=8), 1)
    assert unstated.parts["time"] == pytest.approx(0.15 / 2)


def test_no_windows_on_either_side_is_neutral() -> None:
    undated = scored(resident(), opportunity(), 1)
    no_windows_given = scored(
        resident(windows=frozenset()), opportunity(windows=frozenset({"mon-morning"})), 1
    )
    assert undated.parts["time"] == no_windows_given.parts["time"] == pytest.approx(0.15 / 2)
    assert undated.matching_windows == no_windows_given.matching_windows == ()


def test_an_online_opportunity_counts_as_near_and_beats_a_far_one() -> None:
    r = resident(radius_km=30)
    online = scored(r, opportunity(is_online=True, latitude=None, longitude=None), None)
    far = scored(r, opportunity(), 25)
    at_the_door = scored(r, opportunity(), 0)
    assert online.score > far.score
    assert online.score == pytest.approx(at_the_door.score)
    assert online.distance_km is None
    # An online opportunity ignores a distance passed by mistake, even one beyond the radius.
    assert scored(r, opportunity(is_online=True), 400).distance_km is None


def test_the_radius_of_the_resident_is_a_hard_limit() -> None:
    r = resident(radius_km=10)
    assert passes_hard_filters(r, opportunity(), 10.0)
    assert score(r, opportunity(), DEFAULTS, 10.0) is not None
    assert not passes_hard_filters(r, opportunity(), 10.01)
    assert score(r, opportunity(), DEFAULTS, 10.01) is None


def test_the_reach_of_the_opportunity_is_a_hard_limit() -> None:
    r = resident(radius_km=50)
    o = opportunity(reach_km=3.0)
    assert score(r, o, DEFAULTS, 2.9) is not None
    assert score(r, o, DEFAULTS, 3.1) is None
    assert score(r, opportunity(is_online=True, reach_km=3.0), DEFAULTS, None) is not None


def test_the_resident_must_speak_one_of_the_languages_asked_for() -> None:
    english = opportunity(languages=frozenset({"en"}))
    assert score(resident(), english, DEFAULTS, 1) is None  # no languages given: German
    assert score(resident(languages=frozenset({"tr", "en"})), english, DEFAULTS, 1) is not None
    assert score(resident(), opportunity(languages=frozenset({"de", "en"})), DEFAULTS, 1)
    assert score(resident(languages=frozenset({"ar"})), opportunity(), DEFAULTS, 1)
    assert (
        score(
            resident(languages=frozenset({"ar"})),
            opportunity(languages=frozenset({"de"})),
            DEFAULTS,
            1,
        )
        is None
    )


def test_a_minimum_age_refuses_only_residents_known_to_be_younger() -> None:
    adults = opportunity(min_age=18)
    assert score(resident(age=17), adults, DEFAULTS, 1) is None
    assert score(resident(age=18), adults, DEFAULTS, 1) is not None
    assert score(resident(age=None), adults, DEFAULTS, 1) is not None


def test_an_opportunity_without_a_free_place_is_never_matched() -> None:
    assert score(resident(), opportunity(has_free_place=False), DEFAULTS, 1) is None
    assert (
        score(resident(), opportunity(has_free_place=False, is_online=True), DEFAULTS, None) is None
    )


def test_weights_are_normalised_so_odd_settings_keep_the_score_in_range() -> None:
    r = resident(skills=frozenset({"gardening"}))
    o = opportunity(
        field="environment",
        required_skills=frozenset({"gardening"}),
        windows=frozenset({"sat-morning"}),
        hours_per_month=2,
    )
    best = score(r, o, Weights(3, 3, 2.5, 1.5), 0)
    assert best is not None and best.score == pytest.approx(1.0)
    assert scored(r, o, 4).score == pytest.approx(score(r, o, Weights(30, 30, 25, 15), 4).score)
    zero = score(r, o, Weights(0, 0, 0, 0), 4)
    assert zero is not None and 0 < zero.score <= 1
    negative = score(r, o, Weights(-1, 1, 0, 0), 4)
    assert negative is not None and negative.score == pytest.approx(1.0)  # only interest counts


def test_the_weighted_parts_add_up_to_the_score_and_score_value_agrees() -> None:
    r = resident(skills=frozenset({"gardening", "it"}))
    o = opportunity(
        field="environment",
        required_skills=frozenset({"gardening"}),
        desired_skills=frozenset({"cooking"}),
        windows=frozenset({"sat-morning", "sun-morning"}),
        hours_per_month=6,
    )
    match = scored(r, o, 2.4)
    assert sum(match.parts.values()) == pytest.approx(match.score)
    assert score_value(r, o, DEFAULTS, 2.4) == match.score
    assert score_value(r, o, DEFAULTS, 20) is None


def test_the_reason_names_distance_interest_window_and_skill() -> None:
    r = resident()
    o = opportunity(
        field="environment",
        required_skills=frozenset({"gardening"}),
        windows=frozenset({"sat-morning"}),
    )
    assert reason_text(scored(r, o, 2.43)) == (
        "2,4 km entfernt · Ihr Interesse: Umwelt und Klima · passt zu: Samstag vormittags · "
        "Ihre Fähigkeit: Gärtnern"
    )


def test_the_reason_leaves_out_what_does_not_match() -> None:
    r = resident()
    o = opportunity(
        field="health", required_skills=frozenset({"it"}), windows=frozenset({"mon-evening"})
    )
    assert reason_text(scored(r, o, 7.25)) == "7,2 km entfernt"
    assert reason_text(scored(r, o, 0.4)) == "unter 1 km entfernt"
    assert reason_text(scored(r, o, 1.0)) == "1,0 km entfernt"
    assert reason_text(scored(r, opportunity(is_online=True, field="environment"), None)) == (
        "online · Ihr Interesse: Umwelt und Klima"
    )


def test_the_reason_names_at_most_two_windows_and_skills() -> None:
    skills = frozenset({"gardening", "cooking", "it"})
    windows = frozenset({"sat-morning", "sun-morning", "mon-evening"})
    r = resident(skills=skills, windows=windows)
    o = opportunity(
        required_skills=frozenset({"it"}),
        desired_skills=frozenset({"cooking", "gardening"}),
        windows=windows,
    )
    assert reason_text(scored(r, o, 3)) == (
        "3,0 km entfernt · passt zu: Montag abends, Samstag vormittags · "
        "Ihre Fähigkeiten: Computer und Internet, Kochen"
    )


def test_the_reason_uses_given_labels_and_falls_back_to_the_slug() -> None:
    r = resident(interests=frozenset({"allotments"}), skills=frozenset({"beekeeping", "gardening"}))
    o = opportunity(field="allotments", required_skills=frozenset({"beekeeping", "gardening"}))
    match = scored(r, o, 1.5)
    assert reason_text(match) == (
        "1,5 km entfernt · Ihr Interesse: allotments · Ihre Fähigkeiten: beekeeping, Gärtnern"
    )
    labels = {"fields": {"allotments": "Kleingärten"}, "skills": {"beekeeping": "Imkern"}}
    assert reason_text(match, labels) == (
        "1,5 km entfernt · Ihr Interesse: Kleingärten · Ihre Fähigkeiten: Imkern, Gärtnern"
    )


def test_the_reason_translates_taxonomy_labels_when_it_is_called() -> None:
    r = resident()
    o = opportunity(
        field="environment",
        required_skills=frozenset({"gardening"}),
        windows=frozenset({"sat-morning"}),
    )
    match = scored(r, o, 2.43)
    token = current_locale.set("en")
    try:
        english = reason_text(match)
    finally:
        current_locale.reset(token)
    assert "Environment and climate" in english
    assert "Saturday morning" in english
    assert "Gardening" in english
    assert "2.4" in english


@pytest.mark.parametrize(
    ("km", "band"),
    [
        (0.0, "unter 2 km"),
        (1.99, "unter 2 km"),
        (2.0, "unter 5 km"),
        (4.9, "unter 5 km"),
        (5.0, "unter 10 km"),
        (9.99, "unter 10 km"),
        (10.0, "unter 25 km"),
        (24.9, "unter 25 km"),
        (25.0, "weiter als 25 km"),
        (180.0, "weiter als 25 km"),
    ],
)
def test_distance_bands(km: float, band: str) -> None:
    assert distance_band(km) == band


def test_accessibility_needs_are_a_hard_filter_only_when_given() -> None:
    needs = frozenset({"wheelchair", "quiet_space"})
    offers_all = opportunity(access_features=frozenset({"wheelchair", "quiet_space", "seating"}))
    offers_one = opportunity(access_features=frozenset({"wheelchair"}))
    offers_none = opportunity()

    assert passes_hard_filters(resident(access_needs=needs), offers_all, 1.0)
    assert not passes_hard_filters(resident(access_needs=needs), offers_one, 1.0)
    assert score(resident(access_needs=needs), offers_none, DEFAULTS, 1.0) is None
    # Without the switch the needs are not in the facts: nothing is filtered.
    assert passes_hard_filters(resident(), offers_none, 1.0)
    # The filter never changes a score that passes it.
    assert scored(resident(access_needs=needs), offers_all, 1.0).score == pytest.approx(
        scored(resident(), offers_all, 1.0).score
    )
