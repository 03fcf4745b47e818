"""Matching reads the taxonomies as administrators keep them: an added skill, field or
language counts like a built-in one in scores, filters and reasons; a renamed entry shows
its new name; a retired one keeps counting for what people already hold. Bits in the index
stay where they are whatever an administrator does."""

from __future__ import annotations

import asyncio
import re

from boerse.accounts.tables import Role
from boerse.matching import index
from boerse.matching.index_tables import OpportunityMatch, ResidentMatch
from boerse.matching.services import candidates_for, recommendations_for
from boerse.opportunities.tables import Opportunity
from boerse.profiles import taxonomy
from boerse.profiles.tables import FieldOfAction, Language, Skill
from boerse.profiles.taxonomy import CURATED_SKILLS, FIELDS_OF_ACTION, LANGUAGES, MAX_BITS
from tests.matching.test_routes import candidates_url, make_offer, make_resident, refresh_index
from tests.profiles.helpers import valid_form
from tests.support.factories import make_officer, make_organisation, make_user, sign_in

SKILLS = "/admin/auswahllisten/faehigkeiten"
FIELDS = "/admin/auswahllisten/handlungsfelder"
LANGS = "/admin/auswahllisten/sprachen"


async def as_admin(client) -> None:
    client.cookies.clear()
    await sign_in(client, await make_user(role=Role.ADMIN))


async def add(client, url: str, name: str) -> None:
    response = await client.submit(url, {"name": name})
    assert response.status_code == 303, response.text[:300]


async def index_row(user_id: int) -> dict:
    """A resident's index row without its own id (a rebuild writes new rows)."""
    (row,) = await ResidentMatch.select().where(ResidentMatch.user == user_id)
    return {key: value for key, value in row.items() if key != "id"}


def offered(page: str, name: str, value: str) -> bool:
    return re.search(rf'name="{name}" value="{re.escape(value)}"', page) is not None


async def test_seeded_entries_keep_the_bits_the_index_always_had() -> None:
    """An index built before bits lived in the tables stays right without a rebuild."""
    for table, slug, seeds in (
        (FieldOfAction, FieldOfAction.slug, FIELDS_OF_ACTION),
        (Skill, Skill.slug, CURATED_SKILLS),
        (Language, Language.code, LANGUAGES),
    ):
        rows = await table.select(slug.as_alias("slug"), table.match_bit)
        bits = {row["slug"]: row["match_bit"] for row in rows}
        assert bits == {slug: position for position, (slug, _label) in enumerate(seeds)}


async def test_running_the_seeding_again_writes_nothing(count_queries) -> None:
    """It runs after every migration and before every test: reads only, when up to date."""
    with count_queries() as seeding:
        await taxonomy.ensure_taxonomy()
    assert seeding.count == 7  # per list its bits and its slugs, then the lists kept


async def test_an_added_skill_counts_in_score_reason_filter_and_candidates(client) -> None:
    await as_admin(client)
    await add(client, SKILLS, "Lastenrad fahren")
    skill = await Skill.objects().where(Skill.slug == "lastenrad-fahren").first()
    assert skill.match_bit == len(CURATED_SKILLS)

    # A resident ticks it in the profile form: the service writes the index row.
    resident = await make_user(display_name="Anna Beispiel")
    client.cookies.clear()
    await sign_in(client, resident)
    form = await client.get("/profil")
    assert offered(form.text, "skills", str(skill.id))
    saved = await client.submit(
        "/profil", await valid_form(skills=[str(skill.id)], interests=[], own_skills="")
    )
    assert saved.status_code == 303
    row = await ResidentMatch.objects().where(ResidentMatch.user == resident.id).first()
    assert row.skills_mask == 1 << skill.match_bit

    # An offer asks for it (the opportunity service refreshes its row).
    offer = await make_offer(await make_organisation(), "Lastenrad-Kurierdienst", skills=())
    other = await make_offer(await make_organisation(), "Gartenarbeit", skills=("gardening",))
    await refresh_index()
    await client.get("/profil")  # reads the lists as they are (the admin changed them)
    from boerse.opportunities.tables import OpportunitySkill

    await OpportunitySkill(opportunity=offer.id, skill=skill.id, required=True).save()
    await index.refresh_opportunity(offer.id)
    offer_row = await OpportunityMatch.objects().where(OpportunityMatch.opportunity == offer.id)
    assert offer_row[0].required_mask == 1 << skill.match_bit

    picks = {item.opportunity["id"]: item for item in await recommendations_for(resident.id)}
    assert picks[offer.id].match.matching_skills == ("lastenrad-fahren",)
    assert picks[offer.id].match.score > picks[other.id].match.score
    assert "Ihre Fähigkeit: Lastenrad fahren" in picks[offer.id].reason

    page = await client.get("/empfehlungen")
    assert "Ihre Fähigkeit: Lastenrad fahren" in page.text
    assert '<option value="lastenrad-fahren"' in page.text
    filtered = await client.get("/empfehlungen", params={"skill": "lastenrad-fahren"})
    assert offer.title in filtered.text and other.title not in filtered.text

    (candidate,) = await candidates_for(offer.id)
    assert candidate.user_id == resident.id
    assert candidate.matching_skills == ("Lastenrad fahren",)


