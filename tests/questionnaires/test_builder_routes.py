"""The builder's pages over HTTP: access, every bad input answered with 400 and the typed
values kept (never a 500), and the redirects after each change."""

from __future__ import annotations

import html
import re

import pytest

from boerse.accounts.tables import Role
from boerse.questionnaires import services
from boerse.questionnaires.schemas import StopInput
from boerse.questionnaires.tables import Question, Questionnaire, Response
from tests.support.factories import (
    make_officer,
    make_opportunity,
    make_organisation,
    make_user,
    sign_in,
)

BASE = "/verwaltung/frageboegen"


async def officer_client(client, organisation=None):
    organisation = organisation or await make_organisation()
    officer = await make_officer(organisation)
    await sign_in(client, officer)
    return organisation, officer


async def create(client, title="Begehung Altstadt", kind="walk_audit") -> int:
    response = await client.submit(
        f"{BASE}/neu", {"title": title, "kind": kind, "target": "questionnaire"}
    )
    assert response.status_code == 303, response.text[:300]
    return int(re.search(r"/frageboegen/(\d+)", response.headers["location"]).group(1))


def question_form(**fields) -> dict[str, str]:
    return {
        "kind": "checklist",
        "text": "Gibt es Sitzgelegenheiten?",
        "help": "",
        "page": "1",
        "section": "",
        "options": "",
        "min_value": "",
        "max_value": "",
        "per_stop": "on",
    } | fields


def shown(response) -> str:
    return html.unescape(response.text)


async def test_an_officer_builds_a_walk_audit(client) -> None:
    await officer_client(client)
    listing = await client.get(BASE)
    assert listing.status_code == 200
    assert "Mitgelieferte Vorlagen" in shown(listing)

    questionnaire_id = await create(client)
    detail = await client.get(f"{BASE}/{questionnaire_id}")
    assert detail.status_code == 200
    assert "Legen Sie mindestens eine Station an." in shown(detail)

    for name in ("Marktplatz", "Rathaus", "Park"):
        response = await client.submit(
            f"{BASE}/{questionnaire_id}/stationen/neu",
            {"name": name, "address": "", "latitude": "", "longitude": ""},
        )
        assert response.status_code == 303
    for text in ("Gibt es Sitzgelegenheiten?", "Ist es ruhig?"):
        response = await client.submit(
            f"{BASE}/{questionnaire_id}/fragen/neu", question_form(text=text)
        )
        assert response.status_code == 303
        assert response.headers["location"].endswith(f"/{questionnaire_id}#fragen")

    detail = await client.get(f"{BASE}/{questionnaire_id}")
    assert "Diese Begehung kann noch nicht verwendet werden" not in shown(detail)
    plan = await services.latest_plan(questionnaire_id)
    assert [s.name for s in plan.stops] == ["Marktplatz", "Rathaus", "Park"]
    assert len(plan.pages) == 3 and all(len(p.questions) == 2 for p in plan.pages)

    second_page = await client.get(f"{BASE}/{questionnaire_id}/vorschau?seite=2")
    assert second_page.status_code == 200
    assert "Station 2 von 3: Rathaus" in shown(second_page)
    assert "Hier wird nichts gespeichert" in shown(second_page)
    assert "Frage 3 von 6" in shown(second_page)

    move = await client.submit(
        f"{BASE}/{questionnaire_id}/stationen/{plan.stops[2].id}/verschieben",
        {"direction": "up"},
    )
    assert move.status_code == 303
    assert [s.name for s in (await services.latest_plan(questionnaire_id)).stops] == [
        "Marktplatz",
        "Park",
        "Rathaus",
    ]


