"""Check-in pages: the QR link and the typed code (login or remembered personal link), the
form on the personal page, the officer's notice, tick list and walk-ins."""

from __future__ import annotations

import datetime as dt
import re

from boerse.accounts.tables import Role, User
from boerse.audit.tables import AuditEntry
from boerse.checkin import services
from boerse.lib.urls import site_path
from boerse.opportunities.signup_links import REMEMBER_COOKIE
from boerse.opportunities.tables import OpportunitySession, SignUp
from boerse.profiles.tables import Profile
from tests.checkin.support import personal_token, setting, signup_row
from tests.support.factories import make_officer, make_organisation, make_profile, sign_in


def scan_url(code: str) -> str:
    return f"/einchecken/{code}"


def list_url(session_id: int) -> str:
    return f"/verwaltung/termine/{session_id}/einchecken"


async def test_scanning_the_qr_link_while_logged_in_checks_in(client) -> None:
    s = await setting()
    code = await services.ensure_code(s.session.id)
    await sign_in(client, s.people[0])

    response = await client.get(scan_url(code))

    assert response.status_code == 200
    assert "Sie sind eingecheckt" in response.text and "Lesepaten" in response.text
    assert (await signup_row(s.signup_ids[0]))["checkin_method"] == "code"
    again = await client.get(scan_url(code))
    assert again.status_code == 200 and "schon eingecheckt" in again.text


async def test_a_remembered_personal_link_checks_in_without_login(client) -> None:
    s = await setting()
    code = await services.ensure_code(s.session.id)
    token = await personal_token(s.signup_ids[1])
    client.cookies.set(REMEMBER_COOKIE, f"{token}.unknown-token")

    response = await client.get(scan_url(code))

    assert response.status_code == 200 and "Sie sind eingecheckt" in response.text
    assert (await signup_row(s.signup_ids[1]))["attendance"] == "attended"


async def test_nobody_identified_is_told_how_to_check_in(client) -> None:
    s = await setting()
    code = await services.ensure_code(s.session.id)

    response = await client.get(scan_url(code))

    assert response.status_code == 200
    assert "Wir wissen noch nicht, wer Sie sind" in response.text
    assert "„Meine Anmeldung“" in response.text
    assert f"/konto/anmelden?next=%2Feinchecken%2F{code}" in response.text
    assert all(row["attendance"] is None for row in await SignUp.select(SignUp.attendance))


async def test_typing_the_code_on_the_page_einchecken(client) -> None:
    s = await setting()
    code = await services.ensure_code(s.session.id)
    await sign_in(client, s.people[1])
    assert (await client.get("/einchecken")).status_code == 200

    empty = await client.submit("/einchecken", {"code": "  "})
    malformed = await client.submit("/einchecken", {"code": "K0R1"})
    typed = await client.submit("/einchecken", {"code": f"{code[:3].lower()} {code[3:]}"})

    assert empty.status_code == 400 and "Bitte füllen Sie dieses Feld aus." in empty.text
    assert malformed.status_code == 400 and "Diesen Code kennen wir nicht" in malformed.text
    assert 'value="K0R1"' in malformed.text
    assert typed.status_code == 200 and "Sie sind eingecheckt" in typed.text
    assert (await signup_row(s.signup_ids[1]))["attendance"] == "attended"


async def test_clear_messages_for_every_refusal(client) -> None:
    s = await setting(starts_in=dt.timedelta(hours=3))
    code = await services.ensure_code(s.session.id)
    await sign_in(client, s.people[0])
    early = await client.get(scan_url(code))
    await sign_in(client, s.people[2])
    waiting = await client.get(scan_url(code))
    await sign_in(client, s.officer)
    stranger = await client.get(scan_url(code))
    unknown = await client.get(scan_url("ZZZZZZ"))

    assert early.status_code == 400 and "Einchecken ist erst ab" in early.text
    assert waiting.status_code == 400 and "auf der Warteliste" in waiting.text
    assert stranger.status_code == 400 and "keine Anmeldung von Ihnen" in stranger.text
    assert unknown.status_code == 404 and "Diesen Code kennen wir nicht" in unknown.text
    assert all(row["attendance"] is None for row in await SignUp.select(SignUp.attendance))