async def test_a_renamed_field_shows_its_new_name_in_the_reason(client) -> None:
    offer = await make_offer(await make_organisation())
    resident = await make_resident(interests=("environment",), skills=())
    await refresh_index()
    await sign_in(client, resident)
    before = await client.get("/empfehlungen")
    assert "Ihr Interesse: Umwelt und Klima" in before.text
    row_before = await index_row(resident.id)

    await as_admin(client)
    field = await FieldOfAction.objects().where(FieldOfAction.slug == "environment").first()
    renamed = await client.submit(
        f"{FIELDS}/{field.id}/umbenennen", {f"name-{field.id}": "Natur und Klima"}
    )
    assert renamed.status_code == 303

    client.cookies.clear()
    await sign_in(client, resident)
    after = await client.get("/empfehlungen")
    assert offer.title in after.text
    assert "Ihr Interesse: Natur und Klima" in after.text
    assert "Umwelt und Klima" not in after.text
    # Renaming moved no bit: the index row is untouched.
    assert await index_row(resident.id) == row_before


async def test_an_added_field_and_language_count_like_built_in_ones(client) -> None:
    await as_admin(client)
    await add(client, FIELDS, "Tierschutz")
    await add(client, LANGS, "Kurdisch")
    field = await FieldOfAction.objects().where(FieldOfAction.slug == "tierschutz").first()
    language = await Language.objects().where(Language.code == "kurdisch").first()
    assert (field.match_bit, language.match_bit) == (len(FIELDS_OF_ACTION), len(LANGUAGES))

    offer = await make_offer(
        await make_organisation(), "Tierheim-Spaziergänge", field="tierschutz", skills=()
    )
    await Opportunity.update({Opportunity.languages: ["kurdisch"]}).where(
        Opportunity.id == offer.id
    )
    speaker = await make_resident("Rojda", interests=("tierschutz",), skills=())
    other = await make_resident("Bernd", interests=("tierschutz",), skills=())
    from boerse.profiles.tables import Profile

    await Profile.update({Profile.languages: ["de", "kurdisch"]}).where(Profile.user == speaker.id)
    await refresh_index()
    await taxonomy.current()

    (pick,) = await recommendations_for(speaker.id)
    assert pick.match.matching_interest == "tierschutz"
    assert "Ihr Interesse: Tierschutz" in pick.reason
    # The language is a hard filter: Bernd (German only) never sees the Kurdish offer.
    assert await recommendations_for(other.id) == []
    assert [c.user_id for c in await candidates_for(offer.id)] == [speaker.id]


async def test_a_retired_skill_keeps_counting_but_is_no_longer_offered(client) -> None:
    await as_admin(client)
    await add(client, SKILLS, "Lastenrad fahren")
    skill = await Skill.objects().where(Skill.slug == "lastenrad-fahren").first()
    offer = await make_offer(await make_organisation(), skills=("lastenrad-fahren",))
    resident = await make_resident(skills=("lastenrad-fahren",))
    await refresh_index()
    await taxonomy.current()
    before = (await recommendations_for(resident.id))[0]

    retired = await client.submit(f"{SKILLS}/{skill.id}/stilllegen")
    assert retired.status_code == 303
    client.cookies.clear()
    await sign_in(client, resident)
    page = await client.get("/empfehlungen")
    (after,) = await recommendations_for(resident.id)

    assert after.match.score == before.match.score
    assert "Ihre Fähigkeit: Lastenrad fahren" in page.text
    assert '<option value="lastenrad-fahren"' not in page.text  # no new choice
    kept = await client.get("/empfehlungen", params={"skill": "lastenrad-fahren"})
    assert offer.title in kept.text  # an old link still filters
    assert '<option value="lastenrad-fahren" selected' in kept.text
    # Retiring moved no bit: a rebuild gives the same row.
    kept_row = await index_row(resident.id)
    await refresh_index()
    assert await index_row(resident.id) == kept_row


