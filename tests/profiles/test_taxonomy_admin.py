"""Administrators keep the taxonomies: add, rename, retire and restore fields of action,
skills and languages, without losing what profiles and opportunities already hold."""

from __future__ import annotations

import re

from boerse.accounts.tables import Role
from boerse.audit.tables import AuditEntry
from boerse.opportunities.tables import Opportunity, OpportunitySkill, OpportunityStatus
from boerse.profiles.tables import FieldOfAction, Language, Profile, ProfileSkill, Skill
from boerse.profiles.taxonomy import LANGUAGES
from tests.opportunities.test_routes import GOOD
from tests.profiles.helpers import skill_ids, valid_form
from tests.support.factories import (
    make_officer,
    make_opportunity,
    make_organisation,
    make_user,
    sign_in,
)

SKILLS = "/admin/auswahllisten/faehigkeiten"
FIELDS = "/admin/auswahllisten/handlungsfelder"
LANGS = "/admin/auswahllisten/sprachen"


def offers(page: str, name: str, value: str) -> bool:
    return re.search(rf'name="{name}" value="{re.escape(value)}"', page) is not None


async def sign_in_admin(client) -> None:
    await sign_in(client, await make_user(role=Role.ADMIN))


async def test_languages_are_a_table_seeded_from_the_constant(client) -> None:
    rows = await Language.select().order_by(Language.position)
    assert [(row["code"], row["name"]) for row in rows] == LANGUAGES


async def test_an_added_skill_is_offered_in_the_forms_and_keeps_its_slug(client) -> None:
    await sign_in_admin(client)
    page = await client.get(SKILLS)
    assert page.status_code == 200 and "Gärtnern" in page.text
    added = await client.submit(SKILLS, {"name": "Lastenrad fahren"})
    assert added.status_code == 303
    skill = await Skill.objects().where(Skill.name == "Lastenrad fahren").first()
    assert (skill.slug, skill.curated) == ("lastenrad-fahren", True)
    entry = await AuditEntry.objects().where(AuditEntry.action == "taxonomy_entry_added").first()
    assert entry.summary == "Fähigkeit: Lastenrad fahren"

    client.cookies.clear()
    org = await make_organisation("Umweltamt")
    await sign_in(client, await make_officer(org))
    form = await client.get("/verwaltung/angebote/neu")
    assert offers(form.text, "required_skills", "lastenrad-fahren")
    created = await client.submit(
        "/verwaltung/angebote/neu", GOOD | {"required_skills": ["lastenrad-fahren"]}
    )
    assert created.status_code == 303
    opportunity = await Opportunity.objects().first()
    assert await OpportunitySkill.exists().where(
        (OpportunitySkill.opportunity == opportunity.id) & (OpportunitySkill.skill == skill.id)
    )


async def test_a_skill_residents_typed_becomes_curated_instead_of_a_twin(client) -> None:
    own = Skill(slug="imkern", name="Imkern", curated=False)
    await own.save()
    await sign_in_admin(client)
    assert (await client.submit(SKILLS, {"name": "Imkern"})).status_code == 303
    rows = await Skill.select().where(Skill.slug.like("imkern%"))
    assert [(row["id"], row["curated"]) for row in rows] == [(own.id, True)]


async def test_a_taken_name_gets_a_clear_message(client) -> None:
    await sign_in_admin(client)
    taken = await client.submit(FIELDS, {"name": "umwelt und klima"})
    assert taken.status_code == 400
    assert "Diesen Namen gibt es in der Liste „Handlungsfelder“ schon." in taken.text
    empty = await client.submit(LANGS, {"name": "  "})
    assert empty.status_code == 400
    assert "Bitte füllen Sie dieses Feld aus." in empty.text
    first = await FieldOfAction.objects().where(FieldOfAction.slug == "environment").first()
    other = await FieldOfAction.objects().where(FieldOfAction.slug == "health").first()
    clash = await client.submit(f"{FIELDS}/{other.id}/umbenennen", {f"name-{other.id}": first.name})
    assert clash.status_code == 400
    assert re.search(rf'name="name-{other.id}" type="text"\s+value="Umwelt und Klima"', clash.text)


async def test_renaming_a_seeded_entry_shows_the_new_name_and_keeps_the_slug(client) -> None:
    org = await make_organisation("Umweltamt")
    offer = await make_opportunity(org, field="environment")
    await sign_in_admin(client)
    field = await FieldOfAction.objects().where(FieldOfAction.slug == "environment").first()
    renamed = await client.submit(
        f"{FIELDS}/{field.id}/umbenennen", {f"name-{field.id}": "Natur, Umwelt und Klima"}
    )
    assert renamed.status_code == 303
    row = await FieldOfAction.objects().where(FieldOfAction.id == field.id).first()
    assert (row.slug, row.name) == ("environment", "Natur, Umwelt und Klima")
    detail = await client.get(f"/angebote/{offer.id}")
    assert "Natur, Umwelt und Klima" in detail.text
    listing = await client.get("/angebote")
    assert re.search(
        r'<option value="environment"\s*>Natur, Umwelt und Klima</option>', listing.text
    )
    entry = await AuditEntry.objects().where(AuditEntry.action == "taxonomy_entry_renamed").first()
    assert entry.target_id == field.id