async def test_the_personal_page_form_takes_the_token_and_the_code(client) -> None:
    s = await setting()
    other = await setting(tag="2")
    code = await services.ensure_code(s.session.id)
    other_code = await services.ensure_code(other.session.id)
    token = await personal_token(s.signup_ids[0])
    url = f"/einchecken/anmeldung/{token}"

    wrong = await client.submit(url, {"code": other_code})
    unknown_link = await client.submit("/einchecken/anmeldung/nonsense", {"code": code})
    right = await client.submit(url, {"code": code})

    assert wrong.status_code == 400 and "gehört zu einem anderen Termin" in wrong.text
    assert f'action="{url}"' in wrong.text
    assert unknown_link.status_code == 404
    assert right.status_code == 303 and "boerse_notice=checked_in" in right.headers["set-cookie"]
    assert token in right.headers["location"]
    assert (await signup_row(s.signup_ids[0]))["attendance"] == "attended"
    assert (await signup_row(other.signup_ids[0]))["attendance"] is None


async def test_the_notice_shows_the_code_large_and_as_inline_svg(client) -> None:
    s = await setting(starts_in=dt.timedelta(days=3))
    await sign_in(client, s.officer)

    response = await client.get(f"/verwaltung/termine/{s.session.id}/aushang")

    assert response.status_code == 200
    [code] = await OpportunitySession.select(OpportunitySession.checkin_code).where(
        OpportunitySession.id == s.session.id
    )
    code = code["checkin_code"]
    assert services.looks_like_code(code)
    page = response.text
    assert '<p class="checkin-notice__code"' in page and f">{code}</p>" in page
    assert '<svg role="img" viewBox=' in page and "<title>QR-Code zum Einchecken</title>" in page
    assert f"/einchecken/{code}" in page
    assert "style=" not in page.split("<main", 1)[1]
    again = await client.get(f"/verwaltung/termine/{s.session.id}/aushang")
    assert f">{code}</p>" in again.text


async def test_officer_pages_are_for_the_organiser_only(client) -> None:
    s = await setting()
    pages = [f"/verwaltung/termine/{s.session.id}/aushang", list_url(s.session.id)]

    for page in pages:
        response = await client.get(page)
        assert response.status_code == 303 and "/konto/anmelden" in response.headers["location"]
    await sign_in(client, await make_officer(await make_organisation()))
    assert [(await client.get(page)).status_code for page in pages] == [403, 403]
    assert (await client.submit(list_url(s.session.id), {})).status_code == 403
    await sign_in(client, s.people[0])
    assert [(await client.get(page)).status_code for page in pages] == [403, 403]
    await sign_in(client, s.officer)
    assert (await client.get("/verwaltung/termine/999999/einchecken")).status_code == 404


async def test_tick_list_suggests_hours_and_ticks_one_person(client) -> None:
    s = await setting(starts_in=dt.timedelta(minutes=-20), duration=dt.timedelta(minutes=100))
    await SignUp.update({SignUp.companions: 2}).where(SignUp.id == s.signup_ids[0])
    await sign_in(client, s.officer)

    page = await client.get(list_url(s.session.id))

    assert page.status_code == 200
    assert "Anna Amsel" in page.text and "Ben Buch" in page.text
    assert "Cleo Christ" not in page.text  # waiting, no place
    assert "mit 2 Begleitpersonen" in page.text
    assert f'name="hours-{s.signup_ids[0]}"' in page.text and 'value="1,75"' in page.text
    anna, ben = s.signup_ids[:2]

    late = await client.submit(
        list_url(s.session.id), {f"hours-{anna}": "1,5", f"attendance-{anna}": "attended"}
    )
    absent = await client.submit(
        list_url(s.session.id), {f"hours-{ben}": "1,75", f"attendance-{ben}": "absent"}
    )

    assert late.status_code == 303 and late.headers["location"].endswith(f"#p-{anna}")
    assert absent.status_code == 303
    row = await signup_row(anna)
    assert (row["attendance"], row["hours"], row["checkin_method"]) == ("attended", 1.5, "officer")
    assert row["checked_in_at"] is not None
    row = await signup_row(ben)
    assert (row["attendance"], row["hours"], row["checked_in_at"]) == ("absent", None, None)
    assert await AuditEntry.count().where(AuditEntry.action == "attendance_recorded") == 2


async def test_a_code_check_in_keeps_its_method_when_the_officer_corrects_hours(client) -> None:
    s = await setting(starts_in=dt.timedelta(minutes=-20))
    code = await services.ensure_code(s.session.id)
    await services.check_in(code, s.people[0].id, [])
    await sign_in(client, s.officer)

    response = await client.submit(
        list_url(s.session.id),
        {f"hours-{s.signup_ids[0]}": "1", f"attendance-{s.signup_ids[0]}": "attended"},
    )

    assert response.status_code == 303
    row = await signup_row(s.signup_ids[0])
    assert (row["hours"], row["checkin_method"]) == (1, "code")
    page = (await client.get(list_url(s.session.id))).text
    assert "selbst eingecheckt" in page


