"""Properties of the matching score that must hold for every resident and opportunity:
nearer is never worse, the radius is never crossed, the reason says only true things,
the score stays in [0, 1] and a matching skill never hurts."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from boerse.lib.i18n import gettext
from boerse.matching.scoring import (
    OpportunityFacts,
    ResidentFacts,
    Weights,
    reason_text,
    score,
    score_value,
)
from boerse.profiles.taxonomy import (
    CURATED_SKILLS,
    DAY_PARTS,
    FIELDS_OF_ACTION,
    LANGUAGES,
    TIME_WINDOWS,
    WEEKDAYS,
)

FIELDS = [slug for slug, _ in FIELDS_OF_ACTION]
SKILLS = [slug for slug, _ in CURATED_SKILLS]
LANGUAGE_CODES = [code for code, _ in LANGUAGES]
FIELD_SLUG = {gettext(label): slug for slug, label in FIELDS_OF_ACTION}
SKILL_SLUG = {gettext(label): slug for slug, label in CURATED_SKILLS}
WINDOW_SLUG = {
    f"{gettext(day_label)} {gettext(part_label)}": f"{day}-{part}"
    for day, day_label in WEEKDAYS
    for part, part_label, *_ in DAY_PARTS
}
DEFAULTS = Weights()
EXAMPLES = settings(max_examples=300, deadline=None)


def subsets(values: list[str], max_size: int = 6) -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(st.sampled_from(values), max_size=max_size)


residents = st.builds(
    ResidentFacts,
    latitude=st.just(51.34),
    longitude=st.just(12.37),
    radius_km=st.integers(min_value=1, max_value=100).map(float),
    interests=subsets(FIELDS, 4),
    skills=subsets(SKILLS),
    windows=subsets(TIME_WINDOWS, 10),
    hours_per_month=st.integers(min_value=0, max_value=80),
    languages=subsets(LANGUAGE_CODES, 3),
    age=st.none() | st.integers(min_value=14, max_value=99),
)
opportunities = st.builds(
    OpportunityFacts,
    latitude=st.just(51.3),
    longitude=st.just(12.4),
    is_online=st.booleans(),
    reach_km=st.none() | st.floats(min_value=0.5, max_value=150),
    field=st.sampled_from(FIELDS),
    required_skills=subsets(SKILLS, 3),
    desired_skills=subsets(SKILLS, 4),
    windows=subsets(TIME_WINDOWS, 8),
    hours_per_month=st.floats(min_value=0, max_value=60),
    languages=st.just(frozenset()) | subsets(LANGUAGE_CODES, 3),
    min_age=st.none() | st.integers(min_value=14, max_value=21),
    has_free_place=st.booleans(),
)
in_person = opportunities.map(lambda o: dataclasses.replace(o, is_online=False))
distances = st.floats(min_value=0, max_value=200)
weights = st.builds(
    Weights,
    distance=st.floats(min_value=-1, max_value=100),
    interest=st.floats(min_value=-1, max_value=100),
    skills=st.floats(min_value=-1, max_value=100),
    time=st.floats(min_value=-1, max_value=100),
    distance_half_km=st.floats(min_value=0, max_value=50),
)


@EXAMPLES
@given(residents, in_person, distances, distances)
def test_moving_an_opportunity_farther_never_raises_its_score(
    r: ResidentFacts, o: OpportunityFacts, a: float, b: float
) -> None:
    near, far = sorted((a, b))
    farther = score(r, o, DEFAULTS, far)
    if farther is not None:
        nearer = score(r, o, DEFAULTS, near)
        assert nearer is not None
        assert nearer.score >= farther.score


@EXAMPLES
@given(residents, in_person, distances)
def test_a_resident_never_gets_an_opportunity_outside_a_radius(
    r: ResidentFacts, o: OpportunityFacts, km: float
) -> None:
    match = score(r, o, DEFAULTS, km)
    if km > r.radius_km or (o.reach_km is not None and km > o.reach_km):
        assert match is None
        assert score_value(r, o, DEFAULTS, km) is None
    if match is not None:
        assert match.distance_km == km <= r.radius_km


@EXAMPLES
@given(residents, opportunities, distances)
def test_the_reason_names_only_true_things(
    r: ResidentFacts, o: OpportunityFacts, km: float
) -> None:
    match = score(r, o, DEFAULTS, km)
    if match is None:
        return
    fragments = reason_text(match).split(" · ")
    distance, rest = fragments[0], fragments[1:]
    if o.is_online:
        assert distance == "online"
    elif km < 1:
        assert distance == "unter 1 km entfernt"
    else:
        assert distance.endswith(" km entfernt")
        shown = float(distance.removesuffix(" km entfernt").replace(".", "").replace(",", "."))
        assert abs(shown - km) <= 0.05 + 1e-9
    skills_offered = (o.required_skills | o.desired_skills) & r.skills
    for fragment in rest:
        head, _, named = fragment.partition(": ")
        labels = named.split(", ")
        if head == "Ihr Interesse":
            assert FIELD_SLUG[named] == o.field
            assert o.field in r.interests
        elif head == "passt zu":
            assert {WINDOW_SLUG[label] for label in labels} <= o.windows & r.windows
        elif head in ("Ihre Fähigkeit", "Ihre Fähigkeiten"):
            assert {SKILL_SLUG[label] for label in labels} <= skills_offered
        else:
            raise AssertionError(f"unexpected fragment {fragment!r}")
    heads = [fragment.partition(": ")[0] for fragment in rest]
    assert ("Ihr Interesse" in heads) == (o.field in r.interests)
    assert ("passt zu" in heads) == bool(o.windows & r.windows)
    assert bool({"Ihre Fähigkeit", "Ihre Fähigkeiten"} & set(heads)) == bool(skills_offered)


@EXAMPLES
@given(residents, opportunities, weights, st.none() | distances)
def test_the_score_is_always_between_zero_and_one(
    r: ResidentFacts, o: OpportunityFacts, w: Weights, km: float | None
) -> None:
    match = score(r, o, w, km)
    if match is not None:
        assert 0.0 <= match.score <= 1.0
        assert all(0.0 <= part <= 1.0 for part in match.parts.values())
        assert abs(sum(match.parts.values()) - match.score) < 1e-9
        assert score_value(r, o, w, km) == match.score


@EXAMPLES
@given(residents, opportunities, st.none() | distances, st.data())
def test_adding_a_matching_skill_never_lowers_the_score(
    r: ResidentFacts, o: OpportunityFacts, km: float | None, data: st.DataObject
) -> None:
    asked = sorted(o.required_skills | o.desired_skills)
    before = score(r, o, DEFAULTS, km)
    if before is None or not asked:
        return
    skill = data.draw(st.sampled_from(asked))
    after = score(dataclasses.replace(r, skills=r.skills | {skill}), o, DEFAULTS, km)
    assert after is not None
    assert after.score >= before.score
    assert skill in after.matching_skills