async def test_editing_after_answers_says_which_version_stays(client) -> None:
    await officer_client(client)
    questionnaire_id = await create(client, kind="survey")
    await client.submit(
        f"{BASE}/{questionnaire_id}/fragen/neu", question_form(kind="agreement", per_stop="")
    )
    plan = await services.latest_plan(questionnaire_id)
    for _ in range(12):
        await Response(questionnaire=questionnaire_id, version=plan.version_id).save()

    detail = await client.get(f"{BASE}/{questionnaire_id}")
    assert "Version 1 hat 12 Antworten. Ihre nächste Änderung legt Version 2 an" in shown(detail)

    edit = await client.submit(
        f"{BASE}/{questionnaire_id}/fragen/{plan.questions[0].id}",
        question_form(kind="agreement", text="Neu formuliert", allow_dont_know="on"),
    )
    assert edit.status_code == 303
    detail = await client.get(f"{BASE}/{questionnaire_id}")
    assert "Version 2 – Version 1 hat 12 Antworten und bleibt unverändert." in shown(detail)
    latest = await services.latest_plan(questionnaire_id)
    assert latest.questions[0].text == "Neu formuliert" and latest.questions[0].allow_dont_know

    # The form of the question in version 1 is gone: its id is no longer editable.
    stale = await client.get(f"{BASE}/{questionnaire_id}/fragen/{plan.questions[0].id}")
    assert stale.status_code == 404


BAD_QUESTIONS = [
    ({"text": ""}, "text", "Bitte füllen Sie dieses Feld aus."),
    ({"text": "x" * 301}, "text", "höchstens 300 Zeichen"),
    ({"kind": "essay"}, "kind", "Bitte wählen Sie einen Eintrag aus der Liste."),
    ({"kind": "single_choice", "options": "Nur eine"}, "options", "mindestens zwei Antworten"),
    ({"kind": "multiple_choice", "options": "x" * 201 + "\nb"}, "options", "höchstens 200"),
    ({"kind": "number", "min_value": "10", "max_value": "2"}, "max_value", "nicht kleiner"),
    ({"kind": "number", "min_value": "viele"}, "min_value", "Bitte geben Sie eine Zahl ein"),
    ({"page": "0"}, "page", "Bitte eine Zahl von 1 bis 50 eingeben."),
    ({"page": "zwei"}, "page", "ganze Zahl"),
    ({"section": "s" * 151}, "section", "höchstens 150 Zeichen"),
    ({"help": "h" * 1001}, "help", "höchstens 1000 Zeichen"),
]


@pytest.mark.parametrize(("fields", "field", "message"), BAD_QUESTIONS)
async def test_a_bad_question_is_shown_again_with_what_was_typed(
    client, fields, field, message
) -> None:
    await officer_client(client)
    questionnaire_id = await create(client)
    typed = question_form(**({"text": "Wie hell ist es?", "section": "Licht"} | fields))
    response = await client.submit(f"{BASE}/{questionnaire_id}/fragen/neu", typed)

    assert response.status_code == 400
    page = shown(response)
    assert message in page
    assert f'href="#f-{field}"' in response.text
    for name in ("text", "section", "page", "min_value"):
        if typed[name] and len(typed[name]) < 100:
            assert f'value="{typed[name]}"' in page
    if typed["options"]:
        assert typed["options"].splitlines()[-1] in page
    assert await Question.count().where(Question.text == typed["text"]) == 0


BAD_STOPS = [
    ({"name": ""}, "name", "Bitte füllen Sie dieses Feld aus."),
    ({"name": "n" * 151}, "name", "höchstens 150 Zeichen"),
    ({"address": "a" * 201}, "address", "höchstens 200 Zeichen"),
    ({"latitude": "91", "longitude": "12"}, "latitude", "Bitte eine Zahl von -90 bis 90"),
    ({"latitude": "51,3"}, "longitude", "Breiten- und Längengrad zusammen"),
    ({"latitude": "Norden", "longitude": "12"}, "latitude", "Bitte geben Sie eine Zahl ein"),
]


