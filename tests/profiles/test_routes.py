"""Mein Profil, Meine Daten and deleting the account, through HTTP as a browser uses them."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from typing import Any

import pytest

from boerse.accounts.auth import SESSION_COOKIE
from boerse.accounts.tables import LoginSession, Role, User
from boerse.dashboards.services import opportunity_header, opportunity_results
from boerse.opportunities.tables import SignUp
from boerse.profiles import services
from boerse.profiles.tables import Profile, ProfileSkill, Skill
from tests.profiles.helpers import add_sign_up, seats_taken, skill_ids, valid_form
from tests.support.factories import (
    PASSWORD,
    make_opportunity,
    make_organisation,
    make_session,
    make_user,
    sign_in,
)

TEXT_FIELDS = (
    "display_name",
    "postcode",
    "address",
    "travel_radius_km",
    "hours_per_month",
    "own_skills",
    "birth_year",
)


async def signed_in(client, **fields: Any) -> User:
    user = await make_user(**fields)
    await sign_in(client, user)
    return user


def text_of(response) -> str:
    return html.unescape(response.text)


def input_tag(page: str, name: str, value: str | None = None) -> str:
    """The whole `<input …>` tag of a field (of one checkbox when `value` is given)."""
    value_part = rf'[^>]*value="{re.escape(value)}"' if value is not None else ""
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"{value_part}[^>]*>', page)
    assert match, name
    return " ".join(match.group(0).split())


async def test_the_profile_page_needs_a_login(client) -> None:
    response = await client.get("/profil")
    assert response.status_code == 303
    assert response.headers["location"] == "/konto/anmelden?next=/profil"


async def test_a_first_visit_shows_an_empty_form_with_sensible_defaults(client) -> None:
    await signed_in(client, display_name="Anna")
    response = await client.get("/profil")
    page = text_of(response)

    assert response.status_code == 200
    assert 'value="Anna"' in input_tag(page, "display_name")
    assert 'value="10"' in input_tag(page, "travel_radius_km")
    assert 'value="4"' in input_tag(page, "hours_per_month")
    assert "checked" in input_tag(page, "languages", "de")
    assert "checked" not in input_tag(page, "languages", "en")
    assert "speichern sie nicht" in page  # the address hint says it is not kept
    assert "Verwaltung darf mich zu passenden Angeboten einladen" in page
    assert "checked" not in input_tag(page, "contact_ok")


async def test_the_time_grid_is_a_table_with_a_label_for_every_checkbox(client) -> None:
    await signed_in(client)
    page = text_of(await client.get("/profil"))

    assert '<th scope="col" class="kern-table__header">vormittags</th>' in page
    assert '<th scope="row" class="kern-table__header">Montag</th>' in page
    assert 'for="f-time_windows-mon-morning"><span class="kern-sr-only">Montag vormittags' in page
    assert page.count('name="time_windows"') == 21


async def test_saving_shows_the_resolved_locality(client) -> None:
    user = await signed_in(client)
    response = await client.submit("/profil", await valid_form())

    assert response.status_code == 303
    assert response.headers["location"] == "/profil"
    page = text_of(await client.get("/profil"))
    assert "Ihr Profil wurde gespeichert." in page
    assert "Ihr Wohnort: 04109 Leipzig" in page
    assert 'value="Imkern"' in input_tag(page, "own_skills")
    assert "checked" in input_tag(page, "time_windows", "sat-morning")
    assert "checked" in input_tag(page, "time_windows", "wed-evening")
    assert "checked" not in input_tag(page, "time_windows", "mon-morning")
    assert "checked" in input_tag(page, "contact_ok")
    assert 'value=""' in input_tag(page, "address")
    profile = await services.get_profile(user.id)
    assert profile.skill_names == ["Gärtnern", "Kochen", "Imkern"]
    assert profile.contact_ok is True


async def test_re_saving_replaces_skills_and_interests(client) -> None:
    user = await signed_in(client)
    await client.submit("/profil", await valid_form())

    response = await client.submit(
        "/profil",
        await valid_form(
            skills=[str(i) for i in await skill_ids("first-aid")],
            own_skills="",
            interests=[],
            contact_ok="",
        ),
    )

    assert response.status_code == 303
    profile = await services.get_profile(user.id)
    assert profile.skill_names == ["Erste Hilfe"]
    assert profile.interests == []
    assert profile.contact_ok is False
    assert await ProfileSkill.count() == 1


async def test_own_skills_typed_twice_become_one(client) -> None:
    user = await signed_in(client)
    await client.submit("/profil", await valid_form(own_skills="Imkern, imkern, IMKERN, Kochen"))

    profile = await services.get_profile(user.id)
    assert profile.skill_names == ["Gärtnern", "Kochen", "Imkern"]
    assert await Skill.count().where(Skill.curated.eq(False)) == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postcode", "99999", "Die Postleitzahl „99999“ kennen wir nicht."),
        ("postcode", "4109", "Postleitzahl mit fünf Ziffern"),
        ("display_name", "", "Bitte füllen Sie dieses Feld aus."),
        ("travel_radius_km", "150", "Bitte eine Zahl von 1 bis 100 eingeben."),
        ("hours_per_month", "viele", "Bitte geben Sie eine ganze Zahl ein."),
        ("birth_year", "1850", "Bitte eine Zahl von"),
        ("own_skills", "x" * 41, "höchstens 40 Zeichen"),
        ("languages", ["de", "klingonisch"], "Bitte wählen Sie nur Einträge aus der Liste."),
        ("time_windows", ["mon-midnight"], "Bitte wählen Sie nur Einträge aus der Liste."),
    ],
)
async def test_bad_input_is_shown_again_with_everything_typed(
    client, field: str, value: Any, message: str
) -> None:
    user = await signed_in(client)
    form = await valid_form(address="Lindenstraße 3", **{field: value})

    response = await client.submit("/profil", form)
    page = text_of(response)

    assert response.status_code == 400
    assert "Bitte prüfen Sie Ihre Eingaben" in page
    assert f'href="#f-{field}"' in page
    assert message in page
    # Everything typed is still there, the wrong value and the address included (the
    # address is only echoed back, never stored).
    for name in TEXT_FIELDS:
        assert f'value="{form[name]}"' in input_tag(page, name), name
    for name in ("skills", "interests", "time_windows", "languages"):
        for ticked in form[name] if name != field else []:
            assert "checked" in input_tag(page, name, ticked), (name, ticked)
    assert not await services.has_profile(user.id)


async def test_a_bad_second_save_leaves_the_first_untouched(client) -> None:
    user = await signed_in(client)
    await client.submit("/profil", await valid_form())

    response = await client.submit("/profil", await valid_form(postcode="00000", own_skills="Neu"))

    assert response.status_code == 400
    assert "Ihr Wohnort: 04109 Leipzig" in text_of(response)
    assert (await services.get_profile(user.id)).own_skill_names == ["Imkern"]
    assert not await Skill.exists().where(Skill.slug == "neu")


async def test_an_address_without_a_geocoder_falls_back_and_is_stored_nowhere(client) -> None:
    user = await signed_in(client)
    response = await client.submit("/profil", await valid_form(address="Musterstraße 12a"))

    assert response.status_code == 303
    profile = await services.get_profile(user.id)
    assert (profile.latitude, profile.longitude) == (51.34, 12.37)
    assert "Musterstra" not in text_of(await client.get("/profil"))
    row = await Profile.select().where(Profile.user == user.id).first()
    assert "Musterstra" not in repr(row)


async def test_the_profile_page_runs_a_fixed_number_of_queries(client, count_queries) -> None:
    await signed_in(client)
    await client.submit("/profil", await valid_form(own_skills=""))
    with count_queries() as small:
        assert (await client.get("/profil")).status_code == 200

    await signed_in(client)
    await client.submit(
        "/profil",
        await valid_form(
            skills=[str(i) for i in await skill_ids("gardening", "cooking", "it", "law", "music")],
            own_skills=", ".join(f"Eigenes {n}" for n in range(10)),
        ),
    )
    with count_queries() as large:
        assert (await client.get("/profil")).status_code == 200

    assert small.count == large.count
    # Session and 3 for the profile; the choices come from the lists kept per process
    # (7 when every page read the lists and the form read its skills and fields again).
    assert small.count <= 4, small.count


async def test_my_data_page_shows_what_is_stored(client) -> None:
    user = await signed_in(client, email="anna@example.org")
    await client.submit("/profil", await valid_form())
    opportunity = await make_opportunity(await make_organisation(), title="Stadtputz im Park")
    await add_sign_up(await make_session(opportunity), user.id)

    page = text_of(await client.get("/profil/daten"))

    assert "anna@example.org" in page
    assert "04109 Leipzig" in page
    assert "Samstag vormittags" in page
    assert "Deutsch, Türkisch" in page
    assert "Gärtnern, Kochen, Imkern" in page
    assert "Stadtputz im Park" in page
    assert 'href="/profil/daten.json"' in page
    assert 'href="/profil/loeschen"' in page


async def test_the_json_download_contains_everything(client) -> None:
    user = await signed_in(client, email="anna@example.org")
    await client.submit("/profil", await valid_form())
    opportunity = await make_opportunity(await make_organisation(), title="Stadtputz im Park")
    session = await make_session(opportunity)
    await add_sign_up(session, user.id)

    response = await client.get("/profil/daten.json")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert set(data) == {"account", "profile", "skills", "interests", "sign_ups"}
    assert data["account"]["email"] == "anna@example.org"
    assert data["profile"]["postcode"] == "04109"
    assert data["profile"]["contact_ok"] is True
    assert data["skills"] == ["Gärtnern", "Kochen", "Imkern"]
    assert [i["name"] for i in data["interests"]] == ["Umwelt und Klima", "Ältere Menschen"]
    [sign_up] = data["sign_ups"]
    assert sign_up["opportunity"] == "Stadtputz im Park"
    starts_at = dt.datetime.fromisoformat(sign_up["starts_at"])
    assert starts_at.utcoffset() is not None
    assert abs(starts_at - session.starts_at) < dt.timedelta(seconds=1)


async def test_deleting_asks_for_the_password(client) -> None:
    user = await signed_in(client)
    page = text_of(await client.get("/profil/loeschen"))
    assert 'autocomplete="current-password"' in page

    response = await client.submit("/profil/loeschen", {"password": "falsch"})

    assert response.status_code == 400
    assert "Das Passwort ist nicht richtig." in text_of(response)
    assert await User.exists().where(User.id == user.id)


async def test_deleting_the_account_keeps_past_participation_as_anonymous_figures(client) -> None:
    """The town's figures (sign-ups, attendance, hours) do not shrink when someone leaves;
    nothing left names the person."""
    user = await signed_in(client, email="weg@example.org", display_name="Weg")
    opportunity = await make_opportunity(await make_organisation())
    past = await make_session(opportunity, starts_in=-dt.timedelta(days=10))
    await SignUp(
        session=past.id, user=user.id, status="registered", attendance="attended", hours=2.5
    ).save()
    header = await opportunity_header(opportunity.id)
    before = (await opportunity_results(header, with_comments=False, min_answers=1)).participation

    await client.submit("/profil/loeschen", {"password": PASSWORD})

    after = (await opportunity_results(header, with_comments=False, min_answers=1)).participation
    assert after == before and after.hours == 2.5
    assert not await User.exists().where(User.id == user.id)
    (kept,) = await SignUp.select(SignUp.user.email, SignUp.user.display_name)
    assert "weg@" not in kept["user.email"] and kept["user.display_name"] != "Weg"


async def test_deleting_the_account_frees_places_and_logs_out(client) -> None:
    user = await signed_in(client)
    await client.submit("/profil", await valid_form())
    session = await make_session(await make_opportunity(await make_organisation()))
    await add_sign_up(session, user.id)

    response = await client.submit("/profil/loeschen", {"password": PASSWORD})

    assert response.status_code == 303
    assert response.headers["location"] == "/"
    assert f'{SESSION_COOKIE}=""' in response.headers.get("set-cookie", "") or (
        SESSION_COOKIE not in client.cookies
    )
    assert await seats_taken(session) == 0
    assert not await User.exists().where(User.id == user.id)
    assert await Profile.count() == 0
    assert await SignUp.count() == 0
    assert await LoginSession.count() == 0
    notice = await client.get("/impressum")
    assert "Ihr Konto und alle Ihre Daten wurden gelöscht." in text_of(notice)
    assert (await client.get("/profil")).status_code == 303


async def test_an_administrator_cannot_delete_themselves_here(client) -> None:
    admin = await signed_in(client, role=Role.ADMIN)
    page = text_of(await client.get("/profil/loeschen"))
    assert "löscht eine andere Person mit Administrationsrechten" in page
    assert 'name="password"' not in page

    response = await client.submit("/profil/loeschen", {"password": PASSWORD})

    assert response.status_code == 403
    assert await User.exists().where(User.id == admin.id)


async def test_my_data_page_runs_a_fixed_number_of_queries(client, count_queries) -> None:
    organisation = await make_organisation()
    counts = []
    for sign_ups in (1, 6):
        user = await signed_in(client)
        await client.submit("/profil", await valid_form())
        opportunity = await make_opportunity(organisation)
        for _ in range(sign_ups):
            await add_sign_up(await make_session(opportunity), user.id)
        with count_queries() as counted:
            page = text_of(await client.get("/profil/daten"))
        assert page.count(opportunity.title) == sign_ups
        counts.append(counted.count)
    assert counts[0] == counts[1]


async def test_markup_typed_as_an_own_skill_is_shown_as_text(client) -> None:
    """Data labels go through the `translated` filter, not `_()`, whose result is marked
    safe: a tag a resident typed stays text on every page that shows it."""
    await signed_in(client)
    tag = '<img src=x onerror="alert(1)">Imkern'
    await client.submit("/profil", await valid_form(own_skills=tag))

    for path in ("/profil/daten", "/profil"):
        page = (await client.get(path)).text
        assert "<img src=x" not in page, path
        assert "&lt;img src=x" in page, path