async def test_a_retired_skill_is_no_longer_offered_but_kept_where_chosen(client) -> None:
    gardening = (await skill_ids("gardening"))[0]
    resident = await make_user()
    await sign_in(client, resident)
    assert (await client.submit("/profil", await valid_form())).status_code == 303
    org = await make_organisation("Umweltamt")
    officer = await make_officer(org)
    offer = await make_opportunity(org, status=OpportunityStatus.DRAFT)
    await OpportunitySkill(opportunity=offer.id, skill=gardening, required=True).save()

    client.cookies.clear()
    await sign_in_admin(client)
    retired = await client.submit(f"{SKILLS}/{gardening}/stilllegen")
    assert retired.status_code == 303
    assert "stillgelegt" in (await client.get(SKILLS)).text

    # The public list's filter and a new offer's form no longer offer it ...
    listing = await client.get("/angebote")
    assert '<option value="gardening"' not in listing.text
    client.cookies.clear()
    await sign_in(client, officer)
    new_form = await client.get("/verwaltung/angebote/neu")
    assert not offers(new_form.text, "required_skills", "gardening")
    # ... but the offer that has it shows it ticked and keeps it when saved.
    edit = await client.get(f"/verwaltung/angebote/{offer.id}/bearbeiten")
    assert 'value="gardening" checked' in edit.text
    saved = await client.submit(
        f"/verwaltung/angebote/{offer.id}/bearbeiten", GOOD | {"required_skills": ["gardening"]}
    )
    assert saved.status_code == 303
    assert await OpportunitySkill.exists().where(
        (OpportunitySkill.opportunity == offer.id) & (OpportunitySkill.skill == gardening)
    )

    # The resident's profile keeps it ticked and saved; someone else is not offered it.
    client.cookies.clear()
    await sign_in(client, resident)
    profile_page = await client.get("/profil")
    assert f'value="{gardening}" checked' in profile_page.text
    assert (await client.submit("/profil", await valid_form())).status_code == 303
    profile = await Profile.objects().where(Profile.user == resident.id).first()
    assert await ProfileSkill.exists().where(
        (ProfileSkill.profile == profile.id) & (ProfileSkill.skill == gardening)
    )
    client.cookies.clear()
    await sign_in(client, await make_user())
    assert not offers((await client.get("/profil")).text, "skills", str(gardening))

    # Restored, it is offered again.
    client.cookies.clear()
    await sign_in_admin(client)
    assert (await client.submit(f"{SKILLS}/{gardening}/wieder-aufnehmen")).status_code == 303
    assert '<option value="gardening"' in (await client.get("/angebote")).text
    actions = [row["action"] for row in await AuditEntry.select(AuditEntry.action)]
    assert {"taxonomy_entry_retired", "taxonomy_entry_restored"} <= set(actions)


async def test_languages_are_added_and_retired_through_the_table(client) -> None:
    await sign_in_admin(client)
    assert (await client.submit(LANGS, {"name": "Vietnamesisch"})).status_code == 303
    added = await Language.objects().where(Language.name == "Vietnamesisch").first()
    assert added.code == "vietnamesi" and added.position == len(LANGUAGES)
    turkish = await Language.objects().where(Language.code == "tr").first()
    assert (await client.submit(f"{LANGS}/{turkish.id}/stilllegen")).status_code == 303

    org = await make_organisation("Umweltamt")
    offer = await make_opportunity(org, languages=["de", "tr"])
    client.cookies.clear()
    await sign_in(client, await make_officer(org))
    form = await client.get("/verwaltung/angebote/neu")
    assert offers(form.text, "languages", "vietnamesi")
    assert not offers(form.text, "languages", "tr")
    edit = await client.get(f"/verwaltung/angebote/{offer.id}/bearbeiten")
    assert 'value="tr" checked' in edit.text
    detail = await client.get(f"/angebote/{offer.id}")
    assert "Türkisch" in detail.text

    resident = await make_user()
    client.cookies.clear()
    await sign_in(client, resident)
    profile_form = await client.get("/profil")
    assert offers(profile_form.text, "languages", "vietnamesi")
    assert not offers(profile_form.text, "languages", "tr")
    saved = await client.submit("/profil", await valid_form(languages=["de", "vietnamesi"]))
    assert saved.status_code == 303
    profile = await Profile.objects().where(Profile.user == resident.id).first()
    assert profile.languages == ["de", "vietnamesi"]


async def test_only_administrators_keep_the_lists(client) -> None:
    await sign_in(client, await make_officer(await make_organisation("Umweltamt")))
    assert (await client.get(SKILLS)).status_code == 403
    assert (await client.submit(SKILLS, {"name": "Zaubern"})).status_code == 403
    assert not await Skill.exists().where(Skill.name == "Zaubern")
    client.cookies.clear()
    await sign_in_admin(client)
    assert (await client.get("/admin/auswahllisten/unbekannt")).status_code == 404
    assert (await client.submit(f"{SKILLS}/999999/stilllegen")).status_code == 404