@pytest.mark.parametrize(("fields", "field", "message"), BAD_STOPS)
async def test_a_bad_stop_is_shown_again_with_what_was_typed(
    client, fields, field, message
) -> None:
    await officer_client(client)
    questionnaire_id = await create(client)
    typed = {"name": "Marktplatz", "address": "Markt 1", "latitude": "", "longitude": ""} | fields
    response = await client.submit(f"{BASE}/{questionnaire_id}/stationen/neu", typed)

    assert response.status_code == 400
    assert message in shown(response)
    assert f'href="#f-{field}"' in response.text
    for value in typed.values():
        if value and len(value) < 100:
            assert f'value="{value}"' in shown(response)
    assert (await services.latest_plan(questionnaire_id)).stops == ()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "Bitte füllen Sie dieses Feld aus."),
        ({"kind": "quiz"}, "Bitte wählen Sie einen Eintrag aus der Liste."),
        ({"reminder_days": "drei"}, "durch Kommas getrennt"),
        ({"reminder_days": "0, 90"}, "vom 1. bis zum 60. Tag"),
        ({"reminder_days": "1,2,3,4,5,6"}, "höchstens 5 Erinnerungen"),
        ({"intro": "i" * 2001}, "höchstens 2000 Zeichen"),
    ],
)
async def test_bad_settings_are_shown_again(client, fields, message) -> None:
    await officer_client(client)
    questionnaire_id = await create(client)
    typed = {"title": "Umbenannt", "intro": "Willkommen", "kind": "survey"}
    typed |= {"reminder_days": "3, 10"} | fields
    response = await client.submit(f"{BASE}/{questionnaire_id}", typed)
    assert response.status_code == 400
    assert message in shown(response)
    if typed["title"]:
        assert f'value="{typed["title"]}"' in shown(response)
    row = await Questionnaire.select().where(Questionnaire.id == questionnaire_id).first()
    assert (row["title"], row["kind"], row["reminder_days"]) == (
        "Begehung Altstadt",
        "walk_audit",
        "3,10",
    )


async def test_settings_are_saved_and_reminder_days_normalised(client) -> None:
    await officer_client(client)
    questionnaire_id = await create(client)
    response = await client.submit(
        f"{BASE}/{questionnaire_id}",
        {"title": "Umfrage", "intro": "Hallo\r\nWelt", "kind": "survey", "reminder_days": "10 3"},
    )
    assert response.status_code == 303
    row = await Questionnaire.select().where(Questionnaire.id == questionnaire_id).first()
    assert (row["title"], row["intro"], row["kind"], row["reminder_days"]) == (
        "Umfrage",
        "Hallo\nWelt",
        "survey",
        "3,10",
    )


async def test_bad_new_questionnaire_and_bad_copy_target(client) -> None:
    await officer_client(client)
    response = await client.submit(f"{BASE}/neu", {"title": "", "kind": "x", "target": "town"})
    assert response.status_code == 400
    assert 'href="#f-title"' in response.text and 'href="#f-target"' in response.text

    template = (
        await Questionnaire.select(Questionnaire.id)
        .where(Questionnaire.template_key == "short_feedback")
        .first()
    )
    refused = await client.submit(f"{BASE}/{template['id']}/kopieren", {"target": "town_template"})
    assert refused.status_code == 400
    copied = await client.submit(f"{BASE}/{template['id']}/kopieren", {"target": "questionnaire"})
    assert copied.status_code == 303

    move = await client.submit(f"{BASE}/{await create(client)}/fragen/1/verschieben", {})
    assert move.status_code == 400


async def test_an_officer_cannot_touch_another_organisations_questionnaire(client) -> None:
    other = await make_organisation()
    foreign = await services.create_questionnaire(
        title="Fremd",
        kind="survey",
        organisation_id=other.id,
        is_template=False,
        language="de",
        created_by=None,
    )
    await services.add_stop(foreign, StopInput("Markt", "", None, None))
    plan = await services.latest_plan(foreign)
    await officer_client(client)

    for path in (
        "",
        "/vorschau",
        "/fragen/neu",
        "/stationen/neu",
        f"/stationen/{plan.stops[0].id}",
    ):
        assert (await client.get(f"{BASE}/{foreign}{path}")).status_code == 404
    for path in ("", "/kopieren", "/fragen/neu", f"/stationen/{plan.stops[0].id}/loeschen"):
        assert (await client.submit(f"{BASE}/{foreign}{path}", {"title": "X"})).status_code == 404
    assert (await services.latest_plan(foreign)).stops != ()

    # Town-wide templates: officers may look and copy, not change.
    template = (
        await Questionnaire.select(Questionnaire.id)
        .where(Questionnaire.template_key == "short_feedback")
        .first()
    )
    assert (await client.get(f"{BASE}/{template['id']}/vorschau")).status_code == 200
    assert (await client.get(f"{BASE}/{template['id']}")).status_code == 403
    assert (await client.submit(f"{BASE}/standard", {})).status_code == 403

    opportunity = await make_opportunity(other)
    assert (await client.get(f"{BASE}/angebot/{opportunity.id}")).status_code in (403, 404)