async def test_an_own_skill_made_curated_counts_at_once_for_those_who_typed_it(client) -> None:
    resident = await make_resident(skills=())
    from boerse.profiles.tables import Profile, ProfileSkill

    own = Skill(slug="imkern", name="Imkern", curated=False)
    await own.save()
    profile = await Profile.objects().where(Profile.user == resident.id).first()
    await ProfileSkill(profile=profile.id, skill=own.id).save()
    await refresh_index()
    assert (await ResidentMatch.objects().where(ResidentMatch.user == resident.id))[
        0
    ].skills_mask == 0

    await as_admin(client)
    await add(client, SKILLS, "Imkern")

    bit = (await Skill.objects().where(Skill.id == own.id).first()).match_bit
    row = await ResidentMatch.objects().where(ResidentMatch.user == resident.id).first()
    assert bit is not None and row.skills_mask == 1 << bit


async def test_a_list_that_used_every_bit_refuses_another_entry(client) -> None:
    for number in range(len(FIELDS_OF_ACTION), MAX_BITS):
        await FieldOfAction(
            slug=f"feld-{number}", name=f"Feld {number}", position=number, match_bit=number
        ).save()
    await as_admin(client)
    refused = await client.submit(FIELDS, {"name": "Noch ein Feld"})
    assert refused.status_code == 400
    assert "Die Liste „Handlungsfelder“ ist voll" in refused.text
    assert not await FieldOfAction.exists().where(FieldOfAction.name == "Noch ein Feld")


async def test_an_officer_sees_an_added_skill_among_the_candidates_reasons(client) -> None:
    await as_admin(client)
    await add(client, SKILLS, "Lastenrad fahren")
    organisation = await make_organisation()
    offer = await make_offer(organisation, skills=("lastenrad-fahren",))
    await make_resident("Anna Beispiel", skills=("lastenrad-fahren",))
    await refresh_index()
    client.cookies.clear()
    await sign_in(client, await make_officer(organisation))
    page = await client.get(candidates_url(offer))
    assert page.status_code == 200
    assert "Anna" in page.text and "Lastenrad fahren" in page.text


async def test_upgrading_gives_earlier_added_entries_bits_and_counts_them(client) -> None:
    """Entries an administrator added before bits existed: `boerse migrate` (which runs
    ensure_taxonomy) gives them the next free bits and rebuilds the index once."""
    await as_admin(client)
    await add(client, SKILLS, "Lastenrad fahren")
    resident = await make_resident(skills=("lastenrad-fahren", "gardening"))
    await Skill.update({Skill.match_bit: None}).where(Skill.slug == "lastenrad-fahren")
    await refresh_index()
    assert (await index_row(resident.id))["skills_mask"] == 1  # gardening only

    await taxonomy.ensure_taxonomy()

    skill = await Skill.objects().where(Skill.slug == "lastenrad-fahren").first()
    assert skill.match_bit == len(CURATED_SKILLS)
    assert (await index_row(resident.id))["skills_mask"] == 1 | 1 << skill.match_bit


async def test_administrators_adding_at_once_get_a_bit_each() -> None:
    """Without waiting for each other, concurrent adds would all take the next free bit."""
    from boerse.profiles import taxonomy_admin

    names = ["Lastenrad fahren", "Imkern", *(f"Fähigkeit {n}" for n in range(5))]
    ids = await asyncio.gather(*(taxonomy_admin.add("skills", name) for name in names))
    rows = await Skill.select(Skill.match_bit).where(Skill.id.is_in(list(ids)))
    first = len(CURATED_SKILLS)
    assert sorted(row["match_bit"] for row in rows) == list(range(first, first + len(names)))
    twins = await asyncio.gather(
        *(taxonomy_admin.add("skills", "Drohnen fliegen") for _ in range(3)),
        return_exceptions=True,
    )
    assert sorted(type(result).__name__ for result in twins) == ["TaxonomyError"] * 2 + ["int"]
    assert await Skill.count().where(Skill.name == "Drohnen fliegen") == 1