async def test_hours_beyond_the_length_or_negative_are_refused(client) -> None:
    s = await setting(starts_in=dt.timedelta(minutes=-20))
    await sign_in(client, s.officer)
    anna = s.signup_ids[0]

    too_many = await client.submit(
        list_url(s.session.id), {f"hours-{anna}": "2,5", f"attendance-{anna}": "attended"}
    )
    negative = await client.submit(
        list_url(s.session.id), {f"hours-{anna}": "-1", f"attendance-{anna}": "attended"}
    )

    assert too_many.status_code == 400
    assert "Anna Amsel: Höchstens 2 Stunden: So lange dauert der Termin." in too_many.text
    assert 'value="2,5"' in too_many.text and f'href="#f-hours-{anna}"' in too_many.text
    assert negative.status_code == 400
    assert "Stunden können nicht negativ sein." in negative.text
    row = await signup_row(anna)
    assert (row["attendance"], row["hours"], row["checked_in_at"]) == (None, None, None)


async def test_ticking_off_waits_until_an_hour_before_the_start(client) -> None:
    s = await setting(starts_in=dt.timedelta(hours=3))
    await sign_in(client, s.officer)
    anna = s.signup_ids[0]

    page = await client.get(list_url(s.session.id))
    response = await client.submit(
        list_url(s.session.id), {f"hours-{anna}": "2", f"attendance-{anna}": "attended"}
    )

    assert "Abhaken können Sie ab" in page.text
    assert 'name="attendance-' not in page.text
    assert response.status_code == 400 and "ab einer Stunde vor Beginn" in response.text
    assert (await signup_row(anna))["attendance"] is None


async def test_late_arrivals_can_be_ticked_off_days_later(client) -> None:
    s = await setting(starts_in=dt.timedelta(days=-3))
    await sign_in(client, s.officer)
    anna = s.signup_ids[0]

    response = await client.submit(
        list_url(s.session.id), {f"hours-{anna}": "2", f"attendance-{anna}": "attended"}
    )

    assert response.status_code == 303
    assert (await signup_row(anna))["attendance"] == "attended"


async def test_the_officer_adds_a_walk_in(client) -> None:
    s = await setting(starts_in=dt.timedelta(minutes=-20))
    await sign_in(client, s.officer)
    url = f"{list_url(s.session.id)}/ohne-anmeldung"

    bad = await client.submit(url, {"name": "", "email": "kein-at"})
    good = await client.submit(url, {"name": "Dora Dorn", "email": "dora@example.org"})
    known = await client.submit(url, {"name": "Anna", "email": "anna@example.org"})

    assert bad.status_code == 400
    assert "Bitte füllen Sie dieses Feld aus." in bad.text and 'value="kein-at"' in bad.text
    assert good.status_code == 303 and "boerse_notice=walkin_added" in good.headers["set-cookie"]
    assert "boerse_notice=walkin_was_signed_up" in known.headers["set-cookie"]
    guest = await User.objects().get(User.email == "dora@example.org")
    assert guest.role == Role.GUEST.value
    page = (await client.get(list_url(s.session.id))).text
    assert "Dora Dorn" in page and "ohne Anmeldung" in page
    assert await SignUp.count().where(SignUp.checkin_method == "walkin") == 1


async def test_accessibility_needs_show_on_the_tick_list(client) -> None:
    s = await setting(starts_in=dt.timedelta(minutes=-20))
    await make_profile(s.people[0], accessibility_needs=["wheelchair", "quiet_space"])
    await sign_in(client, s.officer)

    page = (await client.get(list_url(s.session.id))).text

    anna = page[page.index("Anna Amsel") : page.index("Ben Buch")]
    assert "Rollstuhlgerecht (stufenlos, WC), Ruhiger Rückzugsraum" in anna
    assert await Profile.count() == 1
    assert re.search(r"Barrierefreiheit:", anna)


async def test_the_personal_page_offers_the_code_form_and_remembers_the_link(client) -> None:
    s = await setting()
    code = await services.ensure_code(s.session.id)
    token = await personal_token(s.signup_ids[0])

    page = await client.get(site_path("signup_link:show", token=token))
    form_action = f'action="/einchecken/anmeldung/{token}"'
    scanned = await client.get(scan_url(code))  # the same browser, not logged in
    after = await client.get(site_path("signup_link:show", token=token))

    assert page.status_code == 200 and form_action in page.text
    assert 'name="code"' in page.text
    assert "Sie sind eingecheckt" in scanned.text
    assert "Sie sind für diesen Termin eingecheckt." in after.text
    assert form_action not in after.text