async def test_residents_and_visitors_are_kept_out(client) -> None:
    assert (await client.get(BASE)).status_code == 303
    await sign_in(client, await make_user(role=Role.RESIDENT))
    assert (await client.get(BASE)).status_code == 403


async def test_the_opportunity_link_opens_its_questionnaire(client) -> None:
    organisation, _officer = await officer_client(client)
    opportunity = await make_opportunity(organisation, title="Parkfest")
    response = await client.get(f"{BASE}/angebot/{opportunity.id}")
    assert response.status_code == 303
    target = response.headers["location"]
    again = await client.get(f"{BASE}/angebot/{opportunity.id}")
    assert again.headers["location"] == target
    detail = await client.get(target)
    assert "Parkfest" in shown(detail)

    manage = await client.get(f"/verwaltung/angebote/{opportunity.id}")
    assert f'href="{BASE}/angebot/{opportunity.id}"' in manage.text


async def test_admins_create_town_templates_and_set_mode_defaults(client) -> None:
    admin = await make_user(role=Role.ADMIN)
    await sign_in(client, admin)
    response = await client.submit(
        f"{BASE}/neu",
        {"title": "Stadtweite Begehung", "kind": "walk_audit", "target": "town_template"},
    )
    assert response.status_code == 303
    row = await Questionnaire.select().where(Questionnaire.title == "Stadtweite Begehung").first()
    assert row["organisation"] is None and row["is_template"] is True

    bad = await client.submit(f"{BASE}/standard", {"default_co_assess": "999999"})
    assert bad.status_code == 400
    assert 'href="#f-default_co_assess"' in bad.text
    good = await client.submit(f"{BASE}/standard", {"default_co_assess": str(row["id"])})
    assert good.status_code == 303
    listing = await client.get(BASE)
    assert "Standard für „Mit-Bewerten“" in shown(listing)
    assert f'<option value="{row["id"]}" selected>' in listing.text


async def test_the_list_runs_a_fixed_number_of_queries(client, count_queries) -> None:
    organisation, _officer = await officer_client(client)
    await client.get(BASE)
    with count_queries() as few:
        await client.get(BASE)
    for _ in range(5):
        opportunity = await make_opportunity(organisation)
        await services.open_for_opportunity(opportunity.id)
    with count_queries() as many:
        assert (await client.get(BASE)).status_code == 200
    assert many.count == few.count


async def test_one_template_cannot_be_the_default_of_two_modes(client) -> None:
    await sign_in(client, await make_user(role=Role.ADMIN))
    template = (await services.default_candidates())[0]
    response = await client.submit(
        f"{BASE}/standard",
        {"default_co_assess": str(template.id), "default_co_design": str(template.id)},
    )
    assert response.status_code == 400
    assert "schon für eine andere Mitmach-Art gewählt" in shown(response)
    assert f'<option value="{template.id}" selected>' in response.text
    assert not await Questionnaire.exists().where(Questionnaire.default_for_mode.is_not_null())


async def test_crafted_input_never_fails(client) -> None:
    """Repeated fields, huge numbers, NaN and unknown ids: messages or 404, never a 500."""
    await officer_client(client)
    questionnaire_id = await create(client)
    base = f"{BASE}/{questionnaire_id}"
    repeated = await client.post(
        f"{base}/fragen/neu",
        data={
            "_csrf_token": await client.csrf_token(),
            "kind": ["checklist", "number"],
            "text": ["a", "b"],
            "page": "99999999999999999999",
        },
    )
    assert repeated.status_code == 400
    nan = await client.submit(
        f"{base}/stationen/neu", {"name": "Markt", "latitude": "nan", "longitude": "inf"}
    )
    assert nan.status_code == 400
    assert (await client.get(f"{base}/vorschau?seite=999")).status_code == 200
    assert (await client.get(f"{base}/vorschau?seite=abc")).status_code == 400
    assert (await client.get(f"{base}/fragen/99999")).status_code == 404
    assert (await client.submit(f"{base}/fragen/99999", question_form())).status_code == 404
    assert (await client.submit(f"{base}/fragen/99999/loeschen", {})).status_code == 404
    moved = await client.submit(f"{base}/stationen/99999/verschieben", {"direction": "up"})
    assert moved.status_code == 404
    assert (await client.get(f"{BASE}/99999999999")).status_code == 404


async def test_the_detail_page_runs_a_fixed_number_of_queries(client, count_queries) -> None:
    await officer_client(client)
    questionnaire_id = await create(client)
    await client.get(f"{BASE}/{questionnaire_id}")
    with count_queries() as few:
        await client.get(f"{BASE}/{questionnaire_id}")
    for number in range(4):
        await client.submit(
            f"{BASE}/{questionnaire_id}/fragen/neu", question_form(text=f"Frage {number}")
        )
        await client.submit(
            f"{BASE}/{questionnaire_id}/stationen/neu",
            {"name": f"Station {number}", "latitude": "51,3", "longitude": "12,4"},
        )
    with count_queries() as many:
        response = await client.get(f"{BASE}/{questionnaire_id}")
    assert response.status_code == 200 and "Station 3" in response.text
    assert many.count == few.count


async def test_every_form_opens_filled_and_every_change_redirects(client) -> None:
    await officer_client(client)
    questionnaire_id = await create(client)
    base = f"{BASE}/{questionnaire_id}"
    empty_preview = await client.get(f"{base}/vorschau")
    assert "Eine Begehung braucht Stationen." in shown(empty_preview)

    new_question = await client.get(f"{base}/fragen/neu")
    assert new_question.status_code == 200
    assert '<option value="checklist" selected>' in new_question.text
    await client.submit(
        f"{base}/fragen/neu",
        question_form(
            kind="single_choice", text="Wie gekommen?", options="Bus\r\nRad", per_stop=""
        ),
    )
    await client.submit(
        f"{base}/fragen/neu",
        question_form(kind="number", text="Wie viele Bänke?", min_value="0", max_value="12,5"),
    )
    await client.submit(f"{base}/stationen/neu", {"name": "Markt", "address": "Markt 1"})
    await client.submit(f"{base}/stationen/neu", {"name": "Park"})
    plan = await services.latest_plan(questionnaire_id)
    choice, number = plan.questions
    markt, park = plan.stops

    edit = await client.get(f"{base}/fragen/{choice.id}")
    assert "Bus\nRad</textarea>" in shown(edit)
    edit_number = await client.get(f"{base}/fragen/{number.id}")
    assert 'value="12,5"' in edit_number.text and 'value="0"' in edit_number.text
    detail = await client.get(base)
    assert "von 0 bis 12,5" in shown(detail) and "Pflichtfrage" not in shown(detail)
    edit_stop = await client.get(f"{base}/stationen/{markt.id}")
    assert 'value="Markt 1"' in edit_stop.text

    saved = await client.submit(
        f"{base}/stationen/{markt.id}",
        {"name": "Marktplatz", "address": "", "latitude": "51,34", "longitude": "12,37"},
    )
    assert saved.status_code == 303
    bad = await client.submit(f"{base}/stationen/{markt.id}", {"name": ""})
    assert bad.status_code == 400
    assert (await client.submit(f"{base}/stationen/{park.id}/verschieben", {})).status_code == 400
    moved = await client.submit(f"{base}/fragen/{number.id}/verschieben", {"direction": "up"})
    assert moved.status_code == 303
    assert (await client.submit(f"{base}/stationen/{park.id}/loeschen", {})).status_code == 303
    assert (await client.submit(f"{base}/fragen/{choice.id}/loeschen", {})).status_code == 303
    bad_edit = await client.submit(f"{base}/fragen/{number.id}", question_form(text=""))
    assert bad_edit.status_code == 400

    plan = await services.latest_plan(questionnaire_id)
    assert [q.text for q in plan.questions] == ["Wie viele Bänke?"]
    assert [(s.name, s.latitude) for s in plan.stops] == [("Marktplatz", 51.34)]
    preview = await client.get(f"{base}/vorschau")
    assert "Station 1 von 1: Marktplatz" in shown(preview)


async def test_without_any_template_the_opportunity_link_explains(client) -> None:
    organisation, _officer = await officer_client(client)
    opportunity = await make_opportunity(organisation)
    await Questionnaire.delete().where(Questionnaire.is_template.eq(True))
    response = await client.get(f"{BASE}/angebot/{opportunity.id}")
    assert response.status_code == 409
    assert "Es gibt noch keine Vorlage" in shown(response)
